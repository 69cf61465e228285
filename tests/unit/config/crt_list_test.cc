// The crt-list parser: lines, bracketed options applied over the bind line's,
// SNI filters, comments, and refusals naming the list's file, line and option.
#include "config/crt_list.h"

#include <gtest/gtest.h>

#include "config/tls_ticket_keys.h"

namespace hearth::config {
namespace {

using Strings = std::vector<std::string>;

TEST(CrtList, LinesOptionsAndFilters) {
  BindTls bind;
  bind.enabled = true;
  bind.ciphers = "BIND-CIPHERS";
  bind.alpn = {"http/1.1"};
  const CrtList l = parse_crt_list(
      "cert1.pem !*\n"
      "# comment\n"
      "\n"
      "cert2.pem [alpn h2,http/1.1]\n"
      "certW.pem                   *.domain.tld !secure.domain.tld  # why\n"
      "certS.pem [curves X25519:P-256 ciphers ECDHE-ECDSA-AES256-GCM-SHA384] secure.domain.tld\r\n"
      "certT.pem[ verify optional ca-file ca.pem no-ca-names ssl-min-ver TLSv1.3 ]x.test\n",
      "l.lst", bind);
  ASSERT_TRUE(l.ok()) << l.errors[0].str();
  ASSERT_EQ(l.lines.size(), 5u);
  EXPECT_EQ(l.lines[0].line, 1);
  EXPECT_EQ(l.lines[0].path, "cert1.pem");
  EXPECT_EQ(l.lines[0].filters, Strings{"!*"});
  EXPECT_TRUE(l.lines[0].options.empty());
  EXPECT_EQ(l.lines[1].line, 4);
  EXPECT_EQ(l.lines[1].options, (Strings{"alpn", "h2,http/1.1"}));
  EXPECT_EQ(l.lines[1].tls.alpn, Strings{"http/1.1"});  // h2 left out, with a warning
  ASSERT_EQ(l.warnings.size(), 1u);
  EXPECT_EQ(l.warnings[0].loc.line, 4);
  // As HAProxy: a '#' after the first column is a word like any other.
  EXPECT_EQ(l.lines[2].filters, (Strings{"*.domain.tld", "!secure.domain.tld", "#", "why"}));
  EXPECT_EQ(l.lines[2].tls.ciphers.value_or(""), "BIND-CIPHERS");  // the bind line's
  EXPECT_EQ(l.lines[3].tls.curves.value_or(""), "X25519:P-256");
  EXPECT_EQ(l.lines[3].tls.ciphers.value_or(""), "ECDHE-ECDSA-AES256-GCM-SHA384");
  EXPECT_EQ(l.lines[3].filters, Strings{"secure.domain.tld"});
  EXPECT_EQ(l.lines[4].path, "certT.pem");
  EXPECT_EQ(l.lines[4].tls.verify, 1);
  EXPECT_EQ(l.lines[4].tls.ca_file, "ca.pem");
  EXPECT_TRUE(l.lines[4].tls.no_ca_names);
  EXPECT_EQ(l.lines[4].tls.min_ver, 0x304);
  EXPECT_EQ(l.lines[4].filters, Strings{"x.test"});
  EXPECT_EQ(format_crt_list_line(l.lines[4]),
            "certT.pem [verify optional ca-file ca.pem no-ca-names ssl-min-ver TLSv1.3] x.test");
  EXPECT_EQ(format_crt_list_line(l.lines[0]), "cert1.pem !*");
}

TEST(CrtList, RefusalsNameFileLineAndOption) {
  const BindTls bind;
  struct Case {
    std::string text, want;
  };
  const std::vector<Case> cases = {
      {"a.pem\nb.pem [npn h2]\n",
       "l.lst:2: 'npn': NPN is obsolete and not supported by Hearth: use 'alpn'"},
      {"a.pem [allow-0rtt]\n", "l.lst:1: 'allow-0rtt': TLS 1.3 early data is not supported"},
      {"a.pem [strict-sni]\n",
       "l.lst:1: 'strict-sni': is not an option of a crt-list line; accepted: alpn, ca-file"},
      {"a.pem [verify maybe]\n", "l.lst:1: 'verify': 'verify' expects none, optional or required"},
      {"a.pem [alpn]\n", "l.lst:1: 'alpn': 'alpn' expects a value"},
      {"a.pem [alpn h2\n", "l.lst:1: '[' without ']'"},
      {"a.pem x.test [alpn h2]\n", "l.lst:1: the options must follow the certificate"},
      {"[alpn h2] a.pem\n", "l.lst:1: a line must start with a certificate"},
      {"a.pem ] x\n", "l.lst:1: ']' without '['"},
  };
  for (const Case& c : cases) {
    const CrtList l = parse_crt_list(c.text, "l.lst", bind);
    ASSERT_FALSE(l.ok()) << c.text;
    EXPECT_EQ(l.errors[0].str().substr(0, c.want.size()), c.want) << c.text;
  }
}

TEST(TlsTicketKeys, SizesCountAndMixing) {
  const std::string k48 = "MDEyMzQ1Njc4OWFiY2RlZjAxMjM0NTY3ODlhYmNkZWYwMTIzNDU2Nzg5YWJjZGVm";
  const std::string k80 =
      "MDEyMzQ1Njc4OWFiY2RlZjAxMjM0NTY3ODlhYmNkZWYwMTIzNDU2Nzg5YWJjZGVmMDEyMzQ1Njc4OWFiY2Rl"
      "ZjAxMjM0NTY3ODlhYmNkZWY=";
  std::string err;
  auto keys = parse_tls_ticket_keys(k48 + "\n" + k48 + "\r\n" + k48 + "\n" + k48, &err);
  ASSERT_EQ(keys.size(), 4u) << err;
  EXPECT_EQ(keys[0].size(), 48u);
  EXPECT_EQ(parse_tls_ticket_keys(k80 + "\n" + k80 + "\n" + k80 + "\n", &err).size(), 3u) << err;
  EXPECT_TRUE(parse_tls_ticket_keys(k48 + "\n" + k48 + "\n", &err).empty());
  EXPECT_EQ(err, "at least 3 keys are needed, found 2");
  EXPECT_TRUE(parse_tls_ticket_keys(k48 + "\n" + k80 + "\n" + k48 + "\n", &err).empty());
  EXPECT_EQ(err.substr(0, 30), "line 2: a 80-byte key after 48");
  EXPECT_TRUE(parse_tls_ticket_keys(k48 + "\n\n" + k48 + "\n" + k48 + "\n", &err).empty());
  EXPECT_EQ(err, "line 2 is not the base64 of a 48- or 80-byte key");
}

}  // namespace
}  // namespace hearth::config
