// Active health checks as a user sees them: a server on a dead port is marked
// DOWN and gets no traffic, comes back UP when it listens again, an HTTP
// check judges the status, backups take over, maintenance wins over checks,
// transitions are logged, and checks neither count as sessions nor leak
// sockets. Waits are generous: the machine may be loaded.
#include <dirent.h>
#include <gtest/gtest.h>
#include <sys/socket.h>

#include <chrono>
#include <map>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

#include "http_test_util.h"
#include "support/ports.h"
#include "support/temp_dir.h"
#include "support/wait.h"
#include "tcp_test_util.h"

namespace hearth::test {
namespace {

using std::chrono::milliseconds;
using tcp::server_line;
using tcp::TcpProxy;

constexpr milliseconds kStateWait{10000};

// A stats socket in its own temporary directory.
struct Stats {
  TempDir dir;
  std::string path = dir.file("stats.sock");
  std::string global() const { return "    stats socket " + path + " level admin\n"; }
  std::string command(const std::string& c) const { return http::stats_command(path, c); }

  // Returns: the `show stat` columns of row "be,srv", keyed by the header's
  // names; empty if there is no such row.
  std::map<std::string, std::string> row(const std::string& be, const std::string& srv) const {
    std::istringstream in(command("show stat"));
    std::vector<std::string> names;
    std::string line;
    while (std::getline(in, line)) {
      std::vector<std::string> cols;
      std::stringstream ls(line.rfind("# ", 0) == 0 ? line.substr(2) : line);
      for (std::string c; std::getline(ls, c, ',');) cols.push_back(c);
      if (line.rfind("# ", 0) == 0) {
        names = cols;
        continue;
      }
      if (cols.size() < 2 || cols[0] != be || cols[1] != srv) continue;
      std::map<std::string, std::string> out;
      for (size_t i = 0; i < names.size() && i < cols.size(); ++i) out[names[i]] = cols[i];
      return out;
    }
    return {};
  }
  std::string status(const std::string& be, const std::string& srv) const {
    auto r = row(be, srv);
    return r.count("status") ? r["status"] : "";
  }
  // Waits until server be/srv shows `want` in the status column.
  bool wait_status(const std::string& be, const std::string& srv, const std::string& want,
                   milliseconds timeout = kStateWait) const {
    return wait_until([&] { return status(be, srv) == want; }, timeout);
  }
  std::string info(const std::string& field) const {
    std::istringstream in(command("show info"));
    for (std::string line; std::getline(in, line);)
      if (line.rfind(field + ": ", 0) == 0) return line.substr(field.size() + 2);
    return "";
  }
};

// Returns: open file descriptors of process pid, or -1.
int fd_count(pid_t pid) {
  DIR* d = opendir(("/proc/" + std::to_string(pid) + "/fd").c_str());
  if (!d) return -1;
  int n = 0;
  while (dirent* e = readdir(d))
    if (e->d_name[0] != '.') ++n;
  closedir(d);
  return n;
}

const std::string kFastTcp =
    "    timeout connect 200ms\n    timeout client 10s\n    timeout server 10s\n";

// -------------------------------------------------------------------------
// TCP checks.

TEST(HealthCheck, ServerOnADeadPortIsMarkedDownAndGetsNoTraffic) {
  NameServer live("live");
  uint16_t dead = tcp::dead_port();
  Stats stats;
  TcpProxy proxy({.global = stats.global(),
                  .defaults = kFastTcp,
                  .backend = "    balance roundrobin\n" +
                             server_line("dead", dead, "check inter 100ms fall 2 rise 2") +
                             server_line("live", live.port(), "check inter 100ms fall 2 rise 2")});
  ASSERT_TRUE(proxy.hearth.ready()) << proxy.hearth.describe();
  ASSERT_TRUE(stats.wait_status("be", "dead", "DOWN")) << stats.command("show stat");
  ASSERT_TRUE(stats.wait_status("be", "live", "UP")) << stats.command("show stat");

  // Without the check, every other session would go to the dead server and fail.
  EXPECT_EQ(tcp::tally(proxy.port, 20), (std::map<std::string, int>{{"live", 20}}));
  auto row = stats.row("be", "dead");
  EXPECT_EQ(row["status"], "DOWN");
  EXPECT_EQ(row["check_status"], "L4CON");
  EXPECT_EQ(row["last_chk"], "Connection refused");
  EXPECT_EQ(row["chkdown"], "1");
  EXPECT_EQ(row["chkfail"], "1");  // later failures of a DOWN server are not counted
  EXPECT_EQ(row["stot"], "0");
  EXPECT_EQ(stats.status("be", "live"), "UP");
  EXPECT_EQ(stats.row("be", "live")["check_status"], "L4OK");
  std::string metrics = stats.command("show metrics");
  EXPECT_NE(metrics.find("hearth_server_up{proxy=\"be\",server=\"dead\"} 0"), std::string::npos)
      << metrics;
  EXPECT_NE(metrics.find("hearth_server_up{proxy=\"be\",server=\"live\"} 1"), std::string::npos);

  // The transition is logged on stderr with its reason.
  std::string line = tcp::wait_log_line(proxy.hearth, {"Server be/dead is DOWN"});
  EXPECT_NE(line.find("Layer4 connection problem"), std::string::npos) << line;
  EXPECT_NE(line.find("Connection refused"), std::string::npos) << line;
  EXPECT_NE(line.find("1 active and 0 backup servers left"), std::string::npos) << line;
  EXPECT_EQ(lines_with(proxy.hearth.output(), {"has no server available"}).size(), 0u);
}

TEST(HealthCheck, ServerThatStartsListeningComesBackUpAndGetsTraffic) {
  NameServer live("live");
  uint16_t port = tcp::dead_port();
  Stats stats;
  TcpProxy proxy({.global = stats.global(),
                  .defaults = kFastTcp,
                  .backend = "    balance roundrobin\n" +
                             server_line("late", port, "check inter 100ms fall 2 rise 2") +
                             server_line("live", live.port())});
  ASSERT_TRUE(proxy.hearth.ready()) << proxy.hearth.describe();
  ASSERT_TRUE(stats.wait_status("be", "late", "DOWN")) << stats.command("show stat");
  EXPECT_EQ(tcp::tally(proxy.port, 6), (std::map<std::string, int>{{"live", 6}}));

  ScriptedServer late(scripted::send_and_close("late\n"), port);
  ASSERT_TRUE(stats.wait_status("be", "late", "UP")) << stats.command("show stat");
  std::string up = tcp::wait_log_line(proxy.hearth, {"Server be/late is UP"});
  EXPECT_NE(up.find("Layer4 check passed"), std::string::npos) << up;
  EXPECT_NE(up.find("2 active and 0 backup servers online"), std::string::npos) << up;
  EXPECT_EQ(stats.row("be", "late")["chkdown"], "1");

  std::map<std::string, int> seen = tcp::tally(proxy.port, 10);
  EXPECT_EQ(seen["late"] + seen["live"], 10) << "some sessions failed";
  EXPECT_GE(seen["late"], 4);
  EXPECT_GE(seen["live"], 4);
}

// As HAProxy: a pure layer-4 check (nothing to send first) delays the last
// ACK of the handshake and closes at once, so the connection never reaches
// the server's accept queue; a check that sends first is accepted.
TEST(HealthCheck, PureLayer4CheckNeverReachesTheAcceptQueueAsHAProxy) {
  for (const char* binary : {"", "haproxy"}) {
    for (const bool sends : {false, true}) {
      NameServer server("s");
      const uint16_t fe = free_tcp_port();
      const std::string cfg =
          "defaults\n  mode tcp\n  timeout connect 1s\n  timeout client 5s\n"
          "  timeout server 5s\n"
          "frontend f\n  bind 127.0.0.1:" +
          std::to_string(fe) + "\n  default_backend be\nbackend be\n" +
          (sends ? "  option tcp-check\n  tcp-check send ping\\n\n" : "") +
          "  server s 127.0.0.1:" + std::to_string(server.port()) + " check inter 100ms\n";
      HearthOptions opt{.wait_ports = {fe}};
      if (*binary) opt.binary = binary, opt.extra_args = {"-db"};
      HearthProcess h(cfg, opt);
      ASSERT_TRUE(h.ready()) << h.describe();
      std::this_thread::sleep_for(milliseconds{600});  // a few checks
      if (sends)
        EXPECT_GE(server.accepted(), 3u) << binary;
      else
        EXPECT_EQ(server.accepted(), 0u) << binary;
    }
  }
}

// Two threads: each server's checks run on its own worker loop.
TEST(HealthCheck, ChecksAreNotSessionsAndLeaveNoSocketBehind) {
  NameServer live("live");
  Stats stats;
  TcpProxy proxy({.global = stats.global() + "    nbthread 2\n",
                  .defaults = kFastTcp,
                  // Checks that send first, so that the server sees each one
                  // (a pure layer-4 check never reaches its accept queue).
                  .backend = "    option tcp-check\n    tcp-check send ping\n" +
                             server_line("live", live.port(), "check inter 10ms") +
                             server_line("dead", tcp::dead_port(), "check inter 10ms")});
  ASSERT_TRUE(proxy.hearth.ready()) << proxy.hearth.describe();
  const pid_t pid = proxy.hearth.process().pid();
  ASSERT_TRUE(live.wait_accepted(10, kStateWait));
  const int fds_before = fd_count(pid);
  ASSERT_GT(fds_before, 0);
  // Hundreds of checks: a socket leaked per check (or per failed check) shows.
  ASSERT_TRUE(live.wait_accepted(200, milliseconds{20000})) << live.accepted();
  ASSERT_TRUE(stats.wait_status("be", "dead", "DOWN"));
  EXPECT_LE(fd_count(pid), fds_before + 2);
  EXPECT_LE(std::stoi("0" + stats.info("LiveConnections")), 2);
  EXPECT_EQ(stats.info("CurrConns"), "0");
  EXPECT_EQ(stats.row("be", "live")["stot"], "0");
  EXPECT_EQ(stats.row("fe", "FRONTEND")["stot"], "0");
  // Nor do they get in the way of real sessions.
  EXPECT_EQ(tcp::tally(proxy.port, 3), (std::map<std::string, int>{{"live", 3}}));
  EXPECT_EQ(stats.row("fe", "FRONTEND")["stot"], "3");
}

TEST(HealthCheck, MaintenanceOverridesChecksAndEnableResumesThem) {
  NameServer live("live");
  uint16_t dead = tcp::dead_port();
  Stats stats;
  TcpProxy proxy({.global = stats.global(),
                  .defaults = kFastTcp,
                  .backend = server_line("live", live.port(), "check inter 100ms") +
                             server_line("dead", dead, "check inter 100ms")});
  ASSERT_TRUE(proxy.hearth.ready()) << proxy.hearth.describe();
  ASSERT_TRUE(stats.wait_status("be", "dead", "DOWN"));

  // A DOWN server put in maintenance shows MAINT; enabled again, it is UP
  // until its first check fails, then DOWN once more.
  stats.command("disable server be/dead");
  EXPECT_EQ(stats.status("be", "dead"), "MAINT");
  stats.command("enable server be/dead");
  ASSERT_TRUE(wait_until([&] { return stats.row("be", "dead")["chkdown"] == "2"; }, kStateWait))
      << stats.command("show stat");
  EXPECT_EQ(stats.status("be", "dead"), "DOWN");

  // The live server in maintenance: no server is left.
  stats.command("disable server be/live");
  EXPECT_EQ(stats.status("be", "live"), "MAINT");
  EXPECT_FALSE(
      tcp::wait_log_line(proxy.hearth, {"Server be/live is going DOWN for maintenance"}).empty());
  EXPECT_FALSE(tcp::wait_log_line(proxy.hearth, {"backend be has no server available!"}).empty());
  EXPECT_EQ(tcp::tally(proxy.port, 2), (std::map<std::string, int>{{"", 2}}));
  stats.command("enable server be/live");
  ASSERT_TRUE(stats.wait_status("be", "live", "UP"));
  EXPECT_EQ(tcp::tally(proxy.port, 3), (std::map<std::string, int>{{"live", 3}}));
}

// -------------------------------------------------------------------------
// HTTP checks.

const char* k503 =
    "HTTP/1.1 503 Service Unavailable\r\ncontent-length: 0\r\nconnection: close\r\n\r\n";

// Returns: how many requests `b` received for `target`.
size_t count_target(const http::HttpBackend& b, const std::string& target) {
  size_t n = 0;
  for (const auto& r : b.requests()) n += r.target == target;
  return n;
}

TEST(HealthCheck, HttpCheckMarksAServerAnswering503DownThoughItsPortAccepts) {
  http::HttpBackend healthy;
  ScriptedServer sick(scripted::reply_and_close(k503));
  Stats stats;
  http::HttpProxy proxy({.be_port = healthy.port(),
                         .global_extra = stats.global(),
                         .be_extra = "  option httpchk GET /health\n"
                                     "  server s2 127.0.0.1:" +
                                     std::to_string(sick.port()) + " check inter 100ms\n",
                         .srv_extra = "check inter 100ms"});
  ASSERT_TRUE(proxy.ready()) << proxy.describe();
  ASSERT_TRUE(stats.wait_status("be", "s2", "DOWN")) << stats.command("show stat");
  ASSERT_TRUE(stats.wait_status("be", "s1", "UP")) << stats.command("show stat");
  auto row = stats.row("be", "s2");
  EXPECT_EQ(row["check_status"], "L7STS");
  EXPECT_EQ(row["check_code"], "503");
  EXPECT_EQ(stats.status("be", "s1"), "UP");
  EXPECT_EQ(stats.row("be", "s1")["check_status"], "L7OK");
  EXPECT_GE(count_target(healthy, "/health"), 1u);
  for (const auto& r : healthy.requests()) {
    if (r.target != "/health") continue;
    EXPECT_EQ(r.method + " " + r.version, "GET HTTP/1.0");
  }

  for (int i = 0; i < 20; ++i) {
    http::HttpClient c(proxy.port());
    EXPECT_EQ(c.request("GET", "/client").status, 200) << "request " << i;
  }
  EXPECT_EQ(count_target(healthy, "/client"), 20u);
  std::string line = tcp::wait_log_line(proxy.hearth(), {"Server be/s2 is DOWN"});
  EXPECT_NE(line.find("Layer7 wrong status, code: 503"), std::string::npos) << line;
  EXPECT_EQ(proxy.stop_and_check(), "");
}

TEST(HealthCheck, ExpectStatusMakesARedirectAFailure) {
  http::HttpBackend backend;
  Stats strict_stats, lax_stats;
  // /status/302 answers 302: good enough by default, not for "expect status 200".
  http::HttpProxy strict({.be_port = backend.port(),
                          .global_extra = strict_stats.global(),
                          .be_extra = "  option httpchk GET /status/302\n"
                                      "  http-check expect status 200\n",
                          .srv_extra = "check inter 100ms"});
  http::HttpProxy lax({.be_port = backend.port(),
                       .global_extra = lax_stats.global(),
                       .be_extra = "  option httpchk GET /status/302\n",
                       .srv_extra = "check inter 100ms"});
  ASSERT_TRUE(strict.ready()) << strict.describe();
  ASSERT_TRUE(lax.ready()) << lax.describe();
  ASSERT_TRUE(strict_stats.wait_status("be", "s1", "DOWN")) << strict_stats.command("show stat");
  EXPECT_EQ(strict_stats.row("be", "s1")["check_code"], "302");
  EXPECT_EQ(strict_stats.row("be", "s1")["check_status"], "L7STS");
  ASSERT_TRUE(
      wait_until([&] { return lax_stats.row("be", "s1")["check_status"] == "L7OK"; }, kStateWait));
  EXPECT_EQ(lax_stats.status("be", "s1"), "UP");
  EXPECT_EQ(lax_stats.row("be", "s1")["check_code"], "302");
  EXPECT_EQ(http::HttpClient(strict.port()).request("GET", "/").status, 503);
  EXPECT_EQ(http::HttpClient(lax.port()).request("GET", "/").status, 200);
  EXPECT_EQ(strict.stop_and_check(), "");
  EXPECT_EQ(lax.stop_and_check(), "");
}

TEST(HealthCheck, AllServersDownAnswers503AtOnce) {
  Stats stats;
  http::HttpProxy proxy({.be_port = tcp::dead_port(),
                         .global_extra = stats.global(),
                         .be_extra = "  server s2 127.0.0.1:" + std::to_string(tcp::dead_port()) +
                                     " check inter 100ms\n",
                         .srv_extra = "check inter 100ms"});
  ASSERT_TRUE(proxy.ready()) << proxy.describe();
  ASSERT_TRUE(stats.wait_status("be", "s1", "DOWN"));
  ASSERT_TRUE(stats.wait_status("be", "s2", "DOWN"));
  EXPECT_FALSE(tcp::wait_log_line(proxy.hearth(), {"backend be has no server available!"}).empty());
  // No connection attempt (and no retry, 1 s apart) is made: the answer is immediate.
  auto start = std::chrono::steady_clock::now();
  EXPECT_EQ(http::HttpClient(proxy.port()).request("GET", "/").status, 503);
  EXPECT_LT(tcp::ms_since(start), 900);
  EXPECT_EQ(stats.row("be", "s1")["econ"], "0");
  EXPECT_EQ(proxy.stop_and_check(), "");
}

TEST(HealthCheck, BackupTakesOverWhenTheActiveServerIsDown) {
  http::HttpBackend backup;
  Stats stats;
  http::HttpProxy proxy({.be_port = backup.port(),
                         .global_extra = stats.global(),
                         .be_extra = "  server a1 127.0.0.1:" + std::to_string(tcp::dead_port()) +
                                     " check inter 100ms\n",
                         .srv_extra = "backup check inter 100ms"});
  ASSERT_TRUE(proxy.ready()) << proxy.describe();
  ASSERT_TRUE(stats.wait_status("be", "a1", "DOWN"));
  std::string line = tcp::wait_log_line(proxy.hearth(), {"Server be/a1 is DOWN"});
  EXPECT_NE(line.find("0 active and 1 backup servers left"), std::string::npos) << line;
  for (int i = 0; i < 10; ++i) {
    http::HttpClient c(proxy.port());
    EXPECT_EQ(c.request("GET", "/client").status, 200) << "request " << i;
  }
  EXPECT_EQ(count_target(backup, "/client"), 10u);
  EXPECT_EQ(proxy.stop_and_check(), "");
}

// "port" sends the checks elsewhere: when that port dies, the server is DOWN
// although it still serves, and its idle pooled connections are closed so no
// request reuses them.
TEST(HealthCheck, CheckPortDecidesAndIdleConnectionsOfADownServerAreClosed) {
  http::HttpBackend backend;
  uint16_t check_port = 0;
  UniqueFd check_listener(listen_loopback(0, &check_port));
  ASSERT_TRUE(check_listener.valid());
  Stats stats;
  http::HttpProxy proxy({.be_port = backend.port(),
                         .global_extra = stats.global(),
                         .srv_extra = "check inter 100ms port " + std::to_string(check_port)});
  ASSERT_TRUE(proxy.ready()) << proxy.describe();
  ASSERT_TRUE(stats.wait_status("be", "s1", "UP"));
  {
    http::HttpClient c(proxy.port());
    EXPECT_EQ(c.request("GET", "/a").status, 200);
    EXPECT_EQ(c.request("GET", "/b").status, 200);
  }
  ASSERT_TRUE(
      wait_until([&] { return http::server_conn_stats(stats.path, "be/s1")["idle_cur"] == "1"; },
                 milliseconds{5000}))
      << stats.command("show servers conn");
  EXPECT_EQ(backend.active(), 1);
  EXPECT_EQ(backend.connections(), 1u) << "checks went to the service port";

  check_listener.reset();
  ASSERT_TRUE(stats.wait_status("be", "s1", "DOWN"));
  EXPECT_TRUE(wait_until([&] { return backend.active() == 0; }, milliseconds{5000}))
      << "the idle connection of the DOWN server is still open";
  EXPECT_EQ(http::server_conn_stats(stats.path, "be/s1")["idle_cur"], "0");
  EXPECT_EQ(http::HttpClient(proxy.port()).request("GET", "/c").status, 503);
  EXPECT_EQ(proxy.stop_and_check(), "");
}

// "addr" checks another address: 127.0.0.2 reaches no listener bound to
// 127.0.0.1, so the server is DOWN although its own address answers.
TEST(HealthCheck, CheckAddrIsWhereChecksGo) {
  http::HttpBackend backend;
  Stats stats;
  http::HttpProxy proxy({.be_port = backend.port(),
                         .global_extra = stats.global(),
                         .srv_extra = "check inter 100ms addr 127.0.0.2"});
  ASSERT_TRUE(proxy.ready()) << proxy.describe();
  ASSERT_TRUE(stats.wait_status("be", "s1", "DOWN"));
  EXPECT_EQ(stats.row("be", "s1")["check_status"], "L4CON");
  EXPECT_EQ(backend.connections(), 0u);
  EXPECT_EQ(proxy.stop_and_check(), "");
}

}  // namespace
}  // namespace hearth::test
