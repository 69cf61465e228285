// The PROXY protocol sent to servers through the real binary, against real
// peers:
//  - nginx (listen ... proxy_protocol) receives Hearth's send-proxy and
//    send-proxy-v2 and logs the original client address;
//  - a server connection that carried a header is reused only for requests
//    whose header would be the same: another client's never, even under
//    http-reuse always, unless its header says the same (a chain of proxies
//    relaying one source: HAProxy 2.6's connection hash);
//  - check-send-proxy sends one with health checks;
//  - the v2 SSL TLVs are HAProxy's, value for value, on the same TLS setup.
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

// A server connection that began with a PROXY header serves only requests
// whose header would say the same: later requests of its client reuse it,
// another client (another source port) never does.
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

// Under http-reuse always, a client whose own PROXY header (accept-proxy)
// names the same source as an earlier one's gets the server connection that
// one left idle: its header would be the same. Another source never does.
TEST(ProxyProtocol, SameHeaderSharesTheConnectionUnderReuseAlways) {
  Nginx nginx({}, nullptr, /*proxy_protocol=*/true);
  ASSERT_TRUE(nginx.ready()) << nginx.describe();
  const uint16_t f = free_tcp_port();
  HearthProcess h(
      expand(std::string(kDefaults) +
                 "listen l\n  bind 127.0.0.1:${F} accept-proxy\n  http-reuse always\n"
                 "  server n 127.0.0.1:${N} send-proxy\n",
             {{"F", std::to_string(f)}, {"N", std::to_string(nginx.port())}, {"TC", "5s"}}),
      HearthOptions{.wait_ports = {f}});
  ASSERT_TRUE(h.ready()) << h.describe();
  auto get_as = [&](const std::string& src_port) {
    HttpClient c(f);
    EXPECT_TRUE(c.send("PROXY TCP4 10.9.9.9 127.0.0.1 " + src_port +
                       " 80\r\nGET /hello HTTP/1.1\r\nHost: x\r\n\r\n"));
    EXPECT_EQ(c.read_response().status, 200);
  };
  get_as("40000");
  get_as("50000");
  get_as("40000");
  ASSERT_TRUE(wait_until([&] { return nginx.access_log().size() == 3; }, milliseconds{3000}))
      << nginx.describe();
  const std::vector<std::string> log = nginx.access_log();
  auto serial = [](const std::string& l) { return l.substr(0, l.find(' ')); };
  EXPECT_EQ(serial(log[0]), serial(log[2])) << log[0] << "\n" << log[2];
  EXPECT_NE(serial(log[0]), serial(log[1])) << log[0] << "\n" << log[1];
  EXPECT_NE(log[2].find(" 10.9.9.9 40000 "), std::string::npos) << log[2];
}

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

// An HTTP server that expects a v2 PROXY header first, keeps it, and answers
// 200 to the request after it.
struct HeaderCapture {
  std::mutex mu;
  std::vector<std::string> got;
  ScriptedServer server{[this](int fd) {
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
      got.push_back(in);
    }
    send_all(fd, "HTTP/1.1 200 OK\r\ncontent-length: 0\r\nconnection: close\r\n\r\n");
  }};
  void clear() {
    std::lock_guard<std::mutex> l(mu);
    got.clear();
  }
  std::vector<std::string> headers() {
    std::lock_guard<std::mutex> l(mu);
    return got;
  }
};

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
  HeaderCapture capture;
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
                {"S", std::to_string(capture.server.port())},
                {"TC", "5s"}}),
        options_for(binary, port));
    ASSERT_TRUE(p.ready()) << name_of(binary) << p.describe();
    capture.clear();
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
    for (const std::string& h : capture.headers()) {
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

// mode tcp: unique-id-format gives the stream an id, sent as the UNIQUE_ID
// TLV and logged by %ID, as HAProxy does.
TEST(ProxyProtocol, TcpUniqueIdAsHAProxy) {
  HeaderCapture capture;
  std::vector<std::string> runs;
  for (const std::string binary : kBinaries) {
    capture.clear();
    const uint16_t port = free_tcp_port();
    HearthProcess p(
        expand("global\n  log stdout format raw local0 info\n"
               "defaults\n  mode tcp\n  log global\n  timeout connect 2s\n"
               "  timeout client 5s\n  timeout server 5s\n"
               "listen t\n  bind 127.0.0.1:${P}\n  unique-id-format ID-%ci-%ft\n"
               "  log-format \"tcplog id=%ID\"\n"
               "  server s 127.0.0.1:${S} send-proxy-v2 proxy-v2-options unique-id\n",
               {{"P", std::to_string(port)}, {"S", std::to_string(capture.server.port())}}),
        options_for(binary, port));
    ASSERT_TRUE(p.ready()) << name_of(binary) << p.describe();
    EXPECT_EQ(http_status(get_from("127.0.0.6", port)), 200) << name_of(binary);
    ASSERT_TRUE(wait_until([&] { return !lines_with(p.output(), {"tcplog "}).empty(); },
                           milliseconds{3000}))
        << p.output();
    const std::vector<std::string> h = capture.headers();
    ASSERT_EQ(h.size(), 1u) << name_of(binary);
    std::string seen;
    for (const std::string& t : tlvs_of(h[0], 16 + 12, h[0].size())) seen += t + " ";
    const std::string line = lines_with(p.output(), {"tcplog "})[0];
    runs.push_back(seen + line.substr(line.find("tcplog ")));
  }
  ASSERT_EQ(runs.size(), 2u);
  EXPECT_EQ(runs[0], runs[1]);
  EXPECT_EQ(runs[0], "05=ID-127.0.0.6-t tcplog id=ID-127.0.0.6-t");
}

}  // namespace
}  // namespace hearth::test::http
