// log-format, log-format-sd, unique-id-format, unique-id-header, capture,
// declare capture, option httplog clf: where they are accepted, what they
// store, what they refuse (file, line, keyword).
#include <gtest/gtest.h>

#include "config_test_util.h"

namespace hearth::config {
namespace {

using testing::has;
using testing::only_error;
using testing::parse;

const ProxyConfig& first(const ParseResult& r) { return r.config.proxies.at(0); }

TEST(LogKeywords, LogFormatIsStoredAndWins) {
  auto r = parse("frontend f\n  mode http\n  option httplog\n  log-format \"%ci %ST\"\n");
  ASSERT_TRUE(r.ok()) << only_error(r);
  EXPECT_EQ(first(r).log_format, LogFormat::kCustom);
  ASSERT_TRUE(first(r).logcfg.custom);
  EXPECT_EQ(first(r).logcfg.custom->source(), "%ci %ST");
  r = parse("frontend f\n  mode http\n  log-format %ci\n  option httplog\n");
  EXPECT_EQ(first(r).log_format, LogFormat::kHttp);
}

TEST(LogKeywords, InheritedFromDefaults) {
  auto r = parse(
      "defaults\n  mode http\n  log-format %ci\\ %b\n  unique-id-format %rt\n"
      "frontend f\n  bind :8080\n");
  ASSERT_TRUE(r.ok()) << only_error(r);
  EXPECT_EQ(first(r).log_format, LogFormat::kCustom);
  EXPECT_EQ(first(r).logcfg.custom->source(), "%ci %b");
  EXPECT_EQ(first(r).logcfg.unique_id->source(), "%rt");
}

TEST(LogKeywords, HttplogClf) {
  auto r = parse("frontend f\n  mode http\n  option httplog clf\n");
  ASSERT_TRUE(r.ok()) << only_error(r);
  EXPECT_EQ(first(r).log_format, LogFormat::kHttpClf);
  EXPECT_EQ(only_error(parse("frontend f\n  option httplog xyz\n")),
            "t.cfg:2: 'option httplog': argument 'xyz' is not supported by Hearth yet: expects "
            "'option httplog' alone");
}

TEST(LogKeywords, Refusals) {
  EXPECT_EQ(only_error(parse("frontend f\n  log-format %ci %b\n")),
            "t.cfg:2: 'log-format': expects one argument: escape spaces with '\\' or quote the "
            "format");
  EXPECT_EQ(only_error(parse("frontend f\n  log-format %sslcx\n")),
            "t.cfg:2: 'log-format': unknown log-format variable '%sslcx' (write %% for a "
            "literal '%')");
  EXPECT_EQ(only_error(parse("frontend f\n  unique-id-format %zz\n")),
            "t.cfg:2: 'unique-id-format': unknown log-format variable '%zz' (write %% for a "
            "literal '%')");
  EXPECT_EQ(only_error(parse("frontend f\n  log-format-sd %[nope]\n")),
            "t.cfg:2: 'log-format-sd': in log-format '%[nope]': unknown fetch method 'nope'");
  EXPECT_EQ(only_error(parse("frontend f\n  capture request header Host\n")),
            "t.cfg:2: 'capture': expects 'len N' after the header name");
  EXPECT_EQ(only_error(parse("frontend f\n  capture request header Host len 0\n")),
            "t.cfg:2: 'capture': invalid length '0'");
  EXPECT_EQ(only_error(parse("frontend f\n  capture body x len 3\n")),
            "t.cfg:2: 'capture': expects 'request header NAME len N' or 'response header NAME "
            "len N'");
  EXPECT_EQ(only_error(parse("frontend f\n  declare capture both len 3\n")),
            "t.cfg:2: 'declare': expects 'capture request len N' or 'capture response len N'");
  EXPECT_EQ(only_error(parse("frontend f\n  unique-id-header\n")),
            "t.cfg:2: 'unique-id-header': expects one header name");
}

TEST(LogKeywords, Captures) {
  auto r = parse(
      "frontend f\n  mode http\n  capture request header Host len 5\n"
      "  declare capture request len 7\n  capture response header Server len 9\n");
  ASSERT_TRUE(r.ok()) << only_error(r);
  const ProxyLogConfig& l = first(r).logcfg;
  ASSERT_EQ(l.req_caps.size(), 2u);
  EXPECT_EQ(l.req_caps[0].header, "Host");
  EXPECT_EQ(l.req_caps[0].len, 5);
  EXPECT_EQ(l.req_caps[1].header, "");
  EXPECT_EQ(l.req_caps[1].len, 7);
  ASSERT_EQ(l.res_caps.size(), 1u);
  EXPECT_EQ(l.res_caps[0].len, 9);
}

TEST(LogKeywords, Placement) {
  EXPECT_FALSE(parse("backend b\n  capture request header Host len 5\n").ok());
  EXPECT_FALSE(parse("defaults\n  capture request header Host len 5\n").ok());
  EXPECT_FALSE(parse("backend b\n  log-format %ci\n").ok());
  EXPECT_TRUE(parse("listen l\n  mode http\n  capture request header Host len 5\n").ok());
}

TEST(LogKeywords, TcpModeChecks) {
  auto r =
      testing::parse_and_validate("frontend f\n  bind :1\n  capture request header Host len 5\n");
  // Accepted as by HAProxy: the slot is printed empty (no header in tcp mode).
  EXPECT_TRUE(r.errors.empty()) << testing::dump(r.errors);
  r = testing::parse_and_validate("frontend f\n  bind :1\n  log-format %ci\\ %HM\n");
  EXPECT_TRUE(has(r.warnings, "t.cfg:3: 'log-format'", "%HM needs an HTTP transaction"));
  r = testing::parse_and_validate("frontend f\n  bind :1\n  log-format-sd %ci\n");
  EXPECT_FALSE(has(r.warnings, "t.cfg:3: 'log-format-sd'"));  // rfc5424 targets print it
}

}  // namespace
}  // namespace hearth::config
