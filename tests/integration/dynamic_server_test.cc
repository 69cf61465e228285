// Dynamic servers: the runtime API's "add server" and "del server", run in
// the same order against haproxy and hearth on the same configuration (the
// answers, the server list of `show servers state`, where the traffic goes,
// health checks of a server added at run time), and a stress run that adds
// and deletes servers while clients, the stats page, the Prometheus exporter
// and `show stat` read the lists.
#include <gtest/gtest.h>

#include <atomic>
#include <chrono>
#include <set>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

#include "http_test_util.h"
#include "support/client.h"
#include "support/ports.h"
#include "support/scripted_server.h"
#include "support/temp_dir.h"
#include "support/wait.h"

namespace hearth::test::http {
namespace {

using std::chrono::milliseconds;

std::vector<std::string> fields(const std::string& line, char sep) {
  std::vector<std::string> out(1);
  for (char c : line) {
    if (c == sep)
      out.emplace_back();
    else
      out.back() += c;
  }
  return out;
}

// The answer, line breaks shown (HAProxy ends some answers with one line
// break and some with two: both must match).
std::string raw(const std::string& sock, const std::string& cmd) {
  std::string a = stats_command(sock, cmd);
  std::string out;
  for (char c : a) out += c == '\n' ? std::string("\\n") : std::string(1, c);
  return out;
}

// "id:name:op:admin:weight ..." of a backend's servers (show servers state).
std::string server_list(const std::string& sock, const std::string& be) {
  std::istringstream in(stats_command(sock, "show servers state " + be));
  std::string line, out;
  while (std::getline(in, line)) {
    const std::vector<std::string> f = fields(line, ' ');
    if (f.size() < 25 || f[0] == "#") continue;
    out += f[2] + ":" + f[3] + ":" + f[5] + ":" + f[6] + ":" + f[7] + " ";
  }
  return out;
}

// "name=status ..." of backend `be` in show stat.
std::string statuses(const std::string& sock, const std::string& be) {
  std::istringstream in(stats_command(sock, "show stat"));
  std::string line, out;
  while (std::getline(in, line)) {
    const std::vector<std::string> f = fields(line, ',');
    if (f.size() > 18 && f[0] == be && f[1] != "BACKEND" && f[1] != "FRONTEND")
      out += f[1] + "=" + f[17] + " ";
  }
  return out;
}

HearthOptions options_for(const std::string& binary) {
  HearthOptions opt;
  if (!binary.empty()) opt.binary = binary, opt.extra_args = {"-db"};
  return opt;
}

// The body of one request on a new connection ("" if it failed; "503" for a 503).
std::string get(uint16_t port, const std::string& path = "/") {
  HttpClient c(port);
  HttpResponse r = c.request("GET", path);
  if (r.status == 503) return "503";
  return r.status == 200 ? r.body : "status " + std::to_string(r.status);
}

// The errors and the server list, step by step.
std::vector<std::string> answers(const std::string& binary) {
  HttpBackend server;
  TempDir dir;
  const std::string sock = dir.file("s.sock");
  const std::string a = "127.0.0.1:" + std::to_string(server.port());
  const std::string cfg = "global\n  stats socket " + sock +
                          " level admin\n"
                          "defaults\n  mode http\n  timeout connect 1s\n  timeout client 5s\n"
                          "  timeout server 5s\n"
                          "backend test\n  balance roundrobin\n  server s1 " +
                          a +
                          "\n"
                          "backend srr\n  balance static-rr\n"
                          "backend src\n  balance source\n"
                          "backend srcc\n  balance source\n  hash-type consistent\n"
                          "backend lc\n  balance leastconn\n"
                          "backend pinned\n  use-server s1 if { always_true }\n  server s1 " +
                          a + "\n  server s2 " + a + "\n";
  HearthProcess h(cfg, options_for(binary));
  EXPECT_TRUE(h.ready()) << binary << ": " << h.describe();
  if (!h.ready()) return {};
  wait_until([&] { return !stats_command(sock, "show info").empty(); }, milliseconds(3000));
  const std::vector<std::string> steps = {
      "add server foo/s2 " + a,
      "add server test/s2",
      "add server test",
      "add server srr/s2 " + a,
      "add server src/s2 " + a,
      "add server srcc/s2 " + a,
      "add server lc/s2 " + a,
      "add server test/s2 " + a + " cookie abc",
      "add server test/s2 " + a + " init-addr none",
      "add server test/s2 " + a + " bogus",
      "add server test/s2 " + a + " weight 10 bogus",
      "add server test/s1 " + a,
      "add server test/s2 " + a,
      "add server test/s2 " + a,
      "add server test/s3 " + a + " weight 7 maxconn 10",
      "add server test/s4 " + a + " id 9",
      "del server foo/s1",
      "del server test/other",
      "del server test",
      "del server test/s1",
      "del server pinned/s1",
      "del server pinned/s2",
      "disable server pinned/s2",
      "del server pinned/s2",
      "del server test/s2",
      "del server test/s2",
      "add server test/s5 " + a,
      "disable server test/s1",
      "del server test/s1",
      "add server test/s1 " + a,
  };
  std::vector<std::string> out;
  for (const std::string& step : steps)
    out.push_back(step.substr(0, step.find(" 127.")) + " -> " + raw(sock, step) + " | " +
                  server_list(sock, "test"));
  out.push_back("pinned: " + server_list(sock, "pinned"));
  out.push_back("lc: " + server_list(sock, "lc"));
  return out;
}

TEST(DynamicServerVsHAProxy, SameAnswersAndServerLists) {
  const std::vector<std::string> theirs = answers("haproxy");
  const std::vector<std::string> ours = answers("");
  ASSERT_FALSE(theirs.empty());
  ASSERT_EQ(ours.size(), theirs.size());
  for (size_t i = 0; i < ours.size(); ++i) EXPECT_EQ(ours[i], theirs[i]);
}

// What the clients get along the life of a dynamic server: one line per
// phase, the set of bodies seen over 6 requests, and the CLI answers.
std::vector<std::string> traffic(const std::string& binary) {
  HttpBackend::Options o1, o2;
  o1.body = "s1";
  o2.body = "s2";
  HttpBackend b1(o1), b2(o2);
  TempDir dir;
  const std::string sock = dir.file("s.sock");
  const uint16_t fe = free_tcp_port();
  const std::string cfg = "global\n  stats socket " + sock +
                          " level admin\n"
                          "defaults\n  mode http\n  timeout connect 1s\n  timeout client 5s\n"
                          "  timeout server 5s\n"
                          "frontend fe\n  bind 127.0.0.1:" +
                          std::to_string(fe) +
                          "\n  default_backend test\n"
                          "backend test\n  server s1 127.0.0.1:" +
                          std::to_string(b1.port()) + "\n";
  HearthOptions opt = options_for(binary);
  opt.wait_ports = {fe};
  HearthProcess h(cfg, opt);
  EXPECT_TRUE(h.ready()) << binary << ": " << h.describe();
  if (!h.ready()) return {};
  auto seen = [&] {
    std::set<std::string> bodies;
    for (int i = 0; i < 6; ++i) bodies.insert(get(fe));
    std::string s;
    for (const std::string& b : bodies) s += b + " ";
    return s;
  };
  const std::string add = "add server test/s2 127.0.0.1:" + std::to_string(b2.port());
  // A command, then the bodies the clients see after it (one statement
  // each: the order of evaluation matters).
  auto step = [&](const std::vector<std::string>& cmds) {
    std::string line;
    for (const std::string& c : cmds) line += raw(sock, c);
    return line + " " + seen();
  };
  std::vector<std::string> out;
  out.push_back("static: " + seen());
  out.push_back(step({add}));
  out.push_back(step({"enable server test/s2"}));
  out.push_back(step({"del server test/s2"}));
  out.push_back(step({"disable server test/s2"}));
  out.push_back(step({"del server test/s2"}));
  out.push_back(step({"enable server test/s2"}));
  out.push_back(statuses(sock, "test"));
  out.push_back(step({add, "enable server test/s2"}));
  return out;
}

TEST(DynamicServerVsHAProxy, TrafficReachesOnlyEnabledDynamicServers) {
  const std::vector<std::string> theirs = traffic("haproxy");
  const std::vector<std::string> ours = traffic("");

  ASSERT_EQ(theirs.size(), 9u);
  EXPECT_EQ(theirs[0], "static: s1 ");
  EXPECT_EQ(theirs[1], "New server registered.\\n\\n s1 ");  // in maintenance
  EXPECT_EQ(theirs[2], "\\n s1 s2 ");
  EXPECT_EQ(theirs[5], "Server deleted.\\n s1 ");
  ASSERT_EQ(ours.size(), theirs.size());
  for (size_t i = 0; i < ours.size(); ++i) EXPECT_EQ(ours[i], theirs[i]);
}

// A server in maintenance with a session still on it: del server refuses
// until the session ends.
std::vector<std::string> busy(const std::string& binary) {
  std::atomic<bool> release{false};
  ScriptedServer slow([&](int fd) {
    recv_line(fd);  // the request line is enough
    while (!release.load()) std::this_thread::sleep_for(milliseconds(10));
    send_all(fd, "HTTP/1.1 200 OK\r\ncontent-length: 4\r\nconnection: close\r\n\r\nslow");
  });
  HttpBackend::Options o1;
  o1.body = "s1";
  HttpBackend b1(o1);
  TempDir dir;
  const std::string sock = dir.file("s.sock");
  const uint16_t fe = free_tcp_port();
  const std::string cfg = "global\n  stats socket " + sock +
                          " level admin\n"
                          "defaults\n  mode http\n  timeout connect 1s\n  timeout client 5s\n"
                          "  timeout server 5s\n"
                          "frontend fe\n  bind 127.0.0.1:" +
                          std::to_string(fe) +
                          "\n  default_backend test\n"
                          "backend test\n  server s1 127.0.0.1:" +
                          std::to_string(b1.port()) + "\n";
  HearthOptions opt = options_for(binary);
  opt.wait_ports = {fe};
  HearthProcess h(cfg, opt);
  EXPECT_TRUE(h.ready()) << binary << ": " << h.describe();
  if (!h.ready()) return {};
  std::vector<std::string> out;
  out.push_back(raw(sock, "add server test/slow 127.0.0.1:" + std::to_string(slow.port())));
  out.push_back(raw(sock, "disable server test/s1"));
  out.push_back(raw(sock, "enable server test/slow"));
  std::string body;
  std::thread client([&] { body = get(fe); });
  wait_until([&] { return slow.active() == 1; }, milliseconds(3000));
  out.push_back(raw(sock, "disable server test/slow"));
  out.push_back(raw(sock, "del server test/slow"));
  release = true;
  client.join();
  out.push_back("client got " + body);
  wait_until([&] { return slow.active() == 0; }, milliseconds(3000));
  out.push_back(raw(sock, "del server test/slow"));
  return out;
}

TEST(DynamicServerVsHAProxy, NoDeletionWhileASessionIsOnIt) {
  const std::vector<std::string> theirs = busy("haproxy");
  ASSERT_EQ(theirs.size(), 7u);
  EXPECT_EQ(theirs[4], "Server still has connections attached to it, cannot remove it.\\n");
  EXPECT_EQ(theirs[5], "client got slow");
  EXPECT_EQ(theirs[6], "Server deleted.\\n");
  EXPECT_EQ(busy(""), theirs);
}

// A dynamic server at a UNIX socket path is used as it is (no resolution).
std::vector<std::string> unix_server(const std::string& binary) {
  HttpBackend::Options o1;
  o1.body = "s1";
  HttpBackend b1(o1);
  TempDir dir;
  const std::string sock = dir.file("s.sock"), path = dir.file("u.sock");
  const uint16_t fe = free_tcp_port();
  const std::string cfg = "global\n  stats socket " + sock +
                          " level admin\n"
                          "defaults\n  mode http\n  timeout connect 1s\n  timeout client 5s\n"
                          "  timeout server 5s\n"
                          "frontend fe\n  bind 127.0.0.1:" +
                          std::to_string(fe) +
                          "\n  default_backend test\n"
                          "backend test\n  server s1 127.0.0.1:" +
                          std::to_string(b1.port()) +
                          "\nlisten u\n  bind " + path +
                          "\n  http-request return status 200 content-type text/plain string unix\n";
  HearthOptions opt = options_for(binary);
  opt.wait_ports = {fe};
  HearthProcess h(cfg, opt);
  EXPECT_TRUE(h.ready()) << binary << ": " << h.describe();
  if (!h.ready()) return {};
  std::vector<std::string> out;
  out.push_back(raw(sock, "add server test/u " + path));
  out.push_back(raw(sock, "disable server test/s1"));
  out.push_back(raw(sock, "enable server test/u"));
  out.push_back(get(fe));
  return out;
}

TEST(DynamicServerVsHAProxy, UnixSocketServer) {
  const std::vector<std::string> theirs = unix_server("haproxy");
  ASSERT_EQ(theirs.size(), 4u);
  EXPECT_EQ(theirs[3], "unix");
  EXPECT_EQ(unix_server(""), theirs);
}

// A dynamic server in a backend with dynamic cookies gets none in HAProxy
// 2.6 (its responses clear the client's cookie): the same in Hearth.
std::string dynamic_cookie(const std::string& binary) {
  HttpBackend::Options o1, o2;
  o1.body = "s1";
  o2.body = "s2";
  HttpBackend b1(o1), b2(o2);
  TempDir dir;
  const std::string sock = dir.file("s.sock");
  const uint16_t fe = free_tcp_port();
  const std::string cfg = "global\n  stats socket " + sock +
                          " level admin\n"
                          "defaults\n  mode http\n  timeout connect 1s\n  timeout client 5s\n"
                          "  timeout server 5s\n"
                          "frontend fe\n  bind 127.0.0.1:" +
                          std::to_string(fe) +
                          "\n  default_backend test\n"
                          "backend test\n  cookie SRV insert dynamic\n  dynamic-cookie-key k3y\n"
                          "  server s1 127.0.0.1:" +
                          std::to_string(b1.port()) + "\n";
  HearthOptions opt = options_for(binary);
  opt.wait_ports = {fe};
  HearthProcess h(cfg, opt);
  EXPECT_TRUE(h.ready()) << binary << ": " << h.describe();
  if (!h.ready()) return {};
  std::string out = raw(sock, "add server test/s2 127.0.0.1:" + std::to_string(b2.port()));
  out += raw(sock, "enable server test/s2");
  for (int i = 0; i < 4; ++i) {
    HttpClient c(fe);
    HttpResponse r = c.request("GET", "/");
    if (r.body != "s2") continue;
    const std::string set = r.header("set-cookie").value_or("");
    // The value depends on the port, which differs between runs: its length.
    const size_t eq = set.find('='), semi = set.find(';');
    out += " " + set.substr(0, eq) + " len=" + std::to_string(semi - eq - 1);
    break;
  }
  return out;
}

TEST(DynamicServerVsHAProxy, DynamicCookieOfAnAddedServer) {
  const std::string theirs = dynamic_cookie("haproxy");
  EXPECT_EQ(theirs, "New server registered.\\n\\n\\n SRV len=0");
  EXPECT_EQ(dynamic_cookie(""), theirs);
}

// A dynamic server's health check: disabled until "enable health", then it
// takes the server DOWN (nothing listens) or keeps it UP; deleting the
// server stops its check (the backend sees no more check connections).
std::vector<std::string> checks(const std::string& binary, uint64_t* late_checks) {
  HttpBackend live;
  const uint16_t dead = free_tcp_port();
  TempDir dir;
  const std::string sock = dir.file("s.sock");
  const std::string cfg = "global\n  stats socket " + sock +
                          " level admin\n"
                          "defaults\n  mode http\n  timeout connect 1s\n  timeout client 5s\n"
                          "  timeout server 5s\n"
                          "backend be1\n  option httpchk GET /\n";
  HearthProcess h(cfg, options_for(binary));
  EXPECT_TRUE(h.ready()) << binary << ": " << h.describe();
  if (!h.ready()) return {};
  wait_until([&] { return !stats_command(sock, "show info").empty(); }, milliseconds(3000));
  std::vector<std::string> out;
  const std::string opts = " check inter 100ms rise 1 fall 1";
  out.push_back(raw(sock, "add server be1/up 127.0.0.1:" + std::to_string(live.port()) + opts));
  out.push_back(raw(sock, "add server be1/down 127.0.0.1:" + std::to_string(dead) + opts));
  out.push_back(raw(sock, "enable server be1/up"));
  out.push_back(raw(sock, "enable server be1/down"));
  std::this_thread::sleep_for(milliseconds(400));
  out.push_back("checks disabled: " + std::to_string(live.request_count()) + " " +
                statuses(sock, "be1"));
  out.push_back(raw(sock, "enable health be1/up"));
  out.push_back(raw(sock, "enable health be1/down"));
  wait_until([&] { return statuses(sock, "be1") == "up=UP down=DOWN "; }, milliseconds(3000));
  out.push_back(statuses(sock, "be1"));
  out.push_back(raw(sock, "disable server be1/up"));
  out.push_back(raw(sock, "del server be1/up"));
  std::this_thread::sleep_for(milliseconds(150));  // a check in flight ends
  const size_t after_del = live.request_count();
  std::this_thread::sleep_for(milliseconds(600));
  *late_checks = live.request_count() - after_del;
  out.push_back(statuses(sock, "be1"));
  return out;
}

TEST(DynamicServerVsHAProxy, HealthChecksOfDynamicServers) {
  uint64_t their_late = 0, our_late = 0;
  const std::vector<std::string> theirs = checks("haproxy", &their_late);
  const std::vector<std::string> ours = checks("", &our_late);

  ASSERT_EQ(theirs.size(), 11u);
  EXPECT_EQ(theirs[4], "checks disabled: 0 up=no check down=no check ");
  EXPECT_EQ(theirs[7], "up=UP down=DOWN ");
  EXPECT_EQ(theirs[9], "Server deleted.\\n");
  ASSERT_EQ(ours.size(), theirs.size());
  for (size_t i = 0; i < ours.size(); ++i) EXPECT_EQ(ours[i], theirs[i]);
  EXPECT_EQ(their_late, 0u);
  EXPECT_EQ(our_late, 0u);  // the deleted server's check stopped
}

// Servers added and deleted in a loop while clients, the stats page, the
// exporter and `show stat` run on 4 threads: every request is answered by a
// server (the static one stays), the process stays clean (sanitizers), and
// the lists end as they began.
TEST(DynamicServer, AddAndDeleteUnderTraffic) {
  HttpBackend::Options o1, o2;
  o1.body = "s1";
  o2.body = "dyn";
  HttpBackend b1(o1), b2(o2);
  TempDir dir;
  const std::string sock = dir.file("s.sock");
  HearthHttpConfig c;
  c.be_port = b1.port();
  c.global_extra = "  nbthread 4\n  stats socket " + sock + " level admin\n";
  c.fe_extra =
      "  http-request use-service prometheus-exporter if { path /metrics }\n"
      "  stats enable\n  stats uri /stats\n";
  c.be_extra = "  balance roundrobin\n";
  c.srv_extra = " check inter 50ms";
  HttpProxy proxy(c);
  ASSERT_TRUE(proxy.ready()) << proxy.describe();
  std::atomic<bool> stop{false};
  std::atomic<int> ok{0}, bad{0}, dyn{0};
  std::vector<std::thread> clients;
  for (int t = 0; t < 4; ++t)
    clients.emplace_back([&, t] {
      const char* paths[] = {"/", "/", "/stats;csv", "/metrics"};
      while (!stop.load()) {
        HttpClient cl(proxy.port());
        HttpResponse r = cl.request("GET", paths[t]);
        (r.status == 200 ? ok : bad)++;
        if (r.body == "dyn") dyn++;
      }
    });
  std::thread reader([&] {
    while (!stop.load()) {
      stats_command(sock, "show stat");
      stats_command(sock, "show servers state");
    }
  });
  const std::string addr = "127.0.0.1:" + std::to_string(b2.port());
  int added = 0, deleted = 0;
  for (int i = 0; i < 40; ++i) {
    const std::string name = "be/d" + std::to_string(i % 3);
    if (stats_command(sock, "add server " + name + " " + addr + " check inter 20ms") ==
        "New server registered.\n\n")
      ++added;
    stats_command(sock, "enable health " + name);
    stats_command(sock, "enable server " + name);
    std::this_thread::sleep_for(milliseconds(20));
    stats_command(sock, "disable server " + name);
    // Sessions still on it: HAProxy's refusal, until they end.
    wait_until([&] { return stats_command(sock, "del server " + name) == "Server deleted.\n"; },
               milliseconds(3000))
        ? ++deleted
        : 0;
  }
  stop = true;
  for (auto& t : clients) t.join();
  reader.join();
  EXPECT_EQ(added, 40);
  EXPECT_EQ(deleted, 40);
  EXPECT_GT(ok.load(), 100);
  EXPECT_EQ(bad.load(), 0);
  EXPECT_GT(dyn.load(), 0);  // the dynamic servers took traffic
  EXPECT_EQ(server_list(sock, "be"), "1:s1:2:0:1 ");
  EXPECT_EQ(get(proxy.port()), "s1");
  EXPECT_EQ(proxy.stop_and_check(), "");
}

}  // namespace
}  // namespace hearth::test::http
