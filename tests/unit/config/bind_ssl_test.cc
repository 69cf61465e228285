// The TLS options of bind lines and the global TLS keywords: what they store,
// and what they refuse (with file, line and keyword).
#include <gtest/gtest.h>

#include "config_test_util.h"

namespace hearth::config {
namespace {

using testing::only_error;
using testing::parse;

const BindTls& tls_of(const ParseResult& r) { return r.config.proxies.at(0).binds.at(0).opts.tls; }

TEST(BindSsl, StoresEveryOption) {
  auto r = parse(
      "frontend f\n  bind :443 ssl crt a.pem crt certs/ ca-file ca.pem verify optional "
      "crl-file crl.pem ca-verify-file more.pem alpn http/1.1,x ssl-min-ver TLSv1.2 "
      "ssl-max-ver TLSv1.3 ciphers ECDHE+AESGCM ciphersuites TLS_AES_128_GCM_SHA256 curves "
      "X25519:P-256 ecdhe prime256v1 no-tlsv13 force-tlsv12 prefer-client-ciphers "
      "no-tls-tickets strict-sni\n");
  ASSERT_TRUE(r.ok());
  const BindTls& t = tls_of(r);
  EXPECT_TRUE(t.enabled);
  EXPECT_EQ(t.crts, (std::vector<CertSource>{{"a.pem", false}, {"certs/", false}}));
  EXPECT_FALSE(t.no_ca_names);
  EXPECT_EQ(t.tls_ticket_keys, "");
  EXPECT_EQ(t.ca_file, "ca.pem");
  EXPECT_EQ(t.crl_file, "crl.pem");
  EXPECT_EQ(t.ca_verify_file, "more.pem");
  EXPECT_EQ(t.verify, 1);
  EXPECT_EQ(t.alpn, (std::vector<std::string>{"http/1.1", "x"}));
  EXPECT_EQ(t.min_ver, 0x303);
  EXPECT_EQ(t.max_ver, 0x304);
  EXPECT_EQ(t.force_ver, 0x303);
  EXPECT_EQ(t.no_versions, 1u << 4);
  EXPECT_EQ(t.ciphers.value_or(""), "ECDHE+AESGCM");
  EXPECT_EQ(t.ciphersuites.value_or(""), "TLS_AES_128_GCM_SHA256");
  EXPECT_EQ(t.curves.value_or(""), "X25519:P-256");
  EXPECT_EQ(t.ecdhe.value_or(""), "prime256v1");
  EXPECT_TRUE(t.prefer_client_ciphers);
  EXPECT_TRUE(t.no_tls_tickets);
  EXPECT_TRUE(t.strict_sni);
}

TEST(BindSsl, H2IsLeftOutOfAlpnWithAWarning) {
  auto r = parse("frontend f\n  bind :443 ssl crt a.pem alpn h2,http/1.1\n");
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(tls_of(r).alpn, (std::vector<std::string>{"http/1.1"}));
  ASSERT_EQ(r.warnings.size(), 1u);
  EXPECT_NE(r.warnings[0].message.find("h2 is not advertised"), std::string::npos);
}

TEST(BindSsl, CrtListsKeepTheirPlaceAmongCrts) {
  auto r = parse(
      "frontend f\n  bind :443 ssl crt-list first.lst crt a.pem crt-list b.lst no-ca-names "
      "tls-ticket-keys /run/keys\n");
  ASSERT_TRUE(r.ok());
  const BindTls& t = tls_of(r);
  EXPECT_EQ(t.crts,
            (std::vector<CertSource>{{"first.lst", true}, {"a.pem", false}, {"b.lst", true}}));
  EXPECT_TRUE(t.no_ca_names);
  EXPECT_EQ(t.tls_ticket_keys, "/run/keys");
  EXPECT_TRUE(parse("frontend f\n  bind :443 ssl crt-list x.lst\n").ok());
}

TEST(BindSsl, Refusals) {
  EXPECT_EQ(only_error(parse("frontend f\n  bind :443 crt a.pem\n")),
            "t.cfg:2: 'bind': bind option 'crt' needs 'ssl' on the same line");
  EXPECT_EQ(
      only_error(parse("frontend f\n  bind :443 ssl\n")),
      "t.cfg:2: 'bind': 'ssl' needs at least one 'crt FILE|DIR' or 'crt-list FILE' on the same "
      "line");
  EXPECT_EQ(only_error(parse("frontend f\n  bind :443 ssl crt a.pem verify maybe\n")),
            "t.cfg:2: 'bind': 'verify' expects none, optional or required, not 'maybe'");
  EXPECT_EQ(only_error(parse("frontend f\n  bind :443 ssl crt a.pem ssl-min-ver TLS1.2\n")),
            "t.cfg:2: 'bind': 'ssl-min-ver' expects SSLv3, TLSv1.0, TLSv1.1, TLSv1.2 or TLSv1.3, "
            "not 'TLS1.2'");
  EXPECT_EQ(only_error(parse("frontend f\n  bind :443 ssl crt a.pem allow-0rtt\n")),
            "t.cfg:2: 'bind': 'allow-0rtt': TLS 1.3 early data is not supported by Hearth (it "
            "would replay requests); remove it");
  EXPECT_EQ(only_error(parse("frontend f\n  bind :443 ssl crt a.pem generate-certificates\n")),
            "t.cfg:2: 'bind': bind option 'generate-certificates': this TLS option is not "
            "supported by Hearth yet");
  EXPECT_EQ(only_error(parse("frontend f\n  bind :443 ssl crt a.pem force-tlsv11\n")),
            "t.cfg:2: 'bind': bind option 'force-tlsv11': Hearth does not offer protocols older "
            "than TLS 1.2 alone");
  EXPECT_EQ(only_error(parse("frontend f\n  bind :443 ssl crt\n")),
            "t.cfg:2: 'bind': 'crt' expects a value");
}

TEST(BindSsl, Globals) {
  auto r = parse(
      "global\n  crt-base /etc/certs\n  ca-base /etc/ca\n  ssl-default-bind-ciphers HIGH\n"
      "  ssl-default-bind-ciphersuites TLS_AES_256_GCM_SHA384\n  ssl-default-bind-curves "
      "P-256\n  ssl-default-bind-options no-tls-tickets ssl-min-ver TLSv1.3\n"
      "  ssl-dh-param-file dh.pem\n  tune.ssl.default-dh-param 2048\n  tune.ssl.cachesize 10\n"
      "  tune.ssl.lifetime 10m\n  tune.ssl.maxrecord 1400\n");
  ASSERT_TRUE(r.ok());
  const TlsGlobal& t = r.config.global.tls;
  EXPECT_EQ(t.crt_base, "/etc/certs");
  EXPECT_EQ(t.ca_base, "/etc/ca");
  EXPECT_EQ(t.bind_ciphers.value_or(""), "HIGH");
  EXPECT_EQ(t.bind_ciphersuites.value_or(""), "TLS_AES_256_GCM_SHA384");
  EXPECT_EQ(t.bind_curves.value_or(""), "P-256");
  EXPECT_TRUE(t.bind_options.no_tls_tickets);
  EXPECT_EQ(t.bind_options.min_ver, 0x304);
  EXPECT_EQ(t.dh_param_file, "dh.pem");
  EXPECT_EQ(t.default_dh_param, 2048);
  EXPECT_EQ(t.cachesize, 10);
  EXPECT_EQ(t.lifetime_s, 600);
  EXPECT_EQ(t.maxrecord, 1400);
  EXPECT_EQ(only_error(parse("global\n  ssl-default-bind-options crt x.pem\n")),
            "t.cfg:2: 'ssl-default-bind-options': 'crt' is not an option of "
            "ssl-default-bind-options; accepted: no-sslv3, no-tlsv10, no-tlsv11, no-tlsv12, "
            "no-tlsv13, force-tlsv12, force-tlsv13, prefer-client-ciphers, no-tls-tickets, "
            "strict-sni, ssl-min-ver V, ssl-max-ver V");
  EXPECT_EQ(only_error(parse("global\n  tune.ssl.maxrecord 20000\n")),
            "t.cfg:2: 'tune.ssl.maxrecord': expects an integer between 0 and 16384, got '20000'");
}

TEST(BindSsl, ClientHandshakeTimeout) {
  auto r = parse("frontend f\n  timeout client-hs 3s\n");
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(r.config.proxies.at(0).timeouts.client_hs.value_or(0), 3000);
}

}  // namespace
}  // namespace hearth::config
