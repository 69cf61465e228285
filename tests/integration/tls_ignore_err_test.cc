// crt-ignore-err on a bind line, and the ssl_c_err / ssl_c_ca_err /
// ssl_c_ca_err_depth / ssl_c_verify fetches that report what verification
// found, through hearth and through haproxy 2.6 on the same configuration:
// a client certificate from a CA the bind line does not trust is refused,
// unless its error is ignored; the verification result keeps the error.
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "http_test_util.h"
#include "support/ports.h"
#include "support/test_certs.h"
#include "support/tls_client.h"
#include "tls_test_util.h"

namespace hearth::test::http {
namespace {

using tls::addr;

class TlsIgnoreErr : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    certs_ = new TestCerts("Trusted CA");
    other_ = new TestCerts("Untrusted CA");
    server_ = certs_->server("srv.pem", "www.ign.test", {"www.ign.test"});
    good_ = certs_->client("good", "good");
    bad_ = other_->client("bad", "bad");
    ASSERT_EQ(certs_->last_error() + other_->last_error(), "");
  }
  static void TearDownTestSuite() {
    delete certs_;
    delete other_;
  }

  // One request with client certificate `cert` to a bind line with
  // `options` through `binary` ("": hearth). Returns: "refused", or the
  // verify, err, ca_err and ca_err_depth values.
  static std::string answer(const std::string& binary, const std::string& options,
                            const std::string& cert) {
    const uint16_t port = free_tcp_port();
    const std::string cfg =
        "defaults\n  mode http\n  timeout connect 2s\n  timeout client 5s\n  timeout server 5s\n"
        "frontend fe\n  bind " +
        addr(port) + " ssl crt " + server_ + " ca-file " + certs_->ca_pem() + " " + options +
        "\n  http-request return status 200 hdr x-v \"%[ssl_c_verify]/%[ssl_c_err]/"
        "%[ssl_c_ca_err]/%[ssl_c_ca_err_depth]\"\n";
    HearthOptions opt{.wait_ports = {port}};
    if (!binary.empty()) opt.binary = binary, opt.extra_args = {"-db"};
    HearthProcess h(cfg, opt);
    EXPECT_TRUE(h.ready()) << binary << ": " << h.describe();
    TlsClientOptions o;
    o.cert = cert;
    o.key = cert.substr(0, cert.size() - 4) + ".key";
    TlsClient c(port, o);
    std::string head, body;
    // TLS 1.3 reports a refused client certificate at the first read.
    if (!c.ok() || !c.write_all("GET / HTTP/1.1\r\nhost: a\r\n\r\n") ||
        c.read_response(&head, &body) != 200)
      return "refused";
    const size_t at = head.find("\r\nx-v: ");
    return at == std::string::npos ? "(no header)"
                                   : head.substr(at + 7, head.find("\r\n", at + 2) - at - 7);
  }

  static TestCerts* certs_;
  static TestCerts* other_;
  static std::string server_, good_, bad_;
};
TestCerts* TlsIgnoreErr::certs_ = nullptr;
TestCerts* TlsIgnoreErr::other_ = nullptr;
std::string TlsIgnoreErr::server_, TlsIgnoreErr::good_, TlsIgnoreErr::bad_;

TEST_F(TlsIgnoreErr, SameAsHAProxy) {
  struct Case {
    std::string options, cert, want;
  };
  // A certificate of an unknown CA fails twice at depth 0: 20
  // (X509_V_ERR_UNABLE_TO_GET_ISSUER_CERT_LOCALLY), then 21
  // (X509_V_ERR_UNABLE_TO_VERIFY_LEAF_SIGNATURE), the final result; both
  // must be ignored for the handshake to go on.
  const std::vector<Case> cases = {
      {"verify required", good_, "0/0/0/0"},
      {"verify required", bad_, "refused"},
      {"verify required crt-ignore-err all", bad_, "21/20/0/0"},
      {"verify optional crt-ignore-err 20,21", bad_, "21/20/0/0"},
      {"verify optional crt-ignore-err 20", bad_, "refused"},
      {"verify required crt-ignore-err 10,23", bad_, "refused"},
      {"verify required ca-ignore-err all", bad_, "refused"},  // the errors are at depth 0
  };
  for (const Case& c : cases) {
    EXPECT_EQ(answer("", c.options, c.cert), c.want) << "hearth: " << c.options;
    EXPECT_EQ(answer("haproxy", c.options, c.cert), c.want) << "haproxy: " << c.options;
  }
}

TEST_F(TlsIgnoreErr, BadListsAreRefusedWithTheirLine) {
  for (const char* bad : {"crt-ignore-err 0", "crt-ignore-err 95", "ca-ignore-err 10,x",
                          "crt-ignore-err X509_V_ERR_CERT_HAS_EXPIRED"}) {
    const std::string cfg =
        "defaults\n  mode http\n  timeout connect 2s\n  timeout client 5s\n  timeout server 5s\n"
        "frontend fe\n  bind 127.0.0.1:1 ssl crt " +
        server_ + " " + bad + "\n  http-request return status 200\n";
    const RunResult ours = HearthProcess::check_config(cfg);
    EXPECT_NE(ours.exit_code, 0) << bad;
    EXPECT_NE(ours.output.find("hearth.cfg:7"), std::string::npos) << ours.output;
    EXPECT_NE(ours.output.find("ignore-err"), std::string::npos) << ours.output;
    EXPECT_NE(HearthProcess::check_config(cfg, {}, "haproxy").exit_code, 0) << bad;
  }
}

}  // namespace
}  // namespace hearth::test::http
