// TLS termination on bind lines through the real binary, with real clients
// (openssl s_client, curl, and an OpenSSL client of the tests): certificate
// selection by SNI (exact, wildcard, default, ECDSA or RSA for one name),
// strict-sni, client certificates, protocol bounds and ALPN. Certificates
// are made at test time.
#include <gtest/gtest.h>
#include <openssl/ssl.h>

#include <string>
#include <vector>

#include "http_test_util.h"
#include "support/command.h"
#include "support/ports.h"
#include "support/test_certs.h"
#include "support/tls_client.h"
#include "support/wait.h"
#include "tls_test_util.h"

namespace hearth::test::http {
namespace {

const char kDefaults[] =
    "defaults\n  mode http\n  timeout connect 2s\n  timeout client 10s\n  timeout server 10s\n";

using tls::addr;
using tls::presented_cn;
using tls::s_client;

class TlsBind : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    certs_ = new TestCerts();
    ASSERT_EQ(certs_->last_error(), "");
    def_ = certs_->server("default.pem", "www.example.com", {"www.example.com", "example.com"});
    // A directory: a wildcard (key in a .key file beside it), a certificate
    // named by its CN alone, and one name with an RSA and an ECDSA certificate.
    certs_->server("sni/a-wild.pem", "wild", {"*.wild.test"}, KeyType::kRsa, true);
    certs_->server("sni/b-cn-only.pem", "cn.only.test", {});
    certs_->server("sni/c-api-rsa.pem", "api-rsa", {"api.example.com"}, KeyType::kRsa);
    certs_->server("sni/d-api-ecdsa.pem", "api-ecdsa", {"api.example.com"}, KeyType::kEcdsa);
    good_client_ = certs_->client("alice", "alice");
    other_ca_ = new TestCerts("Other CA");
    bad_client_ = other_ca_->client("mallory", "mallory");
    ASSERT_EQ(certs_->last_error() + other_ca_->last_error(), "");
  }
  static void TearDownTestSuite() {
    delete certs_;
    delete other_ca_;
  }
  static std::string sni_dir() { return certs_->dir() + "/sni"; }
  static std::string client_key(const std::string& pem) {
    return pem.substr(0, pem.size() - 4) + ".key";
  }

  static TestCerts* certs_;
  static TestCerts* other_ca_;
  static std::string def_, good_client_, bad_client_;
};
TestCerts* TlsBind::certs_ = nullptr;
TestCerts* TlsBind::other_ca_ = nullptr;
std::string TlsBind::def_, TlsBind::good_client_, TlsBind::bad_client_;

TEST_F(TlsBind, SniChoosesAmongCertificates) {
  const uint16_t port = free_tcp_port();
  HearthProcess h(std::string(kDefaults) + "global\n  crt-base " + certs_->dir() +
                      "\nfrontend fe\n  bind " + addr(port) + " ssl crt default.pem crt sni\n" +
                      "  http-request return status 200 hdr x-sni \"%[ssl_fc_sni]\"\n",
                  HearthOptions{.wait_ports = {port}});
  ASSERT_TRUE(h.ready()) << h.describe();
  struct Case {
    std::string sni, cn;
  };
  const std::vector<Case> cases = {
      {"", "www.example.com"},  // no SNI: the first certificate
      {"www.example.com", "www.example.com"},
      {"EXAMPLE.com", "www.example.com"},    // a SAN, any case
      {"x.wild.test", "wild"},               // wildcard
      {"a.b.wild.test", "www.example.com"},  // a wildcard covers one label only
      {"wild.test", "www.example.com"},
      {"cn.only.test", "cn.only.test"},     // the CN when there is no SAN
      {"unknown.test", "www.example.com"},  // no match: the default
  };
  for (const Case& c : cases) {
    const std::vector<std::string> extra = c.sni.empty()
                                               ? std::vector<std::string>{"-noservername"}
                                               : std::vector<std::string>{"-servername", c.sni};
    EXPECT_EQ(presented_cn(s_client(port, extra)), c.cn) << "sni '" << c.sni << "'";
  }
  // One name, two key types: the client's signature algorithms decide.
  EXPECT_EQ(
      presented_cn(s_client(port, {"-servername", "api.example.com", "-sigalgs", "ECDSA+SHA256"})),
      "api-ecdsa");
  EXPECT_EQ(presented_cn(s_client(port, {"-servername", "api.example.com", "-sigalgs",
                                         "rsa_pss_rsae_sha256:RSA+SHA256"})),
            "api-rsa");
}

TEST_F(TlsBind, StrictSniRefusesUnknownAndMissingNames) {
  const uint16_t port = free_tcp_port();
  HearthProcess h(std::string(kDefaults) + "global\n  log stdout format raw local0\n" +
                      "frontend fe\n  log global\n  bind " + addr(port) + " ssl crt " + def_ +
                      " crt " + sni_dir() + " strict-sni\n" +
                      "  http-request return status 200 hdr x-sni \"%[ssl_fc_sni]\"\n",
                  HearthOptions{.wait_ports = {port}});
  ASSERT_TRUE(h.ready()) << h.describe();
  EXPECT_EQ(presented_cn(s_client(port, {"-servername", "x.wild.test"})), "wild");
  const std::string unknown = s_client(port, {"-servername", "nope.test"});
  EXPECT_EQ(presented_cn(unknown), "");
  EXPECT_NE(unknown.find("unrecognized name"), std::string::npos) << unknown;
  EXPECT_EQ(presented_cn(s_client(port, {"-noservername"})), "");
  // Each refusal is a connection error line, as HAProxy writes it.
  ASSERT_TRUE(wait_until(
      [&] { return h.output().find("fe/1: SSL handshake failure") != std::string::npos; },
      milliseconds{5000}))
      << h.output();
}

TEST_F(TlsBind, ClientCertificates) {
  const uint16_t req = free_tcp_port(), opt = free_tcp_port(), none = free_tcp_port();
  const std::string reply =
      "  http-request return status 200 hdr x-used \"%[ssl_c_used]\" hdr x-cn "
      "\"%[ssl_c_s_dn(CN)]\" hdr x-verify \"%[ssl_c_verify]\"\n";
  const std::string ca = " ca-file " + certs_->ca_pem();
  HearthProcess h(std::string(kDefaults) + "global\n  log stdout format raw local0\n" +
                      "frontend fe\n  log global\n  bind " + addr(req) + " ssl crt " + def_ + ca +
                      " verify required\n  bind " + addr(opt) + " ssl crt " + def_ + ca +
                      " verify optional\n  bind " + addr(none) + " ssl crt " + def_ + ca +
                      " verify none\n" + reply,
                  HearthOptions{.wait_ports = {req, opt, none}});
  ASSERT_TRUE(h.ready()) << h.describe();
  auto answer = [&](uint16_t port, const std::string& cert) {
    TlsClientOptions o;
    o.alpn = "http/1.1";
    if (!cert.empty()) o.cert = cert, o.key = client_key(cert);
    TlsClient c(port, o);
    std::string head, body;
    // TLS 1.3 reports a refused client certificate after the handshake: at
    // the first read.
    if (!c.ok() || !c.write_all("GET / HTTP/1.1\r\nhost: a\r\n\r\n") ||
        c.read_response(&head, &body) != 200)
      return std::string("refused");
    auto field = [&head](const std::string& name) {
      const size_t at = head.find("\r\n" + name + ": ");
      return at == std::string::npos ? "-"
                                     : head.substr(at + name.size() + 4, head.find("\r\n", at + 2) -
                                                                             at - name.size() - 4);
    };
    return field("x-used") + " " + field("x-cn") + " " + field("x-verify");
  };
  EXPECT_EQ(answer(req, good_client_), "1 alice 0");
  EXPECT_EQ(answer(req, ""), "refused");
  EXPECT_EQ(answer(req, bad_client_), "refused");
  EXPECT_EQ(answer(opt, ""), "0 - 0");
  EXPECT_EQ(answer(opt, good_client_), "1 alice 0");
  EXPECT_EQ(answer(opt, bad_client_), "refused");
  EXPECT_EQ(answer(none, good_client_), "0 - 0");  // not even asked for
  ASSERT_TRUE(wait_until(
      [&] {
        return h.output().find("fe/1: SSL client certificate not trusted") != std::string::npos;
      },
      milliseconds{5000}))
      << h.output();
}

TEST_F(TlsBind, ProtocolVersionsAndAlpn) {
  const uint16_t dflt = free_tcp_port(), max12 = free_tcp_port(), only13 = free_tcp_port();
  const std::string reply =
      "  http-request return status 200 hdr x-proto \"%[ssl_fc_protocol]\" hdr x-alpn "
      "\"%[ssl_fc_alpn]\"\n";
  HearthProcess h(std::string(kDefaults) + "frontend fe\n  bind " + addr(dflt) + " ssl crt " +
                      def_ + " alpn h2,http/1.1\n  bind " + addr(max12) + " ssl crt " + def_ +
                      " ssl-max-ver TLSv1.2\n  bind " + addr(only13) + " ssl crt " + def_ +
                      " force-tlsv13\n" + reply,
                  HearthOptions{.wait_ports = {dflt, max12, only13}});
  ASSERT_TRUE(h.ready()) << h.describe();
  EXPECT_NE(h.output().find("h2 is not advertised"), std::string::npos) << h.output();
  auto curl = [](uint16_t port, std::vector<std::string> extra) {
    std::vector<std::string> argv = {"curl", "-sk", "-D-", "-o/dev/null", "--max-time", "10"};
    for (std::string& e : extra) argv.push_back(std::move(e));
    argv.push_back("https://" + addr(port) + "/");
    return run_command(argv);
  };
  // The default floor is TLS 1.2: TLS 1.1 and 1.0 are refused.
  CommandResult r = curl(dflt, {"--tlsv1.0", "--tls-max", "1.1"});
  EXPECT_NE(r.exit_code, 0) << r.output;
  r = curl(dflt, {});
  EXPECT_NE(r.output.find("x-proto: TLSv1.3"), std::string::npos) << r.output;
  // curl offers h2 and http/1.1: h2 is not advertised, http/1.1 is chosen.
  EXPECT_NE(r.output.find("x-alpn: http/1.1"), std::string::npos) << r.output;
  EXPECT_NE(r.output.find("HTTP/1.1 200"), std::string::npos) << r.output;
  r = curl(max12, {});
  EXPECT_NE(r.output.find("x-proto: TLSv1.2"), std::string::npos) << r.output;
  EXPECT_EQ(r.output.find("x-alpn: http"), std::string::npos) << r.output;  // no alpn on that line
  EXPECT_NE(curl(max12, {"--tlsv1.3"}).exit_code, 0);
  EXPECT_NE(curl(only13, {"--tls-max", "1.2"}).exit_code, 0);
  EXPECT_NE(curl(only13, {}).output.find("x-proto: TLSv1.3"), std::string::npos);
}

// A TLS scanner against a bind line with nothing but "ssl crt": no protocol
// below TLS 1.2, no renegotiation, forward secrecy on every TLS 1.2 cipher.
TEST_F(TlsBind, DefaultsPassAScanner) {
  const uint16_t port = free_tcp_port();
  HearthProcess h(std::string(kDefaults) + "frontend fe\n  bind " + addr(port) + " ssl crt " +
                      def_ + "\n  http-request return status 200\n",
                  HearthOptions{.wait_ports = {port}});
  ASSERT_TRUE(h.ready()) << h.describe();
  const CommandResult r = run_command({"sslscan", "--no-colour", addr(port)}, milliseconds{120000});
  ASSERT_EQ(r.exit_code, 0) << r.output;
  for (const char* v : {"SSLv2", "SSLv3", "TLSv1.0", "TLSv1.1"})
    EXPECT_NE(
        r.output.find(std::string(v) + std::string(9 - std::string(v).size(), ' ') + " disabled"),
        std::string::npos)
        << v << "\n"
        << r.output;
  EXPECT_NE(r.output.find("TLSv1.2   enabled"), std::string::npos) << r.output;
  EXPECT_NE(r.output.find("Session renegotiation not supported"), std::string::npos) << r.output;
  int tls12 = 0;
  for (size_t at = 0; (at = r.output.find("TLSv1.2  ", at)) != std::string::npos; ++at) {
    const std::string line = r.output.substr(at, r.output.find('\n', at) - at);
    // Cipher lines read "Accepted  TLSv1.2 ..." or "Preferred TLSv1.2 ...";
    // the key exchange groups are listed apart.
    const size_t bol = r.output.rfind('\n', at) + 1;
    const std::string lead = r.output.substr(bol, at - bol);
    if (lead != "Accepted  " && lead != "Preferred ") continue;
    ++tls12;
    EXPECT_TRUE(line.find("ECDHE-") != std::string::npos || line.find("DHE-") != std::string::npos)
        << line;
  }
  EXPECT_GT(tls12, 0) << r.output;
}

TEST_F(TlsBind, StartupRefusesWhatOpenSslCannotUse) {
  const uint16_t port = free_tcp_port();
  struct Case {
    std::string opts, want;
  };
  const std::vector<Case> cases = {
      {"ssl crt /nonexistent.pem", "cannot open certificate '/nonexistent.pem'"},
      {"ssl crt " + certs_->ca_pem(), "no private key in '" + certs_->ca_pem() + "'"},
      {"ssl crt " + def_ + " ciphers NOPE-CIPHER", "OpenSSL refuses the cipher list 'NOPE-CIPHER'"},
      {"ssl crt " + def_ + " verify required",
       "'verify required' needs a 'ca-file' (or 'ca-verify-file')"},
      {"ssl crt " + def_ + " ssl-min-ver TLSv1.3 ssl-max-ver TLSv1.2",
       "ssl-min-ver TLSv1.3 is above ssl-max-ver TLSv1.2"},
      {"ssl crt " + def_ + " no-tlsv12 no-tlsv13", "the no-* options leave no protocol version"},
  };
  for (const Case& c : cases) {
    HearthProcess h(std::string(kDefaults) + "frontend fe\n  bind " + addr(port) + " " + c.opts +
                        "\n  http-request return status 200\n",
                    HearthOptions{.wait_output = "never", .timeout = milliseconds{3000}});
    EXPECT_FALSE(h.ready());
    const std::string out = h.output();
    EXPECT_NE(out.find("hearth.cfg:7: 'bind': '" + addr(port) + " ssl': "), std::string::npos)
        << out;
    EXPECT_NE(out.find(c.want), std::string::npos) << c.opts << "\n" << out;
  }
  // hearth -c loads the certificates too, as HAProxy's check does.
  const std::string fe = std::string(kDefaults) + "frontend fe\n  bind " + addr(port) + " ";
  const RunResult bad = HearthProcess::check_config(fe + "ssl crt /nonexistent.pem\n");
  EXPECT_NE(bad.exit_code, 0);
  EXPECT_NE(bad.output.find("hearth.cfg:7: 'bind': '" + addr(port) +
                            " ssl': cannot open certificate '/nonexistent.pem'"),
            std::string::npos)
      << bad.output;
  const RunResult good = HearthProcess::check_config(fe + "ssl crt " + def_ + "\n");
  EXPECT_EQ(good.exit_code, 0) << good.output;
}

}  // namespace
}  // namespace hearth::test::http
