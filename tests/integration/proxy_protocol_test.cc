// The PROXY protocol through the real binary, against real peers:
//  - HAProxy 2.6 sends v1 and v2 (send-proxy, send-proxy-v2) to Hearth's
//    accept-proxy bind: src, dst, the log line and fc_rcvd_proxy show the
//    original client, fc_src the sender's own connection;
//  - malformed headers are refused as HAProxy refuses them (the same error
//    line, the connection reset), run through both binaries;
//  - a header split across reads is waited for, a slow one is bounded by
//    timeout client;
//  - nginx (listen ... proxy_protocol) receives Hearth's send-proxy and
//    send-proxy-v2 and logs the original client address;
//  - a server connection that carried a header is never reused for another
//    client, even under http-reuse always;
//  - expect-proxy layer4 asks for a header by rule; check-send-proxy sends
//    one with health checks.
#include <gtest/gtest.h>

#include <algorithm>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "http_test_util.h"
#include "proxyproto/header.h"
#include "support/output_lines.h"
#include "support/scripted_server.h"
#include "support/test_certs.h"
#include "support/tls_client.h"
#include "tcp_test_util.h"

namespace hearth::test::http {
namespace {

using tcp::connect_from;
using tcp::kBinaries;
using tcp::name_of;
using tcp::options_for;

const char kDefaults[] =
    "defaults\n  mode http\n  log global\n  timeout connect 2s\n  timeout client ${TC}\n"
    "  timeout server 5s\n";

// A receiving frontend on `port` (accept-proxy) that answers with what it
// saw, and logs %ci:%cp %fi:%fp for each request.
std::string receiver(uint16_t port, const std::string& timeout_client = "5s",
                     const std::string& global = "") {
  return expand("global\n  log stdout format raw local0 info\n" + global + std::string(kDefaults) +
                    "frontend rcv\n  bind 127.0.0.1:${P} accept-proxy name pp\n"
                    "  log-format \"pplog ci=%ci:%cp fi=%fi:%fp\"\n"
                    "  http-request return status 200 hdr x-src \"%[src]:%[src_port]\" "
                    "hdr x-dst \"%[dst]:%[dst_port]\" hdr x-fc-src \"%[fc_src]\" "
                    "hdr x-rcvd \"%[fc_rcvd_proxy]\" hdr x-auth \"%[fc_pp_authority]\" "
                    "hdr x-uid \"%[fc_pp_unique_id]\"\n",
                {{"P", std::to_string(port)}, {"TC", timeout_client}});
}

// One request from `ip` with connection: close; the raw response.
std::string get_from(const char* ip, uint16_t port, uint16_t* local_port = nullptr) {
  UniqueFd fd(connect_from(ip, port));
  if (!fd.valid()) return "";
  if (local_port) {
    sockaddr_in a{};
    socklen_t len = sizeof a;
    getsockname(fd.get(), reinterpret_cast<sockaddr*>(&a), &len);
    *local_port = ntohs(a.sin_port);
  }
  if (!send_all(fd.get(), "GET /hello HTTP/1.1\r\nhost: x\r\nconnection: close\r\n\r\n")) return "";
  return recv_until_eof(fd.get(), milliseconds{5000});
}

std::string header_of(const std::string& raw, const std::string& name) {
  const std::string key = "\r\n" + name + ": ";
  const size_t at = raw.find(key);
  if (at == std::string::npos) return "<none>";
  const size_t end = raw.find("\r\n", at + key.size());
  return raw.substr(at + key.size(), end - at - key.size());
}

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
  const std::string want = "hearth_frontend_failed_proxy_headers_total{frontend=\"rcv\"} 3";
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
TEST(ProxyProtocol, NginxReceivesSendProxyV1AndV2) {
  Nginx nginx({}, nullptr, /*proxy_protocol=*/true);
  ASSERT_TRUE(nginx.ready()) << nginx.describe();
  const uint16_t f1 = free_tcp_port(), f2 = free_tcp_port();
  HearthProcess h(
      expand(std::string(kDefaults) +
                 "listen v1\n  bind 127.0.0.1:${F1}\n  server n 127.0.0.1:${N} send-proxy\n"
                 "listen v2\n  bind 127.0.0.1:${F2}\n  server n 127.0.0.1:${N} send-proxy-v2 "
                 "proxy-v2-options crc32c\n",
             {{"F1", std::to_string(f1)},
              {"F2", std::to_string(f2)},
              {"N", std::to_string(nginx.port())},
              {"TC", "5s"}}),
      HearthOptions{.wait_ports = {f1, f2}});
  ASSERT_TRUE(h.ready()) << h.describe();
  std::vector<std::string> want;
  for (uint16_t front : {f1, f2}) {
    uint16_t cport = 0;
    const std::string r = get_from("127.0.0.3", front, &cport);
    ASSERT_EQ(http_status(r), 200) << r << nginx.describe();
    want.push_back("127.0.0.3 " + std::to_string(cport) + " 127.0.0.1 " + std::to_string(front));
  }
  ASSERT_TRUE(wait_until([&] { return nginx.access_log().size() == 2; }, milliseconds{3000}))
      << nginx.describe();
  const std::vector<std::string> log = nginx.access_log();
  for (size_t i = 0; i < 2; ++i)
    EXPECT_NE(log[i].find("\"GET /hello HTTP/1.1\" " + want[i]), std::string::npos)
        << log[i] << " / " << want[i];
}

// A server connection that began with a PROXY header is its client's: later
// requests of that client reuse it, another client never does.
TEST(ProxyProtocol, PrivateConnectionIsNeverReusedForAnotherClient) {
  Nginx nginx({}, nullptr, /*proxy_protocol=*/true);
  ASSERT_TRUE(nginx.ready()) << nginx.describe();
  const uint16_t f = free_tcp_port();
  HearthProcess h(
      expand(std::string(kDefaults) + "listen l\n  bind 127.0.0.1:${F}\n  http-reuse always\n"
                                      "  server n 127.0.0.1:${N} send-proxy-v2\n",
             {{"F", std::to_string(f)}, {"N", std::to_string(nginx.port())}, {"TC", "5s"}}),
      HearthOptions{.wait_ports = {f}});
  ASSERT_TRUE(h.ready()) << h.describe();
  HttpClient a(f), b(f);
  ASSERT_TRUE(a.connected() && b.connected());
  EXPECT_EQ(a.request("GET", "/hello").status, 200);
  EXPECT_EQ(a.request("GET", "/hello").status, 200);
  EXPECT_EQ(b.request("GET", "/hello").status, 200);
  EXPECT_EQ(a.request("GET", "/hello").status, 200);
  ASSERT_TRUE(wait_until([&] { return nginx.access_log().size() == 4; }, milliseconds{3000}))
      << nginx.describe();
  const std::vector<std::string> log = nginx.access_log();
  // "<conn serial> <requests on it> <status> "<request>" <pp addr> <pp port> ..."
  auto serial = [](const std::string& l) { return l.substr(0, l.find(' ')); };
  auto pp_port = [](const std::string& l) {
    const size_t q = l.rfind('"');
    std::string rest = l.substr(q + 2);
    rest = rest.substr(rest.find(' ') + 1);
    return rest.substr(0, rest.find(' '));
  };
  EXPECT_EQ(serial(log[0]), serial(log[1])) << log[0] << "\n" << log[1];
  EXPECT_EQ(serial(log[0]), serial(log[3])) << log[0] << "\n" << log[3];
  EXPECT_NE(serial(log[0]), serial(log[2])) << log[0] << "\n" << log[2];
  EXPECT_NE(pp_port(log[0]), pp_port(log[2]));
  EXPECT_EQ(pp_port(log[0]), pp_port(log[3]));
}

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
TEST(ProxyProtocol, CheckSendProxy) {
  Nginx nginx({}, nullptr, /*proxy_protocol=*/true);
  ASSERT_TRUE(nginx.ready()) << nginx.describe();
  const uint16_t f = free_tcp_port();
  TempDir dir;
  const std::string sock = dir.file("stats.sock");
  HearthProcess h(
      expand("global\n  stats socket ${S} level admin\n" + std::string(kDefaults) +
                 "listen l\n  bind 127.0.0.1:${F}\n  option httpchk GET /hello\n"
                 "  server with 127.0.0.1:${N} check inter 100ms port ${N} check-send-proxy\n"
                 "  server without 127.0.0.1:${N} check inter 100ms port ${N}\n",
             {{"S", sock},
              {"F", std::to_string(f)},
              {"N", std::to_string(nginx.port())},
              {"TC", "5s"}}),
      HearthOptions{.wait_ports = {f}});
  ASSERT_TRUE(h.ready()) << h.describe();
  auto status_of = [&](const std::string& srv) {
    for (const std::string& l : lines_with(stats_command(sock, "show stat"), {"l," + srv + ","}))
      return l;
    return std::string();
  };
  EXPECT_TRUE(wait_until(
      [&] {
        return status_of("with").find(",UP,") != std::string::npos &&
               status_of("without").find(",DOWN,") != std::string::npos;
      },
      milliseconds{5000}))
      << status_of("with") << "\n"
      << status_of("without");
}

// The TLVs of a v2 header as "type=value" strings (the SSL TLV's sub-TLVs
// flattened after its client byte and verify field), in the order sent.
std::vector<std::string> tlvs_of(const std::string& h, size_t from, size_t to) {
  std::vector<std::string> out;
  while (from + 3 <= to) {
    const uint8_t type = uint8_t(h[from]);
    const size_t len = size_t(uint8_t(h[from + 1])) << 8 | uint8_t(h[from + 2]);
    const std::string v = h.substr(from + 3, len);
    char t[8];
    snprintf(t, sizeof t, "%02x=", type);
    if (type == proxyproto::kTlvSsl && v.size() >= 5) {
      char head[32];
      snprintf(head, sizeof head, "client:%u,verify:%u", uint8_t(v[0]),
               uint32_t(uint8_t(v[1])) << 24 | uint32_t(uint8_t(v[2])) << 16 |
                   uint32_t(uint8_t(v[3])) << 8 | uint8_t(v[4]));
      out.push_back(std::string(t) + head);
      for (std::string sub : tlvs_of(h, from + 3 + 5, from + 3 + len)) out.push_back("  " + sub);
    } else if (type == proxyproto::kTlvCrc32c) {
      out.push_back(std::string(t) + "(4 bytes)");
    } else {
      out.push_back(std::string(t) + v);
    }
    from += 3 + len;
  }
  return out;
}

// A TLS frontend whose server gets send-proxy-v2-ssl-cn and every v2 option:
// the TLVs Hearth writes are HAProxy's, value for value (the parser also
// checks the CRC32C of each).
TEST(ProxyProtocol, SslTlvsAsHAProxy) {
  TestCerts certs;
  const std::string pem = certs.server("srv.pem", "a.example", {"a.example"});
  const std::string client = certs.client("client", "client-cn");
  ASSERT_FALSE(pem.empty() || client.empty()) << certs.last_error();
  std::mutex mu;
  std::vector<std::string> headers;
  ScriptedServer capture([&](int fd) {
    std::string in = recv_n(fd, 16, milliseconds{3000});
    if (in.size() < 16) return;
    const size_t len = size_t(uint8_t(in[14])) << 8 | uint8_t(in[15]);
    in += recv_n(fd, len, milliseconds{3000});
    std::string req;
    while (req.find("\r\n\r\n") == std::string::npos) {
      const std::string more = recv_n(fd, 1, milliseconds{3000});
      if (more.empty()) return;
      req += more;
    }
    {
      std::lock_guard<std::mutex> l(mu);
      headers.push_back(in);
    }
    send_all(fd, "HTTP/1.1 200 OK\r\ncontent-length: 0\r\nconnection: close\r\n\r\n");
  });
  std::vector<std::vector<std::string>> runs;
  for (const std::string binary : kBinaries) {
    const uint16_t port = free_tcp_port();
    HearthProcess p(
        expand(std::string(kDefaults) +
                   "frontend f\n  bind 127.0.0.1:${P} ssl crt ${PEM} ca-file ${CA} verify optional "
                   "alpn http/1.1 ciphers ECDHE-RSA-AES128-GCM-SHA256\n  unique-id-format "
                   "uid-%[req.hdr(x-n)]\n  default_backend b\n"
                   "backend b\n  server s 127.0.0.1:${S} send-proxy-v2-ssl-cn proxy-v2-options "
                   "ssl-cipher,cert-sig,cert-key,authority,crc32c,unique-id\n",
               {{"P", std::to_string(port)},
                {"PEM", pem},
                {"CA", certs.ca_pem()},
                {"S", std::to_string(capture.port())},
                {"TC", "5s"}}),
        options_for(binary, port));
    ASSERT_TRUE(p.ready()) << name_of(binary) << p.describe();
    {
      std::lock_guard<std::mutex> l(mu);
      headers.clear();
    }
    for (bool with_cert : {true, false}) {
      TlsClientOptions o{.sni = "a.example", .alpn = "http/1.1", .max_version = TLS1_2_VERSION};
      if (with_cert) o.cert = client, o.key = certs.dir() + "/client.key";
      TlsClient c(port, o);
      ASSERT_TRUE(c.ok()) << name_of(binary) << ": " << c.error();
      ASSERT_TRUE(c.write_all("GET / HTTP/1.1\r\nhost: a\r\nx-n: 7\r\nconnection: close\r\n\r\n"));
      std::string head, body;
      EXPECT_EQ(c.read_response(&head, &body), 200) << name_of(binary) << head;
    }
    std::vector<std::string> seen;
    std::lock_guard<std::mutex> l(mu);
    for (const std::string& h : headers) {
      proxyproto::Header parsed;
      EXPECT_EQ(proxyproto::parse(reinterpret_cast<const uint8_t*>(h.data()), h.size(), &parsed),
                proxyproto::ParseStatus::kDone)
          << name_of(binary);
      for (const std::string& t : tlvs_of(h, 16 + 12, h.size())) seen.push_back(t);
      seen.push_back("--");
    }
    std::sort(seen.begin(), seen.end());  // the TLV order differs (crc32c first in HAProxy)
    runs.push_back(seen);
  }
  ASSERT_EQ(runs.size(), 2u);
  EXPECT_EQ(runs[0], runs[1]);
  std::string all;
  for (const std::string& t : runs[0]) all += t + "\n";
  EXPECT_NE(all.find("22=client-cn"), std::string::npos) << all;
  EXPECT_NE(all.find("02=a.example"), std::string::npos) << all;
  EXPECT_NE(all.find("05=uid-7"), std::string::npos) << all;
  EXPECT_NE(all.find("01=http/1.1"), std::string::npos) << all;
  EXPECT_NE(all.find("20=client:7,verify:0"), std::string::npos) << all;
}

}  // namespace
}  // namespace hearth::test::http
