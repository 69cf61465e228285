// balance (the hashing algorithms and their arguments), hash-type and
// hash-balance-factor. Accepted and refused forms follow HAProxy 2.6's.
#include <gtest/gtest.h>

#include "config_test_util.h"

namespace hearth::config {
namespace {

using testing::dump;
using testing::has;
using testing::only_error;
using testing::parse;
using testing::parse_and_validate;

ParseResult in(const std::string& kind, const std::string& lines) {
  return parse(kind + " p\n" + lines);
}
const ProxyConfig& proxy(const ParseResult& r) { return r.config.proxies.at(0); }

TEST(BalanceKeywords, UriAndItsOptions) {
  auto r = in("backend", "  balance uri\n");
  ASSERT_TRUE(r.ok()) << dump(r.errors);
  EXPECT_EQ(proxy(r).balance, BalanceAlgo::kUri);
  EXPECT_EQ(proxy(r).balance_args.uri_len, 0);
  EXPECT_FALSE(proxy(r).balance_args.uri_whole);
  r = in("backend", "  balance uri whole len 12 depth 3 path-only\n");
  ASSERT_TRUE(r.ok()) << dump(r.errors);
  const BalanceArgs& b = proxy(r).balance_args;
  EXPECT_TRUE(b.uri_whole);
  EXPECT_TRUE(b.uri_path_only);
  EXPECT_EQ(b.uri_len, 12);
  EXPECT_EQ(b.uri_depth, 3);
}

TEST(BalanceKeywords, UriErrors) {
  EXPECT_EQ(only_error(in("backend", "  balance uri depth 0\n")),
            "t.cfg:2: 'balance': uri: 'depth' expects a positive integer (got '0')");
  EXPECT_EQ(only_error(in("backend", "  balance uri len\n")),
            "t.cfg:2: 'balance': uri: 'len' expects a positive integer (got '')");
  EXPECT_EQ(only_error(in("backend", "  balance uri foo\n")),
            "t.cfg:2: 'balance': uri accepts only 'len N', 'depth N', 'whole' and 'path-only' "
            "(got 'foo')");
}

TEST(BalanceKeywords, UrlParam) {
  auto r = in("backend", "  balance url_param uid\n");
  ASSERT_TRUE(r.ok()) << dump(r.errors);
  EXPECT_EQ(proxy(r).balance, BalanceAlgo::kUrlParam);
  EXPECT_EQ(proxy(r).balance_args.name, "uid");
  EXPECT_EQ(only_error(in("backend", "  balance url_param\n")),
            "t.cfg:2: 'balance': url_param requires a parameter name: balance url_param NAME");
  // check_post changes nothing (a POST's body is searched either way, as
  // in HAProxy 2.6); its old max_wait is ignored with a warning.
  r = in("backend", "  balance url_param uid check_post\n");
  ASSERT_TRUE(r.ok()) << dump(r.errors);
  EXPECT_TRUE(r.warnings.empty());
  r = in("backend", "  balance url_param uid check_post 64\n");
  ASSERT_TRUE(r.ok()) << dump(r.errors);
  EXPECT_TRUE(has(r.warnings,
                  "t.cfg:2: 'balance': url_param check_post's max_wait '64' is "
                  "ignored"));
  EXPECT_EQ(only_error(in("backend", "  balance url_param uid x\n")),
            "t.cfg:2: 'balance': url_param accepts only the 'check_post' modifier (got 'x')");
  EXPECT_EQ(only_error(in("backend", "  balance url_param uid check_post 64 x\n")),
            "t.cfg:2: 'balance': url_param accepts only the 'check_post' modifier (got 'x')");
}

TEST(BalanceKeywords, Hdr) {
  auto r = in("backend", "  balance hdr(Host) use_domain_only\n");
  ASSERT_TRUE(r.ok()) << dump(r.errors);
  EXPECT_EQ(proxy(r).balance, BalanceAlgo::kHdr);
  EXPECT_EQ(proxy(r).balance_args.name, "Host");
  EXPECT_TRUE(proxy(r).balance_args.use_domain_only);
  EXPECT_EQ(only_error(in("backend", "  balance hdr()\n")),
            "t.cfg:2: 'balance': hdr requires an HTTP header field name: balance hdr(NAME)");
  EXPECT_EQ(only_error(in("backend", "  balance hdr(x) sub\n")),
            "t.cfg:2: 'balance': hdr accepts only 'use_domain_only' (got 'sub')");
  // "hdr" without parentheses is no algorithm.
  EXPECT_TRUE(
      has(in("backend", "  balance hdr\n").errors, "t.cfg:2: 'balance': unknown algorithm 'hdr'"));
}

TEST(BalanceKeywords, HashAndRdpCookie) {
  auto r = in("backend", "  balance hash req.hdr(x),lower\n");
  ASSERT_TRUE(r.ok()) << dump(r.errors);
  EXPECT_EQ(proxy(r).balance, BalanceAlgo::kHash);
  EXPECT_NE(proxy(r).balance_args.expr, nullptr);
  EXPECT_TRUE(has(in("backend", "  balance hash\n").errors, "t.cfg:2: 'balance': missing"));
  EXPECT_TRUE(
      has(in("backend", "  balance hash nosuchfetch\n").errors, "t.cfg:2: 'balance': hash: "));
  r = in("backend", "  balance rdp-cookie\n");
  ASSERT_TRUE(r.ok()) << dump(r.errors);
  EXPECT_EQ(proxy(r).balance, BalanceAlgo::kRdpCookie);
  EXPECT_EQ(proxy(r).balance_args.name, "mstshash");
  EXPECT_NE(proxy(r).balance_args.expr, nullptr);
  r = in("backend", "  balance rdp-cookie(user)\n");
  ASSERT_TRUE(r.ok()) << dump(r.errors);
  EXPECT_EQ(proxy(r).balance_args.name, "user");
  EXPECT_EQ(only_error(in("backend", "  balance rdp-cookie()\n")),
            "t.cfg:2: 'balance': 'rdp-cookie()': expects rdp-cookie or rdp-cookie(NAME)");
}

TEST(BalanceKeywords, HashType) {
  struct Case {
    const char* text;
    HashMethod method;
    HashFunc func;
    bool avalanche;
  };
  for (const Case& c :
       {Case{"map-based", HashMethod::kMapBased, HashFunc::kSdbm, false},
        Case{"consistent", HashMethod::kConsistent, HashFunc::kSdbm, true},
        Case{"consistent sdbm", HashMethod::kConsistent, HashFunc::kSdbm, false},
        Case{"map-based djb2 avalanche", HashMethod::kMapBased, HashFunc::kDjb2, true},
        Case{"consistent wt6", HashMethod::kConsistent, HashFunc::kWt6, false},
        Case{"map-based crc32", HashMethod::kMapBased, HashFunc::kCrc32, false}}) {
    auto r = in("backend", std::string("  hash-type ") + c.text + "\n");
    ASSERT_TRUE(r.ok()) << c.text << dump(r.errors);
    EXPECT_EQ(proxy(r).hash_type.method, c.method) << c.text;
    EXPECT_EQ(proxy(r).hash_type.func, c.func) << c.text;
    EXPECT_EQ(proxy(r).hash_type.avalanche, c.avalanche) << c.text;
  }
}

TEST(BalanceKeywords, HashTypeErrors) {
  EXPECT_EQ(only_error(in("backend", "  hash-type rings\n")),
            "t.cfg:2: 'hash-type': unknown method 'rings': expects map-based or consistent");
  // HAProxy 2.6 has no "none" function.
  EXPECT_EQ(only_error(in("backend", "  hash-type consistent none\n")),
            "t.cfg:2: 'hash-type': unknown hash function 'none': expects sdbm, djb2, wt6 or "
            "crc32");
  EXPECT_EQ(only_error(in("backend", "  hash-type consistent wt6 foo\n")),
            "t.cfg:2: 'hash-type': unknown modifier 'foo': expects avalanche");
  EXPECT_TRUE(has(in("backend", "  hash-type\n").errors, "t.cfg:2: 'hash-type': missing"));
}

TEST(BalanceKeywords, HashBalanceFactor) {
  auto r = in("backend", "  hash-balance-factor 150\n");
  ASSERT_TRUE(r.ok()) << dump(r.errors);
  EXPECT_EQ(proxy(r).hash_balance_factor, 150);
  EXPECT_EQ(proxy(in("backend", "  hash-balance-factor 0\n")).hash_balance_factor, 0);
  for (const char* bad : {"50", "100", "-1", "x"})
    EXPECT_TRUE(has(in("backend", std::string("  hash-balance-factor ") + bad + "\n").errors,
                    "t.cfg:2: 'hash-balance-factor': '"))
        << bad;
}

TEST(BalanceKeywords, InheritedFromDefaults) {
  auto r = parse(
      "defaults\n  balance uri whole\n  hash-type consistent djb2\n  hash-balance-factor 125\n"
      "backend b\n");
  ASSERT_TRUE(r.ok()) << dump(r.errors);
  const ProxyConfig& b = r.config.proxies.at(0);
  EXPECT_EQ(b.balance, BalanceAlgo::kUri);
  EXPECT_TRUE(b.balance_args.uri_whole);
  EXPECT_EQ(b.hash_type.method, HashMethod::kConsistent);
  EXPECT_EQ(b.hash_type.func, HashFunc::kDjb2);
  EXPECT_EQ(b.hash_balance_factor, 125);
}

TEST(BalanceKeywords, FrontendOnlyWarns) {
  auto r = in("frontend", "  hash-type consistent\n");
  EXPECT_TRUE(r.errors.empty()) << dump(r.errors);
  EXPECT_FALSE(r.warnings.empty());
}

TEST(BalanceKeywords, Layer7HashInTcpModeFallsBackToRoundRobin) {
  auto r = parse_and_validate(
      "backend b\n  mode tcp\n  balance uri\n  server s 127.0.0.1:80\n"
      "backend c\n  mode tcp\n  balance rdp-cookie\n  server s 127.0.0.1:80\n");
  ASSERT_TRUE(r.ok()) << dump(r.errors);
  EXPECT_TRUE(has(r.warnings, "t.cfg:1: 'balance': 'b' is in tcp mode: a layer 7 hash"))
      << dump(r.warnings);
  EXPECT_EQ(r.config.proxies.at(0).balance, BalanceAlgo::kRoundRobin);
  EXPECT_EQ(r.config.proxies.at(1).balance, BalanceAlgo::kRdpCookie);
}

TEST(BalanceKeywords, BalanceFactorWithoutEffectWarns) {
  auto r = parse_and_validate(
      "defaults\n  mode http\n"
      "backend b\n  balance uri\n  hash-balance-factor 150\n  server s 127.0.0.1:80\n"
      "backend c\n  balance uri\n  hash-type consistent\n  hash-balance-factor 150\n"
      "  server s 127.0.0.1:80\n"
      "backend d\n  balance random\n  hash-balance-factor 150\n  server s 127.0.0.1:80\n");
  ASSERT_TRUE(r.ok()) << dump(r.errors);
  EXPECT_TRUE(has(r.warnings, "t.cfg:3: 'hash-balance-factor': 'b': has no effect here"))
      << dump(r.warnings);
  EXPECT_FALSE(has(r.warnings, "t.cfg:7: 'hash-balance-factor'")) << dump(r.warnings);
  EXPECT_FALSE(has(r.warnings, "t.cfg:12: 'hash-balance-factor'")) << dump(r.warnings);
}

}  // namespace
}  // namespace hearth::config
