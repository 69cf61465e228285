// The TLS options of server lines and the global ssl-default-server-* /
// ssl-server-verify: what they store, and what they refuse (with file, line
// and keyword).
#include <gtest/gtest.h>

#include "config_test_util.h"

namespace hearth::config {
namespace {

using testing::only_error;
using testing::parse;

const ServerTls& tls_of(const ParseResult& r, size_t i = 0) {
  return r.config.proxies.at(0).servers.at(i).tls;
}

TEST(ServerSsl, StoresEveryOption) {
  auto r = parse(
      "backend b\n  server s 127.0.0.1:443 ssl verify required verifyhost a.example "
      "ca-file ca.pem crl-file crl.pem crt client.pem sni req.hdr(host) alpn http/1.1,x "
      "ssl-min-ver TLSv1.2 ssl-max-ver TLSv1.3 ciphers HIGH ciphersuites "
      "TLS_AES_128_GCM_SHA256 no-ssl-reuse no-tls-tickets no-tlsv13 check-ssl check-sni "
      "c.example check-alpn http/1.0\n");
  ASSERT_TRUE(r.ok()) << testing::dump(r.errors);
  const ServerTls& t = tls_of(r);
  EXPECT_TRUE(t.enabled);
  EXPECT_EQ(t.verify, 2);
  EXPECT_EQ(t.verifyhost, "a.example");
  EXPECT_EQ(t.ca_file, "ca.pem");
  EXPECT_EQ(t.crl_file, "crl.pem");
  EXPECT_EQ(t.crt, "client.pem");
  ASSERT_TRUE(t.sni);
  EXPECT_EQ(t.alpn, (std::vector<std::string>{"http/1.1", "x"}));
  EXPECT_EQ(t.min_ver, 0x303);
  EXPECT_EQ(t.max_ver, 0x304);
  EXPECT_EQ(t.ciphers.value_or(""), "HIGH");
  EXPECT_EQ(t.ciphersuites.value_or(""), "TLS_AES_128_GCM_SHA256");
  EXPECT_TRUE(t.no_reuse);
  EXPECT_TRUE(t.no_tickets);
  EXPECT_EQ(t.no_versions, 1u << 4);
  EXPECT_EQ(t.check_ssl, 1);
  EXPECT_EQ(t.check_sni, "c.example");
  EXPECT_EQ(t.check_alpn.value_or(std::vector<std::string>{}),
            (std::vector<std::string>{"http/1.0"}));
}

TEST(ServerSsl, DefaultServerOptionsAreInheritedAndReset) {
  auto r = parse(
      "backend b\n  default-server ssl verify none no-ssl-reuse\n"
      "  server s1 127.0.0.1:443\n  server s2 127.0.0.1:80 no-ssl ssl-reuse\n");
  ASSERT_TRUE(r.ok()) << testing::dump(r.errors);
  EXPECT_TRUE(tls_of(r, 0).enabled);
  EXPECT_EQ(tls_of(r, 0).verify, 0);
  EXPECT_TRUE(tls_of(r, 0).no_reuse);
  EXPECT_FALSE(tls_of(r, 1).enabled);
  EXPECT_FALSE(tls_of(r, 1).no_reuse);
}

TEST(ServerSsl, Globals) {
  auto r = parse(
      "global\n  ssl-server-verify none\n  ssl-default-server-ciphers HIGH\n"
      "  ssl-default-server-ciphersuites TLS_AES_256_GCM_SHA384\n"
      "  ssl-default-server-options ssl-min-ver TLSv1.3 no-tls-tickets\n");
  ASSERT_TRUE(r.ok()) << testing::dump(r.errors);
  const TlsGlobal& g = r.config.global.tls;
  EXPECT_EQ(g.server_verify, 0);
  EXPECT_EQ(g.server_ciphers.value_or(""), "HIGH");
  EXPECT_EQ(g.server_ciphersuites.value_or(""), "TLS_AES_256_GCM_SHA384");
  EXPECT_EQ(g.server_options.min_ver, 0x304);
  EXPECT_TRUE(g.server_options.no_tickets);
}

TEST(ServerSsl, Refusals) {
  EXPECT_EQ(
      only_error(testing::parse_and_validate("backend b\n  server s 127.0.0.1:443 sni str(a)\n")),
      "t.cfg:2: 'server': server 's': option 'sni' needs 'ssl' (or 'check-ssl') on the "
      "server");
  // As HAProxy: a check rule connecting with ssl takes the server's TLS
  // settings, which then have a use.
  EXPECT_TRUE(testing::parse_and_validate("backend b\n  option tcp-check\n"
                                          "  tcp-check connect ssl\n"
                                          "  server s 127.0.0.1:443 check verify none\n")
                  .ok());
  EXPECT_EQ(only_error(parse("backend b\n  server s 127.0.0.1:443 ssl verify optional\n")),
            "t.cfg:2: 'server': 'verify' expects none or required, not 'optional'");
  EXPECT_EQ(only_error(parse("backend b\n  server s 127.0.0.1:443 ssl ssl-min-ver TLS1.2\n")),
            "t.cfg:2: 'server': 'ssl-min-ver' expects SSLv3, TLSv1.0, TLSv1.1, TLSv1.2 or "
            "TLSv1.3, not 'TLS1.2'");
  EXPECT_EQ(only_error(parse("global\n  ssl-server-verify optional\n")),
            "t.cfg:2: 'ssl-server-verify': expects none or required, not 'optional'");
  EXPECT_EQ(only_error(parse("backend b\n  server s 127.0.0.1:443 ssl sni\n")),
            "t.cfg:2: 'server': option 'sni' expects a value");
}

}  // namespace
}  // namespace hearth::config
