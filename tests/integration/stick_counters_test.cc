// Stick counters at run time, compared with HAProxy 2.6 on the same
// configuration and the same traffic: track-sc0/1/2 from tcp-request
// connection, tcp-request content and http-request rules (one session-level
// slot, stream-level ones over it), what each kind of answer counts (server
// 4xx and 5xx, denies, tarpits, auth, returns, redirects, invalid requests,
// invalid responses, server timeouts, missing servers), sc-inc-gpc0 and
// sc-set-gpt0, and the sc_*, src_*, table_* fetches and converters read in
// response headers. Real peers: nginx answers with the server statuses.
//
// Byte counts differ by nature: HAProxy counts the size of its internal
// HTX messages, Hearth the bytes on the wire; they are checked to be
// counted, not compared.
#include <gtest/gtest.h>
#include <sys/socket.h>

#include <chrono>
#include <regex>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

#include "http_test_util.h"
#include "support/client.h"
#include "support/fake_backend.h"
#include "support/ports.h"
#include "support/scripted_server.h"
#include "support/temp_dir.h"
#include "support/unique_fd.h"

namespace hearth::test::http {
namespace {

using std::chrono::milliseconds;

// show table, with what differs by nature masked: entry addresses, the
// milliseconds left, and byte counts (kept as "counted" or 0).
std::string masked(const std::string& out) {
  static const std::regex ptr("0x[0-9a-f]+:"), exp(" exp=[0-9]+"),
      bytes("(bytes_(in|out)_cnt)=[1-9][0-9]*");
  std::string s = std::regex_replace(out, ptr, "ENTRY:");
  s = std::regex_replace(s, exp, " exp=X");
  return std::regex_replace(s, bytes, "$1=counted");
}

struct Peer {
  std::unique_ptr<HearthProcess> proc;
  std::string sock;
  uint16_t port = 0;
};

Peer start(const std::string& binary, const std::string& body, const TempDir& dir) {
  Peer p;
  p.sock = dir.file(binary.empty() ? "hearth.sock" : "haproxy.sock");
  p.port = free_tcp_port();
  const std::string cfg = "global\n  stats socket " + p.sock +
                          " level admin\ndefaults\n  mode http\n  timeout client 5s\n"
                          "  timeout server 600ms\n  timeout connect 2s\n  timeout tarpit 50ms\n" +
                          std::regex_replace(body, std::regex("PORT"), std::to_string(p.port));
  HearthOptions opt{.wait_ports = {p.port}};
  if (!binary.empty()) opt.binary = binary, opt.extra_args = {"-db"};
  p.proc = std::make_unique<HearthProcess>(cfg, opt);
  return p;
}

// A server that answers every request with garbage, or never.
std::unique_ptr<ScriptedServer> bad_server(bool silent) {
  return std::make_unique<ScriptedServer>([silent](int fd) {
    char buf[4096];
    if (recv(fd, buf, sizeof buf, 0) <= 0) return;
    if (!silent) {
      send_all(fd, "garbage\r\n\r\n");
      return;
    }
    (void)recv(fd, buf, sizeof buf, 0);  // until the proxy gives up (or stop())
  });
}

// Request paths and what each does (the config below).
const std::vector<std::string> kPaths = {
    "/",     "/s404",  "/deny", "/deny500", "/ret404", "/ret503", "/tarpit",
    "/auth", "/redir", "/s500", "/s505",    "/junk",   "/slow",   "/dead",
    "/inc",  "/rdeny", "/bad",  "/",        "/inc",    "/s404",
};

std::string http_config(uint16_t nginx, uint16_t junk, uint16_t slow) {
  return "frontend fe\n"
         "  bind 127.0.0.1:PORT\n"
         "  stick-table type ip size 100 expire 1m store conn_cnt,conn_cur,conn_rate(10s),"
         "sess_cnt,sess_rate(10s),http_req_cnt,http_req_rate(10s),http_err_cnt,"
         "http_err_rate(10s),http_fail_cnt,http_fail_rate(10s),bytes_in_cnt,bytes_out_cnt,gpc0,"
         "gpc0_rate(10s),gpt0\n"
         "  tcp-request connection track-sc0 src\n"
         "  tcp-request content track-sc2 src table other\n"
         "  http-request track-sc1 src table be\n"
         "  http-request deny if { path /deny }\n"
         "  http-request deny deny_status 500 if { path /deny500 }\n"
         "  http-request return status 404 if { path /ret404 }\n"
         "  http-request return status 503 if { path /ret503 }\n"
         "  http-request tarpit if { path /tarpit }\n"
         "  http-request auth if { path /auth }\n"
         "  http-request redirect location /x if { path /redir }\n"
         "  http-request sc-inc-gpc0(0) if { path /inc }\n"
         "  http-request sc-set-gpt0(1) int(42) if { path /inc }\n"
         "  http-request sc-inc-gpc0(2) if { path /inc }\n"
         "  http-response deny if { path /rdeny }\n"
         "  http-response set-header x-sc \"%[sc0_http_req_cnt] %[sc1_http_req_cnt] "
         "%[sc2_http_req_cnt] %[sc0_http_err_cnt] %[sc1_http_err_cnt] %[sc0_http_fail_cnt] "
         "%[sc0_conn_cur] %[sc1_conn_cur] %[sc0_get_gpc0] %[sc0_gpc0_rate] %[sc1_get_gpt0] "
         "%[src_http_req_cnt] %[src_http_req_cnt(be)] %[sc_trackers(0)] %[sc1_trackers] "
         "%[src,table_trackers(be)] %[sc0_tracked] %[table_cnt] %[table_avl(be)] "
         "%[sc0_conn_cnt(be)] %[sc_http_req_rate(2)] %[src,in_table(other)] "
         "%[str(1.2.3.4),in_table(other)] %[src,table_gpt0(be)] %[sc2_get_gpc0] "
         "%[src_sess_cnt] %[sc0_sess_rate] %[sc_conn_rate(0)]\"\n"
         "  use_backend junk if { path /junk }\n"
         "  use_backend slow if { path /slow }\n"
         "  use_backend dead if { path /dead }\n"
         "  default_backend be\n"
         "backend be\n"
         "  stick-table type ip size 50 store http_req_cnt,http_err_cnt,http_fail_cnt,conn_cnt,"
         "conn_cur,gpt0,bytes_in_cnt,bytes_out_cnt\n"
         "  server s1 127.0.0.1:" +
         std::to_string(nginx) +
         "\n"
         "backend other\n"
         "  stick-table type string len 16 size 10 store http_req_cnt,http_req_rate(1m),gpc0\n"
         "backend junk\n  server s1 127.0.0.1:" +
         std::to_string(junk) +
         "\n"
         "backend slow\n  server s1 127.0.0.1:" +
         std::to_string(slow) +
         "\n"
         "backend dead\n  server s1 127.0.0.1:" +
         std::to_string(free_tcp_port()) + "\n";
}

struct Step {
  int status = 0;
  std::string sc;  // the x-sc header
  std::string tables;
};

std::vector<Step> drive(const Peer& p) {
  std::vector<Step> out;
  for (const std::string& path : kPaths) {
    Step s;
    if (path == "/bad") {
      UniqueFd fd(connect_tcp(p.port));
      send_all(fd.get(), "GET / HTTP/1.1\r\nHo(st: a\r\n\r\n");
      const std::string got = recv_until_eof(fd.get(), milliseconds{3000});
      s.status = got.rfind("HTTP/1.1 400", 0) == 0 ? 400 : -1;
    } else {
      HttpClient c(p.port);
      const HttpResponse r = c.request("GET", path);
      s.status = r.status;
      s.sc = r.header("x-sc").value_or("");
    }
    // The transaction ends once the answer went out: wait for its counters.
    std::this_thread::sleep_for(milliseconds{60});
    s.tables = masked(stats_command(p.sock, "show table fe")) +
               masked(stats_command(p.sock, "show table be")) +
               masked(stats_command(p.sock, "show table other"));
    out.push_back(std::move(s));
  }
  return out;
}

TEST(StickCountersVsHAProxy, HttpTrafficCountsTheSame) {
  Nginx ng(
      "    location = /s404 { return 404; }\n"
      "    location = /s500 { return 500; }\n"
      "    location = /s505 { return 505; }\n"
      "    location = /inc { return 404; }\n"
      "    location = /rdeny { return 200 \"r\\n\"; }\n"
      "    location = / { return 200 \"ok\\n\"; }\n");
  ASSERT_TRUE(ng.ready()) << ng.describe();
  auto junk = bad_server(false), slow = bad_server(true);
  TempDir dir;
  const std::string cfg = http_config(ng.port(), junk->port(), slow->port());
  Peer ours = start("", cfg, dir);
  ASSERT_TRUE(ours.proc->ready()) << ours.proc->describe();
  const std::vector<Step> a = drive(ours);
  ours.proc.reset();
  Peer theirs = start("haproxy", cfg, dir);
  ASSERT_TRUE(theirs.proc->ready()) << theirs.proc->describe();
  const std::vector<Step> b = drive(theirs);
  ASSERT_EQ(a.size(), b.size());
  for (size_t i = 0; i < a.size(); ++i) {
    EXPECT_EQ(a[i].status, b[i].status) << kPaths[i];
    EXPECT_EQ(a[i].sc, b[i].sc) << "after " << kPaths[i];
    EXPECT_EQ(a[i].tables, b[i].tables) << "after " << kPaths[i];
  }
  // Not vacuous: the last step saw every kind of count.
  const std::string& last = b.back().tables;
  EXPECT_NE(last.find("http_err_cnt=8"), std::string::npos) << last;
  EXPECT_NE(last.find("http_fail_cnt=3"), std::string::npos) << last;
  EXPECT_NE(last.find("gpc0=2"), std::string::npos) << last;
  EXPECT_NE(last.find("gpt0=42"), std::string::npos) << last;
  EXPECT_NE(last.find("bytes_in_cnt=counted"), std::string::npos) << last;
  EXPECT_NE(a.back().sc, "");
}

// TCP: a connection-level tracker limits the connection rate (the HAProxy
// pattern "tcp-request connection reject if { sc0_conn_rate gt N }"), a
// content-level one counts into another table; the same connections are
// refused, and the tables read the same, while two connections are open and
// once all closed.
std::vector<std::string> drive_tcp(const Peer& p) {
  std::vector<std::string> out;
  std::string outcomes;
  for (int i = 0; i < 6; ++i) {
    UniqueFd fd(connect_tcp(p.port));
    const bool sent = send_all(fd.get(), "hello\n");
    const std::optional<std::string> line = recv_line(fd.get(), milliseconds{2000});
    outcomes += sent && line && *line == "hello" ? 'A' : 'R';
  }
  out.push_back(outcomes);
  std::this_thread::sleep_for(milliseconds{100});
  out.push_back(masked(stats_command(p.sock, "show table ft")) +
                masked(stats_command(p.sock, "show table t2")));
  return out;
}

TEST(StickCountersVsHAProxy, TcpConnectionRateLimitAndContentTracking) {
  EchoServer echo;
  const std::string cfg =
      "frontend ft\n"
      "  mode tcp\n"
      "  bind 127.0.0.1:PORT\n"
      "  stick-table type ip size 10 expire 1m store conn_cnt,conn_cur,conn_rate(10s),"
      "sess_cnt,bytes_in_cnt,bytes_out_cnt,gpc0\n"
      "  tcp-request connection track-sc0 src\n"
      "  tcp-request connection reject if { sc0_conn_rate gt 3 }\n"
      "  tcp-request content track-sc1 src table t2\n"
      "  tcp-request content sc-inc-gpc0(1) if { sc1_conn_cnt gt 1 }\n"
      "  default_backend echo\n"
      "backend t2\n"
      "  mode tcp\n"
      "  stick-table type ip size 10 store conn_cnt,conn_cur,gpc0,bytes_in_cnt,sess_cnt\n"
      "backend echo\n"
      "  mode tcp\n"
      "  server s 127.0.0.1:" +
      std::to_string(echo.port()) + "\n";
  TempDir dir;
  std::vector<std::vector<std::string>> runs;
  for (const std::string binary : {"", "haproxy"}) {
    Peer p = start(binary, cfg, dir);
    ASSERT_TRUE(p.proc->ready()) << p.proc->describe();
    runs.push_back(drive_tcp(p));
  }
  EXPECT_EQ(runs[0], runs[1]);
  ASSERT_EQ(runs[1].size(), 2u);
  EXPECT_EQ(runs[1][0], "AAARRR");  // not vacuous: the fourth one on is refused
  EXPECT_NE(runs[1][1].find("gpc0=2"), std::string::npos) << runs[1][1];
}

// The rate-limiting pattern of the issue: over 5 requests in 10 s, 429.
// Counted per client address with a key other than the address too.
TEST(StickCountersVsHAProxy, RateLimitAnswers429AtTheSameRequest) {
  const std::string cfg =
      "frontend fe\n"
      "  bind 127.0.0.1:PORT\n"
      "  stick-table type ip size 100k expire 30s store http_req_rate(10s)\n"
      "  http-request track-sc0 src\n"
      "  http-request track-sc1 req.hdr(x-user) table users\n"
      "  http-request deny deny_status 429 if { sc_http_req_rate(0) gt 5 }\n"
      "  http-request deny deny_status 429 if { sc1_http_req_rate gt 3 }\n"
      "  http-request return status 200\n"
      "backend users\n"
      "  stick-table type string len 32 size 1k expire 30s store http_req_rate(10s)\n";
  TempDir dir;
  std::vector<std::string> runs;
  for (const std::string binary : {"", "haproxy"}) {
    Peer p = start(binary, cfg, dir);
    ASSERT_TRUE(p.proc->ready()) << p.proc->describe();
    std::string statuses;
    HttpClient c(p.port);
    for (int i = 0; i < 8; ++i) {
      // Users a and b alternate, then only c: the per-user limit trips for
      // c first, the per-address one for everyone.
      const std::string user = i < 4 ? (i % 2 ? "a" : "b") : "c";
      statuses += std::to_string(c.request("GET", "/", {"x-user: " + user}).status) + " ";
    }
    runs.push_back(statuses);
  }
  EXPECT_EQ(runs[0], runs[1]);
  EXPECT_EQ(runs[1], "200 200 200 200 200 429 429 429 ");
}

// fe_sess_rate, fe_req_rate, be_sess_rate, srv_sess_rate: the proxies' own
// per-second rates (not stick counters, but the same kind of limit), read
// after a burst by both proxies. A burst may straddle a second, where the
// sliding rate weighs the previous one a little less: one less is allowed.
TEST(ProxyRatesVsHAProxy, BurstIsCounted) {
  HttpBackend be;
  const std::string cfg =
      "frontend fe\n  bind 127.0.0.1:PORT\n"
      "  http-request return status 200 hdr x-rates \"%[fe_sess_rate] "
      "%[fe_req_rate] %[be_sess_rate(be)] %[srv_sess_rate(be/s1)] "
      "%[fe_sess_rate(fe)]\" if { path /rates }\n"
      "  default_backend be\n"
      "backend be\n  server s1 127.0.0.1:" +
      std::to_string(be.port()) + "\n";
  TempDir dir;
  for (const std::string binary : {"", "haproxy"}) {
    Peer p = start(binary, cfg, dir);
    ASSERT_TRUE(p.proc->ready()) << p.proc->describe();
    for (int i = 0; i < 5; ++i) {  // 5 sessions with one request each
      HttpClient c(p.port);
      EXPECT_EQ(c.request("GET", "/").status, 200);
    }
    HttpClient c(p.port);  // a 6th session with 3 requests
    c.request("GET", "/");
    c.request("GET", "/");
    const HttpResponse r = c.request("GET", "/rates");
    std::istringstream in(r.header("x-rates").value_or(""));
    int fe_sess = -1, fe_req = -1, be_sess = -1, srv_sess = -1, named = -1;
    in >> fe_sess >> fe_req >> be_sess >> srv_sess >> named;
    const std::string who = binary.empty() ? "hearth" : binary;
    EXPECT_TRUE(fe_sess == 6 || fe_sess == 5) << who << ": " << fe_sess;
    EXPECT_TRUE(fe_req == 8 || fe_req == 7) << who << ": " << fe_req;
    EXPECT_TRUE(be_sess == 7 || be_sess == 6) << who << ": " << be_sess;
    EXPECT_TRUE(srv_sess == 7 || srv_sess == 6) << who << ": " << srv_sess;
    EXPECT_EQ(named, fe_sess) << who;
  }
}

// The exporter's sticktable scope: each table's size and entries in use, as
// HAProxy prints them.
TEST(StickCountersVsHAProxy, PrometheusStickTableScope) {
  const std::string cfg =
      "frontend fe\n  bind 127.0.0.1:PORT\n"
      "  stick-table type ip size 100 expire 1m store http_req_cnt\n"
      "  http-request track-sc0 src\n"
      "  http-request use-service prometheus-exporter if { path /metrics }\n"
      "backend b2\n  stick-table type string len 8 size 1k\n";
  TempDir dir;
  std::vector<std::string> bodies;
  for (const std::string binary : {"", "haproxy"}) {
    Peer p = start(binary, cfg, dir);
    ASSERT_TRUE(p.proc->ready()) << p.proc->describe();
    HttpClient c(p.port);
    bodies.push_back(c.request("GET", "/metrics?scope=sticktable").body);
  }
  EXPECT_EQ(bodies[0], bodies[1]);
  EXPECT_NE(bodies[1].find("haproxy_sticktable_used{name=\"fe\",type=\"ip\"} 1"), std::string::npos)
      << bodies[1];
}

}  // namespace
}  // namespace hearth::test::http
