// Traffic over TLS through the real binary: the ssl_fc*/ssl_c_* fetches and
// %sslv/%sslc compared with HAProxy on one configuration, the https redirect
// idiom, TLS in front of a TCP backend, many keep-alive requests and large
// bodies both ways on one TLS connection, session resumption (and the cache
// turned off), and a client stalled mid-handshake cut by timeout client-hs.
#include <gtest/gtest.h>
#include <openssl/ssl.h>
#include <unistd.h>

#include <string>
#include <vector>

#include "http_test_util.h"
#include "support/client.h"
#include "support/command.h"
#include "support/ports.h"
#include "support/sha256.h"
#include "support/test_certs.h"
#include "support/tls_client.h"
#include "support/wait.h"

namespace hearth::test::http {
namespace {

const char kDefaults[] =
    "defaults\n  mode http\n  timeout connect 2s\n  timeout client 10s\n  timeout server 10s\n";

std::string addr(uint16_t port) { return "127.0.0.1:" + std::to_string(port); }

// Returns: the value of field `name` in a response head, or "<none>".
std::string field(const std::string& head, const std::string& name) {
  const size_t at = head.find("\r\n" + name + ": ");
  if (at == std::string::npos) return "<none>";
  const size_t start = at + name.size() + 4;
  return head.substr(start, head.find("\r\n", start) - start);
}

class TlsTraffic : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    certs_ = new TestCerts();
    crt_ = certs_->server("site.pem", "www.example.com", {"www.example.com"});
    client_ = certs_->client("alice", "alice");
    ASSERT_EQ(certs_->last_error(), "");
  }
  static void TearDownTestSuite() { delete certs_; }
  static TlsClientOptions with_client_cert() {
    TlsClientOptions o;
    o.sni = "www.example.com";
    o.alpn = "http/1.1";
    o.cert = client_;
    o.key = client_.substr(0, client_.size() - 4) + ".key";
    return o;
  }
  static TestCerts* certs_;
  static std::string crt_, client_;
};
TestCerts* TlsTraffic::certs_ = nullptr;
std::string TlsTraffic::crt_, TlsTraffic::client_;

TEST_F(TlsTraffic, FetchesAndLogFieldsMatchHAProxy) {
  const std::vector<std::string> fetches = {"ssl_fc",
                                            "ssl_fc_sni",
                                            "ssl_fc_protocol",
                                            "ssl_fc_cipher",
                                            "ssl_fc_alpn",
                                            "ssl_fc_is_resumed",
                                            "ssl_fc_use_keysize",
                                            "ssl_c_used",
                                            "ssl_c_verify",
                                            "ssl_c_s_dn",
                                            "ssl_c_i_dn",
                                            "ssl_c_s_dn(CN)",
                                            "ssl_c_i_dn(O)",
                                            "ssl_c_s_dn(,0,rfc2253)",
                                            "ssl_c_serial,hex",
                                            "ssl_c_notafter",
                                            "ssl_c_sha1,hex"};
  std::vector<std::vector<std::string>> runs;
  for (const std::string binary : {"", "haproxy"}) {
    const uint16_t tls = free_tcp_port(), plain = free_tcp_port();
    std::string cfg =
        std::string(kDefaults) + "global\n  log stdout format raw local0\n" +
        "frontend fe\n  log global\n  log-format \"LOG %sslv %sslc %[ssl_fc_sni]\"\n" + "  bind " +
        addr(tls) + " ssl crt " + crt_ + " ca-file " + certs_->ca_pem() +
        " verify optional alpn http/1.1\n  bind " + addr(plain) +
        "\n  http-request redirect scheme https unless { ssl_fc }\n" +
        "  http-request return status 200";
    for (size_t i = 0; i < fetches.size(); ++i)
      cfg += " hdr x-" + std::to_string(i) + " \"%[" + fetches[i] + "]\"";
    HearthOptions opt{.wait_ports = {tls, plain}};
    if (!binary.empty()) opt.binary = binary, opt.extra_args = {"-db"};
    HearthProcess h(cfg + "\n", opt);
    ASSERT_TRUE(h.ready()) << binary << ": " << h.describe();
    std::vector<std::string> seen;
    {
      TlsClient c(tls, with_client_cert());
      ASSERT_TRUE(c.ok()) << binary << ": " << c.error();
      std::string head, body;
      ASSERT_TRUE(c.write_all("GET / HTTP/1.1\r\nhost: www.example.com\r\n\r\n"));
      ASSERT_EQ(c.read_response(&head, &body), 200) << binary;
      for (size_t i = 0; i < fetches.size(); ++i)
        seen.push_back(fetches[i] + "=" + field(head, "x-" + std::to_string(i)));
    }
    HttpClient p(plain);
    ASSERT_TRUE(p.send("GET /a?b HTTP/1.1\r\nhost: www.example.com\r\n\r\n"));
    const HttpResponse r = p.read_response();
    seen.push_back(std::to_string(r.status) + " " + r.header("location").value_or("-"));
    ASSERT_TRUE(wait_until([&] { return h.output().find("LOG ") != std::string::npos; },
                           milliseconds{5000}))
        << h.output();
    const std::string out = h.output();
    const size_t at = out.find("LOG ");
    seen.push_back(out.substr(at, out.find('\n', at) - at));
    runs.push_back(seen);
  }
  EXPECT_EQ(runs[0], runs[1]);
  ASSERT_FALSE(runs[0].empty());
  EXPECT_EQ(runs[0][0], "ssl_fc=1");
  EXPECT_EQ(runs[0][11], "ssl_c_s_dn(CN)=alice");
  EXPECT_EQ(runs[0][fetches.size()], "302 https://www.example.com/a?b");
}

TEST_F(TlsTraffic, TerminatesTlsInFrontOfATcpBackend) {
  HttpBackend be;
  const uint16_t port = free_tcp_port();
  HearthProcess h(
      "defaults\n  mode tcp\n  timeout connect 2s\n  timeout client 10s\n"
      "  timeout server 10s\nlisten li\n  bind " +
          addr(port) + " ssl crt " + crt_ + "\n  server s 127.0.0.1:" + std::to_string(be.port()) +
          "\n",
      HearthOptions{.wait_ports = {port}});
  ASSERT_TRUE(h.ready()) << h.describe();
  TlsClient c(port);
  ASSERT_TRUE(c.ok()) << c.error();
  std::string head, body;
  ASSERT_TRUE(c.write_all("GET /size/100000 HTTP/1.1\r\nhost: a\r\n\r\n"));
  ASSERT_EQ(c.read_response(&head, &body), 200);
  PatternChecker check;
  check.feed(body.data(), body.size());
  EXPECT_EQ(check.size(), 100000u);
  EXPECT_TRUE(check.ok());
  // The backend saw plain HTTP.
  ASSERT_EQ(be.request_count(), 1u);
  EXPECT_EQ(be.requests()[0].target, "/size/100000");
}

TEST_F(TlsTraffic, KeepAliveAndLargeBodiesBothWays) {
  HttpBackend be;
  const uint16_t port = free_tcp_port();
  HearthProcess h(std::string(kDefaults) + "global\n  tune.ssl.maxrecord 1400\n" +
                      "frontend fe\n  bind " + addr(port) + " ssl crt " + crt_ +
                      "\n  default_backend be\nbackend be\n  server s 127.0.0.1:" +
                      std::to_string(be.port()) + "\n",
                  HearthOptions{.wait_ports = {port}});
  ASSERT_TRUE(h.ready()) << h.describe();
  TlsClient c(port);
  ASSERT_TRUE(c.ok()) << c.error();
  std::string head, body;
  for (int i = 0; i < 300; ++i) {
    const size_t n = size_t(i) * 997 % 50000;
    ASSERT_TRUE(c.write_all("GET /size/" + std::to_string(n) + " HTTP/1.1\r\nhost: a\r\n\r\n"));
    ASSERT_EQ(c.read_response(&head, &body), 200) << "request " << i;
    PatternChecker check;
    check.feed(body.data(), body.size());
    ASSERT_EQ(check.size(), n) << "request " << i;
    ASSERT_TRUE(check.ok()) << "request " << i;
  }
  // 8 MiB up (the backend hashes what it received) ...
  std::string big(8u << 20, '\0');
  pattern_fill(0, big.data(), big.size());
  ASSERT_TRUE(c.write_all("POST /hash HTTP/1.1\r\nhost: a\r\ncontent-length: " +
                          std::to_string(big.size()) + "\r\n\r\n"));
  ASSERT_TRUE(c.write_all(big));
  ASSERT_EQ(c.read_response(&head, &body), 200);
  EXPECT_EQ(body, std::to_string(big.size()) + " " + sha256_hex(big));
  // ... and 24 MiB down, on the same connection.
  ASSERT_TRUE(c.write_all("GET /size/25165824 HTTP/1.1\r\nhost: a\r\n\r\n"));
  ASSERT_EQ(c.read_response(&head, &body), 200);
  PatternChecker check;
  check.feed(body.data(), body.size());
  EXPECT_EQ(check.size(), 25165824u);
  EXPECT_TRUE(check.ok());
  EXPECT_EQ(be.per_connection().size(), 1u);  // and the backend side kept one connection
}

TEST_F(TlsTraffic, SessionResumptionAndItsCache) {
  const uint16_t on = free_tcp_port(), off = free_tcp_port();
  const std::string reply = "  http-request return status 200\n";
  HearthProcess h(std::string(kDefaults) + "frontend fe\n  bind " + addr(on) + " ssl crt " + crt_ +
                      "\n" + reply,
                  HearthOptions{.wait_ports = {on}});
  HearthProcess h0(std::string(kDefaults) +
                       "global\n  tune.ssl.cachesize 0\n  ssl-default-bind-options no-tls-tickets\n"
                       "frontend fe\n  bind " +
                       addr(off) + " ssl crt " + crt_ + "\n" + reply,
                   HearthOptions{.wait_ports = {off}});
  ASSERT_TRUE(h.ready() && h0.ready()) << h.describe() << h0.describe();
  auto reused = [](uint16_t port) {
    // TLS 1.2: s_client -reconnect does not wait for TLS 1.3's tickets.
    const CommandResult r =
        run_command({"openssl", "s_client", "-connect", addr(port), "-tls1_2", "-reconnect"});
    int n = 0;
    for (size_t at = 0; (at = r.output.find("\nReused, ", at)) != std::string::npos; ++at) ++n;
    return n;
  };
  EXPECT_EQ(reused(on), 5);
  EXPECT_EQ(reused(off), 0);
}

TEST_F(TlsTraffic, StalledHandshakeIsCutAtTimeoutClientHs) {
  const uint16_t port = free_tcp_port();
  HearthProcess h(
      "global\n  log stdout format raw local0\ndefaults\n  mode http\n  log global\n"
      "  timeout client 120s\n  timeout client-hs 1s\nfrontend fe\n  bind " +
          addr(port) + " ssl crt " + crt_ + "\n  http-request return status 200\n",
      HearthOptions{.wait_ports = {port}});
  ASSERT_TRUE(h.ready()) << h.describe();
  UniqueFd fd(connect_tcp(port));
  ASSERT_GE(fd.get(), 0);
  // The start of a ClientHello record, and then nothing.
  ASSERT_TRUE(send_all(fd.get(), std::string("\x16\x03\x01\x02\x00\x01", 6)));
  bool closed = false;
  recv_until_eof(fd.get(), milliseconds{30000}, &closed);
  EXPECT_TRUE(closed) << "not cut within 30 s, while timeout client is 120 s";
  ASSERT_TRUE(wait_until(
      [&] { return h.output().find("fe/1: Timeout during SSL handshake") != std::string::npos; },
      milliseconds{5000}))
      << h.output();
}

}  // namespace
}  // namespace hearth::test::http
