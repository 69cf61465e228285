// tcp-request connection|session|content set-src, set-src-port, set-dst,
// set-dst-port and tcp-request content capture, through the real binary and
// through HAProxy 2.6 with the same configuration: the rewritten addresses
// reach the fetches, the log line (%ci %cp %fi %fp), option forwardfor and
// balance source; the captures fill %hr / %hrl and capture.req.hdr.
#include <gtest/gtest.h>

#include <set>
#include <string>
#include <vector>

#include "http_test_util.h"
#include "tcp_test_util.h"

namespace hearth::test::tcp {
namespace {

std::string tcp_rules_config(uint16_t port, uint16_t echo) {
  return "global\n  log stdout format raw local0 info\n"
         "defaults\n  mode tcp\n  log global\n"
         "  log-format \"tl ci=%ci cp=%cp fi=%fi fp=%fp hr=%hr hrl=%hrl "
         "c0=%[capture.req.hdr(0)] c2=%[capture.req.hdr(2)] src=%[src] v=%[var(sess.s)]\"\n"
         "  timeout connect 2s\n  timeout client 10s\n  timeout server 10s\n"
         "frontend fe\n  bind 127.0.0.1:" +
         std::to_string(port) +
         "\n  tcp-request inspect-delay 5s\n"
         "  tcp-request connection set-src str(10.1.2.3) if { src 127.0.0.2 }\n"
         "  tcp-request connection set-var(sess.s) src\n"
         "  tcp-request session set-src-port int(4444) if { src 10.1.2.3 }\n"
         "  tcp-request session set-dst str(192.168.7.7) if { src 10.1.2.3 }\n"
         "  tcp-request content capture req.payload(0,5) len 3 if { req.len ge 5 }\n"
         "  declare capture request len 4\n"
         "  tcp-request content set-dst-port int(8080) if { req.payload(0,1) -m str p }\n"
         "  tcp-request content set-dst-port int(9090) unless { req.payload(0,1) -m str p }\n"
         "  tcp-request content capture dst_port len 10\n"
         "  default_backend be\nbackend be\n"
         "  server s 127.0.0.1:" +
         std::to_string(echo) + "\n";
}

TEST(TcpAddrRules, LogLineAndCapturesAsHAProxy) {
  std::vector<std::vector<std::string>> runs;
  for (const std::string binary : kBinaries) {
    EchoServer echo;
    const uint16_t port = free_tcp_port();
    HearthProcess h(tcp_rules_config(port, echo.port()), options_for(binary, port));
    const std::string who = name_of(binary);
    ASSERT_TRUE(h.ready()) << who << ": " << h.describe();
    // .2 is rewritten at connection level; "p..." moves the destination port.
    size_t n = 0;
    for (const char* ip : {"127.0.0.2", "127.0.0.3"}) {
      for (const std::string msg : {"ping!", "other"}) {
        UniqueFd fd(connect_from(ip, port));
        ASSERT_TRUE(send_all(fd.get(), msg)) << who << " " << ip;
        EXPECT_EQ(recv_n(fd.get(), msg.size(), milliseconds{5000}), msg) << who << " " << ip;
        fd = UniqueFd();
        // One session at a time (its line is written when it ends), so the
        // lines come in this order.
        ++n;
        EXPECT_TRUE(wait_until([&] { return lines_with(h.output(), {"tl "}).size() == n; },
                               milliseconds{3000}))
            << who << "\n"
            << h.output();
      }
    }
    std::vector<std::string> lines = lines_with(h.output(), {"tl "});
    ASSERT_EQ(lines.size(), 4u) << who << "\n" << h.output();
    // Without the client's port (HAProxy's and Hearth's ephemeral ports
    // differ) unless a rule set it.
    for (std::string& l : lines) {
      const size_t cp = l.find(" cp=");
      const size_t end = l.find(' ', cp + 1);
      if (l.substr(cp, end - cp) != " cp=4444") l.replace(cp, end - cp, " cp=N");
      l = l.substr(l.find("tl "));
    }
    runs.push_back(lines);
  }
  ASSERT_EQ(runs.size(), 2u);
  for (size_t i = 0; i < runs[0].size(); ++i) EXPECT_EQ(runs[0][i], runs[1][i]) << "line " << i;
  EXPECT_EQ(runs[0][0],
            "tl ci=10.1.2.3 cp=4444 fi=192.168.7.7 fp=8080 hr={pin||8080} hrl=pin - 8080 "
            "c0=pin c2=8080 src=10.1.2.3 v=10.1.2.3");
  EXPECT_EQ(runs[0][1],
            "tl ci=10.1.2.3 cp=4444 fi=192.168.7.7 fp=9090 hr={oth||9090} hrl=oth - 9090 "
            "c0=oth c2=9090 src=10.1.2.3 v=10.1.2.3");
  EXPECT_EQ(runs[0][3],
            "tl ci=127.0.0.3 cp=N fi=127.0.0.1 fp=9090 hr={oth||9090} hrl=oth - 9090 c0=oth "
            "c2=9090 src=127.0.0.3 v=127.0.0.3");
}

// balance source hashes the address set-src left: every client rewritten to
// one address reaches the same server.
TEST(TcpAddrRules, BalanceSourceUsesTheRewrittenSource) {
  NameServer a("a"), b("b"), c("c");
  TcpProxy proxy({.frontend = "    tcp-request connection set-src str(10.20.30.40)\n",
                  .backend = "    balance source\n" + server_line("a", a.port()) +
                             server_line("b", b.port()) + server_line("c", c.port())});
  ASSERT_TRUE(proxy.hearth.ready()) << proxy.hearth.describe();
  std::set<std::string> seen;
  for (int host = 1; host <= 12; ++host) {
    const std::string ip = "127.0.0." + std::to_string(host);
    UniqueFd fd(connect_from(ip.c_str(), proxy.port));
    ASSERT_TRUE(fd.valid()) << ip;
    std::optional<std::string> name = recv_line(fd.get(), milliseconds{3000});
    ASSERT_TRUE(name.has_value()) << ip;
    seen.insert(*name);
  }
  EXPECT_EQ(seen.size(), 1u);
}

}  // namespace
}  // namespace hearth::test::tcp

namespace hearth::test::http {
namespace {

// HTTP mode: a tcp-request connection set-src reaches option forwardfor, the
// http-request rules and %ci of the HTTP log; a content capture fills %hr.
TEST(TcpAddrRules, HttpModeForwardforLogAndCaptureAsHAProxy) {
  std::vector<std::string> runs;
  for (const std::string binary : {"", "haproxy"}) {
    HttpBackend be;
    const uint16_t port = free_tcp_port();
    const std::string cfg =
        "global\n  log stdout format raw local0 info\n"
        "defaults\n  mode http\n  log global\n  option forwardfor\n"
        "  log-format \"hl %ci:%cp %fi %hr %[capture.req.hdr(0)]\"\n"
        "  timeout connect 2s\n  timeout client 10s\n  timeout server 10s\n"
        "frontend fe\n  bind 127.0.0.1:" +
        std::to_string(port) +
        "\n  tcp-request connection set-src str(10.9.8.7)\n"
        "  tcp-request session set-src-port int(5555)\n"
        "  tcp-request content set-dst str(1.2.3.4)\n"
        "  tcp-request content capture src,ipmask(16) len 20\n"
        "  http-request set-header x-seen %[src]:%[src_port]-%[dst]\n"
        "  default_backend be\nbackend be\n  server s 127.0.0.1:" +
        std::to_string(be.port()) + "\n";
    HearthOptions opt{.wait_ports = {port}};
    if (!binary.empty()) opt.binary = binary, opt.extra_args = {"-db"};
    HearthProcess h(cfg, opt);
    ASSERT_TRUE(h.ready()) << binary << ": " << h.describe();
    HttpClient cl(port);
    HttpResponse r = cl.request("GET", "/");
    EXPECT_EQ(r.status, 200) << binary;
    cl.close();
    ASSERT_TRUE(be.wait_requests(1, milliseconds{3000})) << binary;
    const HttpRequestRecord req = be.requests().at(0);
    std::string seen =
        req.header("x-forwarded-for").value_or("-") + " " + req.header("x-seen").value_or("-");
    const std::string line = tcp::wait_log_line(h, {"hl "});
    ASSERT_NE(line, "") << binary << "\n" << h.output();
    seen += " | " + line.substr(line.find("hl "));
    runs.push_back(seen);
  }
  EXPECT_EQ(runs[0], runs[1]);
  EXPECT_EQ(runs[0],
            "10.9.8.7 10.9.8.7:5555-1.2.3.4 | hl 10.9.8.7:5555 1.2.3.4 {10.9.0.0} 10.9.0.0");
}

// As HAProxy 2.6: a connection rule's address holds for the connection, a
// stream rule's (http-request, tcp-request content) for its transaction
// only: the next request on the connection sees the connection's again.
TEST(TcpAddrRules, StreamLevelAddressesLastOneTransactionAsHAProxy) {
  std::vector<std::string> runs;
  for (const std::string binary : {"", "haproxy"}) {
    const uint16_t port = free_tcp_port();
    const std::string cfg =
        "defaults\n  mode http\n  timeout connect 2s\n  timeout client 10s\n"
        "  timeout server 10s\n"
        "frontend fe\n  bind 127.0.0.1:" +
        std::to_string(port) +
        "\n  tcp-request connection set-dst str(10.0.0.2)\n"
        "  http-request set-src hdr(x-src) if { req.hdr(x-src) -m found }\n"
        "  http-request set-dst-port int(81) if { req.hdr(x-src) -m found }\n"
        "  http-request return status 200 hdr x-seen \"%[src] %[dst]:%[dst_port]\"\n";
    HearthOptions opt{.wait_ports = {port}};
    if (!binary.empty()) opt.binary = binary, opt.extra_args = {"-db"};
    HearthProcess h(cfg, opt);
    ASSERT_TRUE(h.ready()) << binary << ": " << h.describe();
    HttpClient cl(port);
    std::string seen = cl.request("GET", "/a", {"x-src: 1.2.3.4"}).header("x-seen").value_or("-");
    seen += " | " + cl.request("GET", "/b").header("x-seen").value_or("-");
    // The frontend's port differs between the two runs.
    const std::string p = ":" + std::to_string(port);
    seen.replace(seen.rfind(p), p.size(), ":PORT");
    runs.push_back(seen);
  }
  EXPECT_EQ(runs[0], runs[1]);
  EXPECT_EQ(runs[0], "1.2.3.4 10.0.0.2:81 | 127.0.0.1 10.0.0.2:PORT");
}

}  // namespace
}  // namespace hearth::test::http
