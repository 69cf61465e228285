// The PROXY protocol received (accept-proxy, expect-proxy) through the real
// binary, against real peers:
//  - HAProxy 2.6 sends v1 and v2 (send-proxy, send-proxy-v2) to Hearth's
//    accept-proxy bind: src, dst, the log line and fc_rcvd_proxy show the
//    original client, fc_src the sender's own connection;
//  - malformed headers are refused as HAProxy refuses them (the same error
//    line, the connection reset), run through both binaries, and counted;
//  - a header split across reads is waited for, a slow one is bounded by
//    timeout client;
//  - expect-proxy layer4 asks for a header by rule, as in HAProxy.
#include <gtest/gtest.h>

#include <algorithm>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "http_test_util.h"
#include "proxy_protocol_util.h"
#include "proxyproto/header.h"
#include "support/output_lines.h"
#include "support/scripted_server.h"
#include "support/test_certs.h"
#include "support/tls_client.h"
#include "tcp_test_util.h"

namespace hearth::test::http {
namespace {

using namespace pp;  // NOLINT: the shared helpers of these tests
using tcp::connect_from;
using tcp::kBinaries;
using tcp::name_of;
using tcp::options_for;

TEST(ProxyProtocol, HAProxySendsV1AndV2ToAcceptProxy) {
  const uint16_t rport = free_tcp_port();
  HearthProcess rcv(receiver(rport), HearthOptions{.wait_ports = {rport}});
  ASSERT_TRUE(rcv.ready()) << rcv.describe();
  const uint16_t v1 = free_tcp_port(), v2 = free_tcp_port();
  const std::string sender = expand(std::string(kDefaults) +
                                        "listen v1\n  bind 127.0.0.1:${V1}\n"
                                        "  server r 127.0.0.1:${R} send-proxy\n"
                                        "listen v2\n  bind 127.0.0.1:${V2}\n"
                                        "  server r 127.0.0.1:${R} send-proxy-v2\n",
                                    {{"V1", std::to_string(v1)},
                                     {"V2", std::to_string(v2)},
                                     {"R", std::to_string(rport)},
                                     {"TC", "5s"}});
  HearthOptions ho = options_for("haproxy", v1);
  ho.wait_ports.push_back(v2);
  HearthProcess haproxy(sender, ho);
  ASSERT_TRUE(haproxy.ready()) << haproxy.describe();
  for (uint16_t front : {v1, v2}) {
    uint16_t cport = 0;
    const std::string r = get_from("127.0.0.2", front, &cport);
    ASSERT_EQ(http_status(r), 200) << r << rcv.output();
    EXPECT_EQ(header_of(r, "x-src"), "127.0.0.2:" + std::to_string(cport)) << r;
    EXPECT_EQ(header_of(r, "x-dst"), "127.0.0.1:" + std::to_string(front)) << r;
    EXPECT_EQ(header_of(r, "x-fc-src"), "127.0.0.1") << r;  // HAProxy's own connection
    EXPECT_EQ(header_of(r, "x-rcvd"), "1") << r;
    const std::string want =
        "pplog ci=127.0.0.2:" + std::to_string(cport) + " fi=127.0.0.1:" + std::to_string(front);
    EXPECT_TRUE(
        wait_until([&] { return !lines_with(rcv.output(), {want}).empty(); }, milliseconds{3000}))
        << want << "\n"
        << rcv.output();
  }
}

struct Outcome {
  std::string response;  // what came back before the close
  std::string log;       // the connection error line, date and port removed
};

// Sends `bytes` on a new connection, half-closes only when `shut`, reads
// until the peer closes.
Outcome send_raw(HearthProcess& p, uint16_t port, const std::string& bytes, size_t lines_before) {
  Outcome o;
  UniqueFd fd(connect_tcp(port));
  EXPECT_TRUE(send_all(fd.get(), bytes));
  o.response = recv_until_eof(fd.get(), milliseconds{5000});
  fd = UniqueFd();
  wait_until([&] { return lines_with(p.output(), {"rcv/pp: "}).size() > lines_before; },
             milliseconds{1000});
  std::vector<std::string> lines = lines_with(p.output(), {"rcv/pp: "});
  if (lines.size() > lines_before) o.log = lines.back().substr(lines.back().find("rcv/pp: "));
  return o;
}

TEST(ProxyProtocol, MalformedHeadersAreRefusedAsHAProxy) {
  const std::string req = "GET / HTTP/1.1\r\nhost: x\r\nconnection: close\r\n\r\n";
  const std::string sig("\r\n\r\n\0\r\nQUIT\n", 12);
  const std::vector<std::string> cases = {
      "PROXY TCP4 1.2.3.4 5.6.7.8 1111\r\n" + req,               // a port missing
      req,                                                       // no header at all
      "PROXY TCP5 1.2.3.4 5.6.7.8 1 2\r\n" + req,                // unknown protocol
      "PROXY UNKNOWN 1.2.3.4 5.6.7.8 1 2\r\n" + req,             // 2.6 wants UNKNOWN alone
      "PROXY TCP4 1.2.3.4 5.6.7.8 1 2 \r\n" + req,               // trailing space
      "PROXY TCP4 1.2.3.4 5.6.7.8 1 2" + std::string(120, ' '),  // no CRLF in 107 bytes
      sig + std::string("\x21\x00\x00\x00", 4) + req,            // PROXY with UNSPEC
      sig + std::string("\x22\x11\x00\x0c", 4) + std::string(12, 'a') + req,  // command 2
      sig + std::string("\x31\x11\x00\x0c", 4) + std::string(12, 'a') + req,  // version 3
      sig + std::string("\x21\x11\x00\x0f", 4) + std::string(12, 'a') +
          std::string("\x02\x00\x05", 3) + req,  // a TLV past the end
  };
  std::vector<std::vector<Outcome>> runs;
  for (const std::string binary : kBinaries) {
    const uint16_t port = free_tcp_port();
    HearthProcess p(receiver(port), options_for(binary, port));
    ASSERT_TRUE(p.ready()) << name_of(binary) << p.describe();
    std::vector<Outcome> outs;
    for (const std::string& c : cases)
      outs.push_back(send_raw(p, port, c, lines_with(p.output(), {"rcv/pp: "}).size()));
    runs.push_back(outs);
  }
  for (size_t i = 0; i < cases.size(); ++i) {
    EXPECT_EQ(runs[0][i].response, "") << "case " << i;  // closed without an answer
    EXPECT_EQ(runs[0][i].log, runs[1][i].log) << "case " << i;
    EXPECT_NE(runs[0][i].log, "") << "case " << i;
    EXPECT_EQ(runs[0][i].response, runs[1][i].response) << "case " << i;
  }
  EXPECT_EQ(runs[0][1].log,
            "rcv/pp: Received something which does not look like a PROXY protocol header");
  EXPECT_EQ(runs[0][0].log, "rcv/pp: Received an invalid PROXY protocol header");
  EXPECT_EQ(runs[0][2].log, "rcv/pp: Received an unhandled protocol in the PROXY protocol header");
}

TEST(ProxyProtocol, RefusedHeadersAreCounted) {
  TempDir dir;
  const std::string sock = dir.file("stats.sock");
  const uint16_t port = free_tcp_port();
  HearthProcess p(receiver(port, "5s", "  stats socket " + sock + " level admin\n"),
                  HearthOptions{.wait_ports = {port}});
  ASSERT_TRUE(p.ready()) << p.describe();
  for (const char* bad : {"GET / HTTP/1.0\r\n\r\n", "PROXY TCP4 1 2 3 4\r\n"}) {
    UniqueFd fd(connect_tcp(port));
    send_all(fd.get(), bad);
    EXPECT_EQ(recv_until_eof(fd.get(), milliseconds{5000}), "");
  }
  EXPECT_EQ(http_status(get_from("127.0.0.1", port)), 0);  // no header at all
  const std::string want = "hearth_frontend_failed_proxy_headers_total{proxy=\"rcv\"} 3";
  EXPECT_TRUE(wait_until(
      [&] { return stats_command(sock, "show metrics").find(want) != std::string::npos; },
      milliseconds{2000}))
      << stats_command(sock, "show metrics");
}

TEST(ProxyProtocol, HeaderSplitAcrossReadsIsWaitedFor) {
  const uint16_t port = free_tcp_port();
  HearthProcess p(receiver(port), HearthOptions{.wait_ports = {port}});
  ASSERT_TRUE(p.ready()) << p.describe();
  const std::string sig("\r\n\r\n\0\r\nQUIT\n", 12);
  const std::vector<std::vector<std::string>> pieces = {
      {"PROX", "Y TCP4 192.0.2.7 198.51", ".100.9 4321 80\r", "\nGET / HTTP/1.1\r\nhost: x\r\n",
       "connection: close\r\n\r\n"},
      {sig.substr(0, 5), sig.substr(5) + std::string("\x21\x11\x00\x14\xC0\x00\x02\x07", 8),
       std::string("\xC6\x33\x64\x09\x10\xE1\x00\x50\x02\x00\x05", 11),
       "a.exaGET / HTTP/1.1\r\nhost: x\r\nconnection: close\r\n\r\n"},
  };
  for (const auto& parts : pieces) {
    UniqueFd fd(connect_tcp(port));
    for (const std::string& part : parts) {
      ASSERT_TRUE(send_all(fd.get(), part));
      std::this_thread::sleep_for(milliseconds{80});
    }
    const std::string r = recv_until_eof(fd.get(), milliseconds{5000});
    ASSERT_EQ(http_status(r), 200) << r << p.output();
    EXPECT_EQ(header_of(r, "x-src"), "192.0.2.7:4321") << r;
    EXPECT_EQ(header_of(r, "x-dst"), "198.51.100.9:80") << r;
  }
  // The v2 one carried an authority TLV.
  const std::string r2 = [&] {
    UniqueFd fd(connect_tcp(port));
    send_all(fd.get(), sig +
                           std::string("\x21\x11\x00\x14\xC0\x00\x02\x07\xC6\x33\x64\x09\x10"
                                       "\xE1\x00\x50\x02\x00\x05",
                                       19) +
                           "a.exaGET / HTTP/1.1\r\nhost: x\r\nconnection: close\r\n\r\n");
    return recv_until_eof(fd.get(), milliseconds{5000});
  }();
  EXPECT_EQ(header_of(r2, "x-auth"), "a.exa") << r2;
}

TEST(ProxyProtocol, SlowHeaderIsBoundedByTimeoutClient) {
  const uint16_t port = free_tcp_port();
  HearthProcess p(receiver(port, "400ms"), HearthOptions{.wait_ports = {port}});
  ASSERT_TRUE(p.ready()) << p.describe();
  for (const char* start : {"PROXY TCP4 1.2", ""}) {
    UniqueFd fd(connect_tcp(port));
    ASSERT_TRUE(send_all(fd.get(), start));
    const auto t0 = std::chrono::steady_clock::now();
    const std::string r = recv_until_eof(fd.get(), milliseconds{5000});
    const auto ms = std::chrono::duration_cast<milliseconds>(std::chrono::steady_clock::now() - t0);
    EXPECT_EQ(r, "");
    EXPECT_GE(ms.count(), 300) << start;
    EXPECT_LT(ms.count(), 2500) << start;
  }
  EXPECT_TRUE(wait_until(
      [&] {
        return lines_with(p.output(), {"rcv/pp: Timeout while waiting for PROXY protocol header"})
                   .size() == 2;
      },
      milliseconds{2000}))
      << p.output();
  // Still serving.
  EXPECT_EQ(http_status(get_from("127.0.0.1", port)), 0);  // no header: refused
}

// nginx with "listen ... proxy_protocol" receives Hearth's headers and logs
// the original client (and the address it connected to).
TEST(ProxyProtocol, ExpectProxyRuleAsHAProxy) {
  std::vector<std::string> runs;
  for (const std::string binary : kBinaries) {
    const uint16_t port = free_tcp_port();
    HearthProcess p(expand(std::string(kDefaults) +
                               "frontend f\n  bind 127.0.0.1:${P}\n"
                               "  tcp-request connection expect-proxy layer4 if { src 127.0.0.4 }\n"
                               "  http-request return status 200 hdr x-src %[src] "
                               "hdr x-rcvd %[fc_rcvd_proxy]\n",
                           {{"P", std::to_string(port)}, {"TC", "5s"}}),
                    options_for(binary, port));
    ASSERT_TRUE(p.ready()) << name_of(binary) << p.describe();
    std::string seen;
    UniqueFd fd(connect_from("127.0.0.4", port));
    send_all(fd.get(),
             "PROXY TCP4 203.0.113.5 127.0.0.1 1000 80\r\nGET / HTTP/1.1\r\nhost: x\r\n"
             "connection: close\r\n\r\n");
    const std::string r1 = recv_until_eof(fd.get(), milliseconds{5000});
    seen += header_of(r1, "x-src") + "/" + header_of(r1, "x-rcvd") + " ";
    const std::string r2 = get_from("127.0.0.5", port);
    seen += header_of(r2, "x-src") + "/" + header_of(r2, "x-rcvd");
    runs.push_back(seen);
  }
  EXPECT_EQ(runs[0], "203.0.113.5/1 127.0.0.5/0");
  EXPECT_EQ(runs[0], runs[1]);
}

// check-send-proxy: the health check to a proxy_protocol nginx on its own
// port passes only with the header (v1 "UNKNOWN" here, as HAProxy's).

}  // namespace
}  // namespace hearth::test::http
