// Which files beside a certificate are loaded, compared with HAProxy 2.6 on
// the same files: a multi-cert bundle (crt FILE loading FILE.rsa and
// FILE.ecdsa, chosen by what the client accepts), ssl-load-extra-del-ext
// (the key of site.crt in site.key), and a certificate and its key replaced
// at run time in two steps ("set ssl cert site.crt", then "site.key").
#include <gtest/gtest.h>

#include <regex>
#include <string>
#include <vector>

#include "http_test_util.h"
#include "support/ports.h"
#include "support/temp_dir.h"
#include "support/test_certs.h"
#include "tcp_test_util.h"
#include "tls_test_util.h"

namespace hearth::test::http {
namespace {

using tcp::kBinaries;
using tcp::name_of;
using tls::addr;
using tls::presented_cn;
using tls::read_all;
using tls::s_client;

// Returns: the PEM blocks of `text` whose BEGIN line holds `kind`, or not.
std::string blocks(const std::string& text, const std::string& kind, bool with) {
  std::string out;
  size_t at = 0;
  while ((at = text.find("-----BEGIN ", at)) != std::string::npos) {
    const size_t end = text.find("-----END ", at);
    const size_t stop = text.find('\n', end) + 1;
    const size_t eol = text.find('\n', at);
    if ((text.substr(at, eol - at).find(kind) != std::string::npos) == with)
      out += text.substr(at, stop - at);
    at = stop;
  }
  return out;
}

std::vector<std::string> session(const std::string& binary, const TestCerts& certs,
                                 const std::string& new_crt, const std::string& new_key) {
  TempDir tmp;
  const std::string sock = tmp.file("stats.sock");
  const uint16_t port = free_tcp_port();
  HearthOptions opt{.wait_ports = {port}};
  if (!binary.empty()) opt.binary = binary, opt.extra_args = {"-db"};
  const std::string d = certs.dir();
  HearthProcess h("global\n  stats socket " + sock + " level admin\n  ssl-load-extra-del-ext\n" +
                      "defaults\n  mode http\n  timeout connect 2s\n  timeout client 5s\n"
                      "  timeout server 5s\nfrontend fe\n  bind " +
                      addr(port) + " ssl crt " + d + "/site.crt crt " + d +
                      "/bundle.pem\n  http-request return status 200\n",
                  opt);
  EXPECT_TRUE(h.ready()) << name_of(binary) << ": " << h.describe();
  std::vector<std::string> seen;
  if (!h.ready()) return seen;
  const std::regex dir(d);
  auto cli = [&](const std::string& cmd) {
    seen.push_back(std::regex_replace(cmd.substr(0, cmd.find('\n')), dir, "D") + " => " +
                   std::regex_replace(stats_command(sock, cmd), dir, "D"));
  };
  auto served = [&](const std::string& sni, const std::string& cipher) {
    seen.push_back(sni + " " + cipher + " -> " +
                   presented_cn(s_client(port, {"-tls1_2", "-cipher", cipher, "-servername", sni})));
  };
  const std::string ec = "ECDHE-ECDSA-AES128-GCM-SHA256", rsa = "ECDHE-RSA-AES128-GCM-SHA256";
  served("bundle.test", ec);
  served("bundle.test", rsa);
  served("site.test", rsa);
  cli("show ssl cert");
  cli("set ssl cert " + d + "/site.crt <<\n" + new_crt);
  served("site.test", rsa);  // not committed
  cli("set ssl cert " + d + "/site.key <<\n" + new_key);
  cli("commit ssl cert " + d + "/site.crt");
  served("site.test", rsa);
  served("new-site.test", rsa);
  return seen;
}

TEST(TlsExtraFilesVsHAProxy, BundlesAndKeysBesideTheCertificate) {
  TestCerts certs;
  const std::string rsa = certs.server("parts-rsa.pem", "bundle-rsa", {"bundle.test"});
  const std::string ecdsa =
      certs.server("parts-ecdsa.pem", "bundle-ecdsa", {"bundle.test"}, KeyType::kEcdsa);
  const std::string site = certs.server("parts-site.pem", "site", {"site.test"});
  const std::string fresh = certs.server("parts-new.pem", "new-site", {"new-site.test"});
  ASSERT_EQ(certs.last_error(), "");
  const std::string d = certs.dir();
  ASSERT_TRUE(write_file(d + "/bundle.pem.rsa", read_all(rsa)));
  ASSERT_TRUE(write_file(d + "/bundle.pem.ecdsa", read_all(ecdsa)));
  // site.crt holds the certificate and chain, site.key the key.
  ASSERT_TRUE(write_file(d + "/site.crt", blocks(read_all(site), "PRIVATE KEY", false)));
  ASSERT_TRUE(write_file(d + "/site.key", blocks(read_all(site), "PRIVATE KEY", true)));
  const std::string new_crt = blocks(read_all(fresh), "PRIVATE KEY", false);
  const std::string new_key = blocks(read_all(fresh), "PRIVATE KEY", true);
  std::vector<std::vector<std::string>> seen;
  for (const std::string binary : kBinaries) seen.push_back(session(binary, certs, new_crt, new_key));
  ASSERT_EQ(seen[0].size(), seen[1].size());
  for (size_t i = 0; i < seen[0].size(); ++i) EXPECT_EQ(seen[0][i], seen[1][i]) << "step " << i;
  ASSERT_EQ(seen[0].size(), 10u);
  EXPECT_EQ(seen[0][0], "bundle.test ECDHE-ECDSA-AES128-GCM-SHA256 -> bundle-ecdsa");
  EXPECT_EQ(seen[0][1], "bundle.test ECDHE-RSA-AES128-GCM-SHA256 -> bundle-rsa");
  EXPECT_EQ(seen[0][2], "site.test ECDHE-RSA-AES128-GCM-SHA256 -> site");
  EXPECT_EQ(seen[0][5], "site.test ECDHE-RSA-AES128-GCM-SHA256 -> site");
  EXPECT_EQ(seen[0][9], "new-site.test ECDHE-RSA-AES128-GCM-SHA256 -> new-site");
}

TEST(TlsExtraFiles, OcspAndSctlFilesAreRefused) {
  for (const char* v : {"ocsp", "sctl", "issuer"}) {
    const RunResult r = HearthProcess::check_config(
        "global\n  ssl-load-extra-files key " + std::string(v) +
        "\ndefaults\n  mode http\n  timeout connect 1s\n  timeout client 1s\n"
        "  timeout server 1s\nfrontend fe\n  bind 127.0.0.1:1\n");
    EXPECT_NE(r.exit_code, 0) << v;
    EXPECT_NE(r.output.find("ssl-load-extra-files"), std::string::npos) << r.output;
    EXPECT_NE(r.output.find("not supported"), std::string::npos) << r.output;
  }
}

}  // namespace
}  // namespace hearth::test::http
