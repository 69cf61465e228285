// crt-list on bind lines, through the real binary and compared with HAProxy
// on the same files: which certificate each server name gets (filters,
// wildcards, exclusions, the first certificate as default), the options of a
// line applying to its certificate only, and the refusals that name the
// list's file and line.
#include <gtest/gtest.h>
#include <openssl/ssl.h>

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
using tls::presented_cn;
using tls::s_client;
using tls::sni_args;

const char kDefaults[] =
    "defaults\n  mode http\n  timeout connect 2s\n  timeout client 10s\n  timeout server 10s\n";

class TlsCrtList : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    certs_ = new TestCerts();
    certs_->server("default.pem", "www.example.com", {"www.example.com"});
    certs_->server("wild.pem", "wild", {"*.domain.tld"});
    certs_->server("secure.pem", "secure", {"secure.domain.tld", "other.test"});
    certs_->server("second.pem", "second", {"second.test", "www.example.com"});
    certs_->server("extra.pem", "extra", {"extra.test", "second.test"});
    certs_->server("tls13.pem", "tls13", {"tls13.test"});
    certs_->server("mtls.pem", "mtls", {"mtls.test"});
    alice_ = certs_->client("alice", "alice");
    ASSERT_EQ(certs_->last_error(), "");
  }
  static void TearDownTestSuite() { delete certs_; }
  // Writes a crt-list under the certificates' directory. Returns: its path.
  static std::string list(const std::string& name, const std::string& text) {
    const std::string path = certs_->dir() + "/" + name;
    EXPECT_TRUE(write_file(path, text));
    return path;
  }
  static TestCerts* certs_;
  static std::string alice_;
};
TestCerts* TlsCrtList::certs_ = nullptr;
std::string TlsCrtList::alice_;

TEST_F(TlsCrtList, SniFollowsTheFiltersAsHAProxy) {
  // The manual's example: the default certificate keeps none of its names
  // (!*), a wildcard excludes one name, a line's filters replace its
  // certificate's names; then a plain crt after the list.
  list("sni.lst",
       "default.pem !*\n"
       "# comment\n"
       "\n"
       "wild.pem *.domain.tld !secure.domain.tld !excluded.domain.tld\n"
       "secure.pem secure.domain.tld # other.test   (no comment: filters, as in HAProxy)\n"
       "second.pem\n");
  const std::vector<std::string> snis = {
      "",           "www.example.com", "a.domain.tld", "secure.domain.tld", "excluded.domain.tld",
      "other.test", "second.test",     "extra.test",   "nowhere.test"};
  std::vector<std::vector<std::string>> runs;
  for (const std::string binary : {"", "haproxy"}) {
    const uint16_t port = free_tcp_port();
    HearthOptions opt{.wait_ports = {port}};
    if (!binary.empty()) opt.binary = binary, opt.extra_args = {"-db"};
    HearthProcess h(std::string(kDefaults) + "global\n  crt-base " + certs_->dir() +
                        "\nfrontend fe\n  bind " + addr(port) + " ssl crt-list " + certs_->dir() +
                        "/sni.lst crt extra.pem\n" + "  http-request return status 200\n",
                    opt);
    ASSERT_TRUE(h.ready()) << binary << ": " << h.describe();
    std::vector<std::string> seen;
    for (const std::string& sni : snis) seen.push_back(presented_cn(s_client(port, sni_args(sni))));
    runs.push_back(seen);
  }
  EXPECT_EQ(runs[0], runs[1]) << "hearth and haproxy differ";
  EXPECT_EQ(runs[0],
            (std::vector<std::string>{"www.example.com",  // no SNI: the first certificate
                                      "second",  // the default's names are out of the index (!*)
                                      "wild", "secure",
                                      "www.example.com",  // excluded from the wildcard: the default
                                      "secure",           // a filter: '#' starts no comment there
                                      "second",           // the list's line comes before the crt
                                      "extra", "www.example.com"}));
}

TEST_F(TlsCrtList, LineOptionsApplyToTheirCertificateOnly) {
  list("opts.lst",
       "default.pem\n"
       "tls13.pem [ssl-min-ver TLSv1.3 alpn x-line]\n"
       "mtls.pem [verify required ca-file " +
           certs_->ca_pem() + "]\n");
  const uint16_t port = free_tcp_port();
  HearthProcess h(std::string(kDefaults) + "global\n  crt-base " + certs_->dir() +
                      "\nfrontend fe\n  bind " + addr(port) + " ssl crt-list " + certs_->dir() +
                      "/opts.lst alpn http/1.1\n" +
                      "  http-request return status 200 hdr x-cn \"%[ssl_c_s_dn(CN)]\"\n",
                  HearthOptions{.wait_ports = {port}});
  ASSERT_TRUE(h.ready()) << h.describe();
  // ssl-min-ver TLSv1.3 on one line: TLS 1.2 is refused for its name only.
  TlsClient v12(port, {.sni = "tls13.test", .max_version = TLS1_2_VERSION});
  EXPECT_FALSE(v12.ok());
  TlsClient v13(port, {.sni = "tls13.test", .alpn = "x-line,http/1.1"});
  ASSERT_TRUE(v13.ok()) << v13.error();
  const unsigned char* proto = nullptr;
  unsigned len = 0;
  SSL_get0_alpn_selected(v13.ssl(), &proto, &len);
  EXPECT_EQ(std::string(reinterpret_cast<const char*>(proto), len), "x-line");
  TlsClient other12(
      port, {.sni = "www.example.com", .alpn = "x-line,http/1.1", .max_version = TLS1_2_VERSION});
  ASSERT_TRUE(other12.ok()) << other12.error();
  SSL_get0_alpn_selected(other12.ssl(), &proto, &len);
  EXPECT_EQ(std::string(reinterpret_cast<const char*>(proto), len), "http/1.1");
  // verify required on one line: its name needs a client certificate.
  const std::string no_cert = s_client(port, {"-servername", "mtls.test"});
  EXPECT_EQ(no_cert.find("Verify return code: 0 (ok)\n---\nDONE"), std::string::npos);
  TlsClient with(
      port,
      {.sni = "mtls.test", .cert = alice_, .key = alice_.substr(0, alice_.size() - 4) + ".key"});
  ASSERT_TRUE(with.ok()) << with.error();
  ASSERT_TRUE(with.write_all("GET / HTTP/1.1\r\nhost: a\r\n\r\n"));
  std::string head, body;
  EXPECT_EQ(with.read_response(&head, &body), 200);
  EXPECT_NE(head.find("x-cn: alice"), std::string::npos) << head;
  TlsClient anon(port, {.sni = "www.example.com"});
  ASSERT_TRUE(anon.ok()) << anon.error();
  ASSERT_TRUE(anon.write_all("GET / HTTP/1.1\r\nhost: a\r\n\r\n"));
  EXPECT_EQ(anon.read_response(&head, &body), 200);
}

TEST_F(TlsCrtList, RefusalsNameTheListFileAndLine) {
  const uint16_t port = free_tcp_port();
  struct Case {
    std::string text, want;
  };
  const std::string dir = certs_->dir();
  const std::vector<Case> cases = {
      {"default.pem\nsecure.pem [npn h2]\n",
       dir + "/bad.lst:2: 'npn': NPN is obsolete and not supported by Hearth"},
      {"default.pem [strict-sni]\n",
       dir + "/bad.lst:1: 'strict-sni': is not an option of a crt-list line"},
      {"default.pem\n\nmissing.pem\n",
       "crt-list " + dir + "/bad.lst:3: cannot open certificate '" + dir + "/missing.pem'"},
      {"default.pem [ciphers NOPE]\n",
       "crt-list " + dir + "/bad.lst:1: OpenSSL refuses the cipher list 'NOPE'"},
  };
  for (const Case& c : cases) {
    list("bad.lst", c.text);
    const RunResult r = HearthProcess::check_config(std::string(kDefaults) + "global\n  crt-base " +
                                                    dir + "\nfrontend fe\n  bind " + addr(port) +
                                                    " ssl crt-list " + dir + "/bad.lst\n");
    EXPECT_NE(r.exit_code, 0) << c.text;
    EXPECT_NE(r.output.find("hearth.cfg:9: 'bind': '" + addr(port) + " ssl': "), std::string::npos)
        << r.output;
    EXPECT_NE(r.output.find(c.want), std::string::npos) << c.text << "\n" << r.output;
  }
  const RunResult none =
      HearthProcess::check_config(std::string(kDefaults) + "frontend fe\n  bind " + addr(port) +
                                  " ssl crt-list /nonexistent.lst\n");
  EXPECT_NE(none.output.find("crt-list: cannot open '/nonexistent.lst'"), std::string::npos)
      << none.output;
}

}  // namespace
}  // namespace hearth::test::http
