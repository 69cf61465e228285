// "cookie", server "cookie", "dynamic-cookie-key", "option persist",
// "force-persist", "ignore-persist" and "capture cookie": what they set, and
// the configurations HAProxy 2.6 refuses (its messages, said Hearth's way).
#include <gtest/gtest.h>

#include "config_test_util.h"

namespace hearth::config {
namespace {

using testing::dump;
using testing::has;
using testing::only_error;
using testing::parse;

using Mode = CookieConfig::Mode;

const ProxyConfig& proxy(const ParseResult& r, size_t i = 0) { return r.config.proxies.at(i); }

TEST(CookieKeyword, EveryOption) {
  auto r = parse(
      "backend b\n  cookie SRV insert indirect nocache postonly preserve httponly secure "
      "domain .a.com domain .b.org maxidle 30m maxlife 2h dynamic attr SameSite=Lax attr P\n");
  ASSERT_TRUE(r.ok()) << dump(r.errors);
  const CookieConfig& c = proxy(r).cookie;
  EXPECT_EQ(c.name, "SRV");
  EXPECT_EQ(c.mode, Mode::kInsert);
  EXPECT_TRUE(c.indirect && c.nocache && c.postonly && c.preserve && c.httponly && c.secure &&
              c.dynamic);
  EXPECT_EQ(c.domains, (std::vector<std::string>{".a.com", ".b.org"}));
  EXPECT_EQ(c.attrs, (std::vector<std::string>{"SameSite=Lax", "P"}));
  EXPECT_EQ(c.maxidle_s, 1800);
  EXPECT_EQ(c.maxlife_s, 7200);
}

TEST(CookieKeyword, ModesAndSeconds) {
  auto r = parse(
      "backend b\n  cookie A rewrite\nbackend c\n  cookie B prefix maxidle 45\n"
      "backend d\n  cookie C\n");
  ASSERT_TRUE(r.ok()) << dump(r.errors);
  EXPECT_EQ(proxy(r, 0).cookie.mode, Mode::kRewrite);
  EXPECT_EQ(proxy(r, 1).cookie.mode, Mode::kPrefix);
  EXPECT_EQ(proxy(r, 1).cookie.maxidle_s, 45);  // a bare number is seconds
  EXPECT_EQ(proxy(r, 2).cookie.mode, Mode::kPassive);
}

TEST(CookieKeyword, InheritedFromDefaultsAndReplacedByALaterLine) {
  auto r = parse(
      "defaults\n  mode http\n  cookie D insert\nbackend b\nbackend c\n"
      "  cookie E prefix\n");
  ASSERT_TRUE(r.ok()) << dump(r.errors);
  EXPECT_EQ(proxy(r, 0).cookie.name, "D");
  EXPECT_EQ(proxy(r, 1).cookie.name, "E");
  EXPECT_EQ(proxy(r, 1).cookie.mode, Mode::kPrefix);
}

TEST(CookieKeyword, RefusesWhatHaproxyRefuses) {
  EXPECT_TRUE(has(parse("backend b\n  cookie\n").errors, "t.cfg:2: 'cookie'", "cookie name"));
  EXPECT_TRUE(has(parse("backend b\n  cookie S insert rewrite\n").errors, "t.cfg:2: 'cookie'",
                  "mutually exclusive"));
  EXPECT_TRUE(has(parse("backend b\n  cookie S rewrite indirect\n").errors, "t.cfg:2: 'cookie'",
                  "incompatible"));
  EXPECT_TRUE(has(parse("backend b\n  cookie S preserve\n").errors, "t.cfg:2: 'cookie'",
                  "'preserve' requires at least 'insert' or 'indirect'"));
  EXPECT_TRUE(parse("backend b\n  cookie S indirect preserve\n").ok());
  EXPECT_TRUE(has(parse("backend b\n  cookie S insert maxidle\n").errors, "t.cfg:2: 'cookie'",
                  "'maxidle' expects a time"));
  EXPECT_TRUE(has(parse("backend b\n  cookie S insert maxlife 10q\n").errors, "t.cfg:2: 'cookie'",
                  "'maxlife' expects a time"));
  EXPECT_TRUE(has(parse("backend b\n  cookie S insert domain\n").errors, "t.cfg:2: 'cookie'",
                  "'domain' expects"));
  EXPECT_TRUE(has(parse("backend b\n  cookie S insert attr\n").errors, "t.cfg:2: 'cookie'",
                  "'attr' expects"));
  EXPECT_TRUE(has(parse("backend b\n  cookie S insert attr a;b\n").errors, "t.cfg:2: 'cookie'",
                  "'%x3B' is not permitted"));
  EXPECT_TRUE(has(parse("backend b\n  cookie S insert bogus\n").errors, "t.cfg:2: 'cookie'",
                  "unknown option 'bogus'"));
}

TEST(CookieKeyword, WarnsLikeHaproxy) {
  auto r = parse("backend b\n  cookie S insert domain foo\n");
  EXPECT_TRUE(r.ok()) << dump(r.errors);
  EXPECT_TRUE(has(r.warnings, "t.cfg:2: 'cookie'", "no embedded dot")) << dump(r.warnings);
  r = parse("frontend f\n  bind :80\n  cookie S insert\n");
  EXPECT_TRUE(has(r.warnings, "t.cfg:3: 'cookie'", "ignored in a frontend")) << dump(r.warnings);
  EXPECT_TRUE(proxy(r).cookie.name.empty());
}

TEST(ServerCookie, ValueAndDefaultServer) {
  auto r = parse(
      "backend b\n  default-server cookie x\n  server a 1.2.3.4:80\n"
      "  server c 1.2.3.4:81 cookie c1\n");
  ASSERT_TRUE(r.ok()) << dump(r.errors);
  EXPECT_EQ(proxy(r).servers.at(0).cookie.value_or("?"), "x");
  EXPECT_EQ(proxy(r).servers.at(1).cookie.value_or("?"), "c1");
  EXPECT_TRUE(has(parse("backend b\n  server a 1.2.3.4:80 cookie\n").errors, "t.cfg:2: 'server'",
                  "option 'cookie' expects a value"));
}

TEST(DynamicCookieKey, Parsed) {
  auto r = parse("backend b\n  dynamic-cookie-key s3cr3t\n");
  ASSERT_TRUE(r.ok()) << dump(r.errors);
  EXPECT_EQ(proxy(r).dynamic_cookie_key, "s3cr3t");
  EXPECT_TRUE(
      has(parse("backend b\n  dynamic-cookie-key\n").errors, "t.cfg:2: 'dynamic-cookie-key'"));
}

TEST(PersistRules, ForceIgnoreAndOption) {
  auto r = parse(
      "backend b\n  option persist\n  force-persist if { src 10.0.0.0/8 }\n"
      "  ignore-persist unless { path_beg /app }\n");
  ASSERT_TRUE(r.ok()) << dump(r.errors);
  EXPECT_TRUE(proxy(r).persist);
  ASSERT_EQ(proxy(r).persist_rules.size(), 2u);
  EXPECT_TRUE(proxy(r).persist_rules[0].force);
  EXPECT_FALSE(proxy(r).persist_rules[1].force);
  EXPECT_NE(proxy(r).persist_rules[1].cond, nullptr);
  EXPECT_TRUE(has(parse("backend b\n  force-persist\n").errors, "t.cfg:2: 'force-persist'",
                  "requires 'if' or 'unless'"));
  EXPECT_TRUE(has(parse("backend b\n  ignore-persist foo\n").errors, "t.cfg:2: 'ignore-persist'",
                  "requires 'if' or 'unless'"));
  EXPECT_EQ(only_error(parse("defaults\n  force-persist if TRUE\n")),
            "t.cfg:2: 'force-persist': not allowed in a defaults section (allowed in: backend, "
            "listen)");
  r = parse("frontend f\n  bind :80\n  ignore-persist if TRUE\n");
  EXPECT_TRUE(r.ok()) << dump(r.errors);
  EXPECT_TRUE(has(r.warnings, "t.cfg:3: 'ignore-persist'", "ignored in a frontend"));
  r = parse("backend b\n  option persist\n  no option persist\n");
  EXPECT_FALSE(proxy(r).persist);
}

TEST(CaptureCookie, NameAndLength) {
  auto r = parse("frontend f\n  bind :80\n  capture cookie SRV= len 32\n");
  ASSERT_TRUE(r.ok()) << dump(r.errors);
  EXPECT_EQ(proxy(r).logcfg.cookie_cap.name, "SRV=");
  EXPECT_EQ(proxy(r).logcfg.cookie_cap.len, 32);
  r = parse("frontend f\n  bind :80\n  capture cookie S len 100\n");
  EXPECT_EQ(proxy(r).logcfg.cookie_cap.len, 63);
  EXPECT_TRUE(has(r.warnings, "t.cfg:3: 'capture cookie'", "63")) << dump(r.warnings);
  EXPECT_FALSE(parse("frontend f\n  bind :80\n  capture cookie S\n").ok());
  EXPECT_FALSE(parse("backend b\n  capture cookie S len 10\n").ok());
}

TEST(CookieKeyword, WarnedAboutInTcpMode) {
  auto r = testing::parse_and_validate(
      "defaults\n  timeout client 1s\n  timeout server 1s\n  timeout connect 1s\n"
      "listen l\n  mode tcp\n  bind :80\n  cookie S insert\n  capture cookie x len 3\n"
      "  server s 127.0.0.1:1 cookie a\n");
  EXPECT_TRUE(r.ok()) << dump(r.errors);
  EXPECT_TRUE(has(r.warnings, "t.cfg:8: 'cookie'", "tcp mode")) << dump(r.warnings);
  EXPECT_TRUE(has(r.warnings, "t.cfg:9: 'capture cookie'", "tcp mode")) << dump(r.warnings);
  EXPECT_TRUE(has(r.warnings, "t.cfg:10: 'server'", "'cookie' is ignored")) << dump(r.warnings);
}

}  // namespace
}  // namespace hearth::config
