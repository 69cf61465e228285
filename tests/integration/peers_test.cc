// Stick-table replication over the peers protocol, between real processes:
// hearth and HAProxy 2.6 as two peers of one section (both directions, the
// same data on both sides), hearth and hearth, a peer that restarts and
// learns the whole table back, and stickiness that follows a client from
// one process to the other (srvkey name and addr).
#include <gtest/gtest.h>

#include <chrono>
#include <csignal>
#include <functional>
#include <memory>
#include <regex>
#include <string>
#include <thread>
#include <vector>

#include "http_test_util.h"
#include "support/client.h"
#include "support/ports.h"
#include "support/temp_dir.h"
#include "support/test_certs.h"
#include "support/wait.h"

namespace hearth::test::http {
namespace {

using std::chrono::milliseconds;

std::string masked(const std::string& out) {
  static const std::regex ptr("0x[0-9a-f]+:"), exp(" exp=[0-9]+");
  return std::regex_replace(std::regex_replace(out, ptr, "ENTRY:"), exp, " exp=X");
}

// The line of `key` in a `show table` answer ("" if absent), masked.
std::string entry_line(const std::string& table_dump, const std::string& key) {
  const std::string m = masked(table_dump);
  const size_t at = m.find(" key=" + key + " ");
  if (at == std::string::npos) return "";
  const size_t start = m.rfind('\n', at) + 1;
  return m.substr(start, m.find('\n', at) - start);
}

// One process of the section: its CLI socket, its HTTP port, its peer port.
struct Node {
  std::string name;  // its peer name (-L)
  std::string binary;
  TempDir dir;
  std::string sock = dir.file("admin.sock");
  uint16_t http = free_tcp_port();
  std::unique_ptr<HearthProcess> proc;

  std::string cli(const std::string& cmd) const { return stats_command(sock, cmd); }
  // Waits until `show table <t>`'s entry for `key` satisfies `want`.
  bool wait_entry(const std::string& t, const std::string& key,
                  const std::function<bool(const std::string&)>& want,
                  milliseconds timeout = milliseconds{6000}) const {
    const auto end = std::chrono::steady_clock::now() + timeout;
    do {
      if (want(entry_line(cli("show table " + t), key))) return true;
      std::this_thread::sleep_for(milliseconds{50});
    } while (std::chrono::steady_clock::now() < end);
    return false;
  }
};

// The section of two peers A and B, and what each process serves: `extra`
// (proxies) with ${HTTP} as the node's HTTP port.
std::string config(const Node& n, uint16_t pa, uint16_t pb, const std::string& extra) {
  return "global\n  stats socket " + n.sock +
         " level admin\ndefaults\n  mode http\n  timeout client 5s\n  timeout server 5s\n"
         "  timeout connect 2s\n"
         "peers mesh\n  peer A 127.0.0.1:" +
         std::to_string(pa) + "\n  peer B 127.0.0.1:" + std::to_string(pb) +
         "\n  table t type string len 32 size 1k expire 1m store "
         "gpc0,http_req_cnt,http_req_rate(10s),bytes_in_cnt,server_id,gpt(2),conn_cur\n" +
         std::regex_replace(extra, std::regex("\\$\\{HTTP\\}"), std::to_string(n.http));
}

bool start(Node& n, uint16_t pa, uint16_t pb, const std::string& extra) {
  HearthOptions opt;
  opt.wait_ports = {n.http, n.name == "A" ? pa : pb};
  opt.extra_args = {"-L", n.name};
  if (!n.binary.empty()) {
    opt.binary = n.binary;
    opt.extra_args.insert(opt.extra_args.begin(), "-db");
  }
  n.proc = std::make_unique<HearthProcess>(config(n, pa, pb, extra), opt);
  EXPECT_TRUE(n.proc->ready()) << n.binary << ": " << n.proc->describe();
  return n.proc->ready();
}

// Waits until each side pushes its own updates to the other: neither is
// still taking the lesson it asked for at start (during which it pushes
// nothing to its teacher, and the lesson may bring back older data of its
// own entries, as with HAProxy).
bool wait_synced(const Node& a, const Node& b) {
  a.cli("set table mesh/t key sync-a data.gpc0 1");
  b.cli("set table mesh/t key sync-b data.gpc0 1");
  auto some = [](const std::string& l) { return !l.empty(); };
  return b.wait_entry("mesh/t", "sync-a", some) && a.wait_entry("mesh/t", "sync-b", some);
}

const char* kTracking =
    "frontend fe\n  bind 127.0.0.1:${HTTP}\n"
    "  http-request track-sc1 path table mesh/t\n"
    "  http-request sc-inc-gpc0(1)\n"
    "  http-request return status 200\n";

// Entries made by traffic and by the runtime API on either side appear on
// the other with the same data.
void both_directions(const std::string& binary_a, const std::string& binary_b) {
  const uint16_t pa = free_tcp_port(), pb = free_tcp_port();
  Node a{"A", binary_a}, b{"B", binary_b};
  ASSERT_TRUE(start(a, pa, pb, kTracking));
  ASSERT_TRUE(start(b, pa, pb, kTracking));
  ASSERT_TRUE(wait_synced(a, b));
  for (int i = 0; i < 3; ++i) EXPECT_EQ(http_status(http_get(a.http, "/from-a")), 200);
  EXPECT_EQ(http_status(http_get(b.http, "/from-b")), 200);
  a.cli("set table mesh/t key cli-a data.bytes_in_cnt 12345678901 data.server_id 7");
  b.cli("set table mesh/t key cli-b data.gpc0 42 data.http_req_cnt 9");
  auto has = [](const std::string& f1, const std::string& f2 = "") {
    return [f1, f2](const std::string& line) {
      return line.find(f1) != std::string::npos && line.find(f2) != std::string::npos;
    };
  };
  EXPECT_TRUE(b.wait_entry("mesh/t", "/from-a", has("gpc0=3", "http_req_cnt=3")))
      << b.cli("show table mesh/t");
  EXPECT_TRUE(a.wait_entry("mesh/t", "/from-b", has("gpc0=1", "http_req_cnt=1")))
      << a.cli("show table mesh/t");
  EXPECT_TRUE(b.wait_entry("mesh/t", "cli-a", has("bytes_in_cnt=12345678901")))
      << b.cli("show table mesh/t");
  EXPECT_TRUE(a.wait_entry("mesh/t", "cli-b", has("gpc0=42")));
  // Same data on both sides, line for line (the rate too: its counters and
  // period start travel).
  const std::string ta = a.cli("show table mesh/t"), tb = b.cli("show table mesh/t");
  for (const char* key : {"/from-a", "/from-b", "cli-a", "cli-b"}) {
    EXPECT_NE(entry_line(ta, key), "") << key << "\n" << ta;
    EXPECT_EQ(entry_line(ta, key), entry_line(tb, key)) << key;
  }
  EXPECT_NE(entry_line(tb, "/from-a").find("http_req_rate(10000)=3"), std::string::npos) << tb;
}

TEST(Peers, HearthAndHAProxyBothDirections) { both_directions("", "haproxy"); }

TEST(Peers, HAProxyAndHearthBothDirections) { both_directions("haproxy", ""); }

TEST(Peers, HearthAndHearthBothDirections) { both_directions("", ""); }

// A peer that restarts learns the whole table back: entries made while it
// was away, and those it had before.
void restart_learns_everything(const std::string& binary_a) {
  const uint16_t pa = free_tcp_port(), pb = free_tcp_port();
  Node a{"A", binary_a}, b{"B", ""};
  ASSERT_TRUE(start(a, pa, pb, kTracking));
  ASSERT_TRUE(start(b, pa, pb, kTracking));
  ASSERT_TRUE(wait_synced(a, b));
  for (int i = 0; i < 40; ++i)
    a.cli("set table mesh/t key k" + std::to_string(i) + " data.gpc0 " + std::to_string(i));
  EXPECT_TRUE(b.wait_entry("mesh/t", "k39", [](const std::string& l) { return !l.empty(); }));
  b.proc->stop();
  for (int i = 40; i < 60; ++i)
    a.cli("set table mesh/t key k" + std::to_string(i) + " data.gpc0 " + std::to_string(i));
  Node b2{"B", ""};
  b2.http = b.http;
  ASSERT_TRUE(start(b2, pa, pb, kTracking));
  EXPECT_TRUE(b2.wait_entry("mesh/t", "k59", [](const std::string& l) { return !l.empty(); }))
      << b2.cli("show table mesh/t");
  const auto end = std::chrono::steady_clock::now() + milliseconds{3000};
  while (b2.cli("show table mesh/t").find("used:62") == std::string::npos &&
         std::chrono::steady_clock::now() < end)
    std::this_thread::sleep_for(milliseconds{50});
  const std::string ta = a.cli("show table mesh/t"), tb = b2.cli("show table mesh/t");
  EXPECT_NE(tb.find("used:62"), std::string::npos) << tb;  // and sync-a, sync-b
  for (const char* key : {"k0", "k17", "k39", "k40", "k59"})
    EXPECT_EQ(entry_line(ta, key), entry_line(tb, key)) << key;
}

TEST(Peers, RestartedPeerLearnsTheTableFromHearth) { restart_learns_everything(""); }

TEST(Peers, RestartedPeerLearnsTheTableFromHAProxy) { restart_learns_everything("haproxy"); }

// Stickiness learnt on one process holds on the other. With srvkey name the
// servers are found by name (different addresses); with srvkey addr by
// address (different names, other order).
void stickiness_follows(const std::string& binary_b, bool by_addr) {
  HttpBackend s1, s2;  // answer "ok"; which one served is counted
  const uint16_t pa = free_tcp_port(), pb = free_tcp_port();
  const std::string srvkey = by_addr ? " srvkey addr" : "";
  // A: srv1 at s1, srv2 at s2. B by name: the same names, addresses
  // swapped. B by address: other names, after a disabled server so that
  // server ids do not match either (HAProxy falls back to the id).
  auto servers = [&](bool side_b) {
    const std::string p1 = std::to_string(s1.port()), p2 = std::to_string(s2.port());
    if (!side_b) return "  server srv1 127.0.0.1:" + p1 + "\n  server srv2 127.0.0.1:" + p2 + "\n";
    if (!by_addr) return "  server srv1 127.0.0.1:" + p2 + "\n  server srv2 127.0.0.1:" + p1 + "\n";
    return "  server z 127.0.0.1:1 disabled\n  server x 127.0.0.1:" + p1 +
           "\n  server y 127.0.0.1:" + p2 + "\n";
  };
  auto extra = [&](bool side_b) {
    return "backend be\n  balance roundrobin\n  stick-table type string size 1k peers mesh" +
           srvkey + "\n  stick on url_param(c)\n" + servers(side_b) +
           "frontend fe\n  bind 127.0.0.1:${HTTP}\n  default_backend be\n";
  };
  Node a{"A", ""}, b{"B", binary_b};
  ASSERT_TRUE(start(a, pa, pb, extra(false)));
  ASSERT_TRUE(start(b, pa, pb, extra(true)));
  // On A: c=1 goes to the first server (s1), c=2 to the second (s2).
  EXPECT_EQ(http_status(http_get(a.http, "/?c=1")), 200);
  EXPECT_EQ(http_status(http_get(a.http, "/?c=2")), 200);
  ASSERT_EQ(s1.request_count(), 1u);
  ASSERT_EQ(s2.request_count(), 1u);
  const std::string key_of_s1 = by_addr ? "127.0.0.1:" + std::to_string(s1.port()) : "srv1";
  EXPECT_TRUE(b.wait_entry("be", "1", [&](const std::string& l) {
    return l.find("server_key=" + key_of_s1) != std::string::npos;
  })) << b.cli("show table be");
  EXPECT_TRUE(b.wait_entry("be", "2", [](const std::string& l) { return !l.empty(); }));
  // On B the entries learnt from A decide: by name c=2 goes to srv2 (at
  // s1 there), by address to y (s2). Round robin alone would give the
  // opposite split.
  EXPECT_EQ(http_status(http_get(b.http, "/?c=2")), 200);
  EXPECT_EQ(http_status(http_get(b.http, "/?c=1")), 200);
  EXPECT_EQ(http_status(http_get(b.http, "/?c=2")), 200);
  EXPECT_EQ(s1.request_count(), by_addr ? 2u : 3u);
  EXPECT_EQ(s2.request_count(), by_addr ? 3u : 2u);
}

TEST(Peers, StickinessByServerNameHearthToHAProxy) { stickiness_follows("haproxy", false); }
TEST(Peers, StickinessByServerAddressHearthToHAProxy) { stickiness_follows("haproxy", true); }
TEST(Peers, StickinessByServerNameHearthToHearth) { stickiness_follows("", false); }
TEST(Peers, StickinessByServerAddressHearthToHearth) { stickiness_follows("", true); }

// Over TLS (bind ... ssl crt, default-server ssl verify required ca-file):
// hearth and HAProxy both ways.
TEST(Peers, TlsHearthAndHAProxy) {
  TestCerts certs;
  const std::string pem = certs.server("peer.pem", "peer.test", {"peer.test"});
  ASSERT_FALSE(pem.empty()) << certs.last_error();
  const uint16_t pa = free_tcp_port(), pb = free_tcp_port();
  Node a{"A", ""}, b{"B", "haproxy"};
  auto cfg = [&](const Node& n) {
    const bool is_a = n.name == "A";
    return "global\n  stats socket " + n.sock +
           " level admin\ndefaults\n  mode http\n  timeout client 5s\n  timeout server 5s\n"
           "  timeout connect 2s\npeers mesh\n  default-server ssl verify required ca-file " +
           certs.ca_pem() + "\n  bind 127.0.0.1:" + std::to_string(is_a ? pa : pb) + " ssl crt " +
           pem + "\n  server A" + (is_a ? "" : " 127.0.0.1:" + std::to_string(pa)) +
           "\n  server B" + (is_a ? " 127.0.0.1:" + std::to_string(pb) : "") +
           "\n  table t type string len 32 size 1k expire 1m store gpc0,http_req_cnt\n" +
           std::regex_replace(kTracking, std::regex("\\$\\{HTTP\\}"), std::to_string(n.http));
  };
  for (Node* n : {&a, &b}) {
    HearthOptions opt;
    opt.wait_ports = {n->http, n == &a ? pa : pb};
    opt.extra_args = {"-L", n->name};
    if (!n->binary.empty())
      opt.binary = n->binary, opt.extra_args.insert(opt.extra_args.begin(), "-db");
    n->proc = std::make_unique<HearthProcess>(cfg(*n), opt);
    ASSERT_TRUE(n->proc->ready()) << n->binary << ": " << n->proc->describe();
  }
  ASSERT_TRUE(wait_synced(a, b));
  EXPECT_EQ(http_status(http_get(a.http, "/tls-a")), 200);
  EXPECT_EQ(http_status(http_get(b.http, "/tls-b")), 200);
  auto one = [](const std::string& l) { return l.find("gpc0=1") != std::string::npos; };
  EXPECT_TRUE(b.wait_entry("mesh/t", "/tls-a", one)) << b.cli("show table mesh/t");
  EXPECT_TRUE(a.wait_entry("mesh/t", "/tls-b", one)) << a.cli("show table mesh/t");
}

// show peers: the section, its peers (the remote one connected, its session
// established) and the tables they share, in HAProxy 2.6's layout.
TEST(Peers, ShowPeers) {
  const uint16_t pa = free_tcp_port(), pb = free_tcp_port();
  Node a{"A", ""}, b{"B", "haproxy"};
  ASSERT_TRUE(start(a, pa, pb, kTracking));
  ASSERT_TRUE(start(b, pa, pb, kTracking));
  ASSERT_TRUE(wait_synced(a, b));
  const std::string out = a.cli("show peers");
  EXPECT_TRUE(
      std::regex_search(out, std::regex("^0x[0-9a-f]+: \\[[0-9A-Za-z/:]+\\] id=mesh disabled=0 ")))
      << out;
  EXPECT_NE(
      out.find("id=B(remote,active) addr=127.0.0.1:" + std::to_string(pb) + " last_status=ESTA"),
      std::string::npos)
      << out;
  EXPECT_NE(out.find("id=A(local,inactive) addr=127.0.0.1:" + std::to_string(pa)),
            std::string::npos)
      << out;
  EXPECT_NE(out.find(" id=mesh/t update="), std::string::npos) << out;
  EXPECT_EQ(out.substr(out.size() - 2), "\n\n");
  EXPECT_NE(a.cli("show peers mesh").find("id=B(remote,active)"), std::string::npos);
  EXPECT_EQ(a.cli("show peers nope"), "No such peers\n\n");
  EXPECT_EQ(b.cli("show peers nope"), "No such peers\n\n");  // HAProxy's answer
}

size_t occurrences(const std::string& text, const std::string& needle) {
  size_t n = 0;
  for (size_t at = text.find(needle); at != std::string::npos; at = text.find(needle, at + 1)) ++n;
  return n;
}

// A reload in master-worker mode: the old worker teaches the new one its
// tables over the peers protocol, as the local peer (here the only peer),
// with the time each entry has left.
TEST(Peers, ReloadHandsTheTablesToTheNewWorker) {
  Node a{"A", ""};
  const uint16_t pa = free_tcp_port();
  HearthOptions opt;
  opt.extra_args = {"-W", "-L", "A"};
  opt.wait_ports = {a.http, pa};
  opt.wait_output = "new worker (";
  HearthProcess h(
      "global\n  stats socket " + a.sock +
          " level admin\ndefaults\n  mode http\n  timeout client 5s\n"
          "  timeout server 5s\n  timeout connect 2s\n"
          "peers mesh\n  peer A 127.0.0.1:" +
          std::to_string(pa) +
          "\n  table t type string len 32 size 1k expire 1m store gpc0,http_req_cnt\n" +
          std::regex_replace(kTracking, std::regex("\\$\\{HTTP\\}"), std::to_string(a.http)),
      opt);
  ASSERT_TRUE(h.ready()) << h.describe();
  for (int i = 0; i < 3; ++i) EXPECT_EQ(http_status(http_get(a.http, "/before")), 200);
  a.cli("set table mesh/t key cli data.gpc0 9");
  std::this_thread::sleep_for(milliseconds{1500});  // the entries age: exp must show it
  const std::string before = a.cli("show table mesh/t");
  h.process().send_signal(SIGUSR2);
  ASSERT_TRUE(wait_until([&] { return occurrences(h.output(), "former worker") >= 1; },
                         milliseconds{15000}))
      << h.output();
  const std::string after = a.cli("show table mesh/t");
  EXPECT_NE(after.find("used:2"), std::string::npos) << before << after << h.output();
  for (const char* key : {"/before", "cli"}) {
    EXPECT_NE(entry_line(after, key), "") << key << "\n" << after;
    EXPECT_EQ(entry_line(after, key), entry_line(before, key)) << key;
  }
  // Their expiry kept running: below the 58.5 s a fresh entry would show.
  static const std::regex exp_re(" exp=([0-9]+)");
  std::smatch m;
  const std::string line = after.substr(after.find("key=cli"));
  ASSERT_TRUE(std::regex_search(line, m, exp_re)) << after;
  EXPECT_LT(std::stoi(m[1]), 58500) << after;
  // The new worker serves and counts on.
  EXPECT_EQ(http_status(http_get(a.http, "/before")), 200);
  EXPECT_TRUE(a.wait_entry("mesh/t", "/before", [](const std::string& l) {
    return l.find("gpc0=4") != std::string::npos;
  })) << a.cli("show table mesh/t");
}

// The handshake answers: a hello naming another local peer gets 503, an
// unknown sender 504, a bad version 502; a good one 200 and then HAProxy's
// framing (a heartbeat within 3 s when nothing else is said).
TEST(Peers, HandshakeStatusCodes) {
  const uint16_t pa = free_tcp_port(), pb = free_tcp_port();
  Node a{"A", ""};
  ASSERT_TRUE(start(a, pa, pb, kTracking));
  auto hello = [&](const std::string& text, std::string* rest = nullptr) {
    HttpClient c(pa);
    c.send(text);
    std::string got = c.read_n(4, milliseconds{2000});
    if (rest) *rest = c.read_n(2, milliseconds{4500});
    return got;
  };
  EXPECT_EQ(hello("HAProxyS 2.1\nZ\nB 1 1\n"), "503\n");
  EXPECT_EQ(hello("HAProxyS 2.1\nA\nQ 1 1\n"), "504\n");
  EXPECT_EQ(hello("HAProxyS 3.0\nA\nB 1 1\n"), "502\n");
  std::string rest;
  EXPECT_EQ(hello("HAProxyS 2.1\nA\nB 1 1\n", &rest), "200\n");
  // A starts by asking B for a resync (control class 0, type 0), or goes
  // straight to a heartbeat (type 4).
  ASSERT_EQ(rest.size(), 2u);
  EXPECT_EQ(rest[0], 0);
  EXPECT_TRUE(rest[1] == 0 || rest[1] == 4) << int(rest[1]);
}

// The local peer's name: -L, else "localpeer" (global), else the host name.
// "disabled" sections listen to nothing.
TEST(Peers, LocalPeerNameAndDisabled) {
  const uint16_t http = free_tcp_port(), pa = free_tcp_port(), pd = free_tcp_port();
  auto cfg = [&](const std::string& global) {
    return "global\n" + global +
           "defaults\n  mode http\n  timeout client 1s\n  timeout server 1s\n"
           "  timeout connect 1s\npeers p\n  peer A 127.0.0.1:" +
           std::to_string(pa) +
           "\npeers off\n  disabled\n  peer A 127.0.0.1:" + std::to_string(pd) +
           "\nfrontend fe\n  bind 127.0.0.1:" + std::to_string(http) +
           "\n  http-request return status 200\n";
  };
  {
    HearthProcess h(cfg("  localpeer A\n"), HearthOptions{.wait_ports = {http, pa}});
    ASSERT_TRUE(h.ready()) << h.describe();
    EXPECT_FALSE(port_listening(pd));  // the disabled section's peer
  }
  {
    HearthOptions opt{.wait_ports = {http}};
    opt.extra_args = {"-L", "Z"};  // -L wins over localpeer
    HearthProcess h(cfg("  localpeer A\n"), opt);
    EXPECT_FALSE(h.ready());
    EXPECT_NE(h.output().find("no peer named 'Z'"), std::string::npos) << h.output();
  }
}

TEST(Peers, RefusedConfigurationsNameFileAndLine) {
  const uint16_t port = free_tcp_port();
  struct Case {
    std::string text, where;
  } cases[] = {
      {"peers p\n  peer A 127.0.0.1:1 check\n", "hearth.cfg:7: 'peer'"},
      {"peers p\n  peer A 127.0.0.1:1\n  log stdout format raw local0\n", "hearth.cfg:8: 'log'"},
      // No peer named after the local one (-L A).
      {"peers p\n  peer X 127.0.0.1:1\n", "hearth.cfg:6: 'peers'"},
  };
  for (const Case& c : cases) {
    HearthOptions opt{.wait_ports = {port}};
    opt.extra_args = {"-L", "A"};
    HearthProcess h(
        "defaults\n  mode http\n  timeout client 1s\n  timeout server 1s\n"
        "  timeout connect 1s\n" +
            c.text + "frontend fe\n  bind 127.0.0.1:" + std::to_string(port) +
            "\n  http-request return status 200\n",
        opt);
    EXPECT_FALSE(h.ready()) << c.text;
    EXPECT_NE(h.output().find(c.where), std::string::npos) << c.where << "\n" << h.output();
  }
}

}  // namespace
}  // namespace hearth::test::http
