// capture and set-log-level rule actions: the slot a "len N" capture
// declares, the id form and its check against the frontend's slots, the
// levels, disable-l7-retry, and where each form is refused.
#include <gtest/gtest.h>

#include "config_test_util.h"

namespace hearth::config {
namespace {

using testing::dump;
using testing::has;
using testing::only_error;
using testing::parse;

ParseResult frontend(const std::string& lines) {
  return testing::parse_and_validate("frontend f\n  mode http\n  bind :1\n" + lines);
}

// "len N" takes the next request slot, numbered with capture request header
// and declare capture request in the order written.
TEST(CaptureAction, LenDeclaresTheNextRequestSlot) {
  auto r = frontend(
      "  capture request header Host len 4\n"
      "  http-request capture req.hdr(x-a) len 3 if { path /a }\n"
      "  declare capture request len 5\n"
      "  http-request capture path id 2\n");
  ASSERT_TRUE(r.ok()) << dump(r.errors);
  const ProxyConfig& p = r.config.proxies.at(0);
  ASSERT_EQ(p.logcfg.req_caps.size(), 3u);
  EXPECT_EQ(p.logcfg.req_caps[1].len, 3);
  EXPECT_EQ(p.logcfg.req_caps[1].header, "");
  EXPECT_EQ(p.logcfg.req_caps[1].loc.line, 5);
  ASSERT_EQ(p.http_request_rules.size(), 2u);
  EXPECT_EQ(p.http_request_rules[0].action, HttpRule::Action::kCapture);
  EXPECT_EQ(p.http_request_rules[0].cap_id, 1);
  EXPECT_TRUE(p.http_request_rules[0].cap_declares);
  EXPECT_TRUE(p.http_request_rules[0].cond);
  EXPECT_EQ(p.http_request_rules[1].cap_id, 2);
  EXPECT_FALSE(p.http_request_rules[1].cap_declares);
  EXPECT_FALSE(p.http_request_rules[1].cond);
}

// In a named defaults section, "len N" slots come first in each frontend
// that uses it (its rules run before the frontend's).
TEST(CaptureAction, LenInDefaultsNumbersFirst) {
  auto r = testing::parse_and_validate(
      "defaults d\n  mode http\n  http-request capture req.hdr(host) len 64\n"
      "frontend f from d\n  bind :1\n  declare capture request len 32\n"
      "  http-request capture req.hdr(x) id 1\n");
  ASSERT_TRUE(r.ok()) << dump(r.errors);
  const ProxyConfig& p = r.config.proxies.at(0);
  ASSERT_EQ(p.logcfg.req_caps.size(), 2u);
  EXPECT_EQ(p.logcfg.req_caps[0].len, 64);
  EXPECT_EQ(p.logcfg.req_caps[1].len, 32);
  ASSERT_EQ(p.http_request_rules.size(), 2u);
  EXPECT_EQ(p.http_request_rules[0].cap_id, 0);
  EXPECT_EQ(p.http_request_rules[1].cap_id, 1);
}

// The id may name a slot declared after the rule; response rules use the
// response slots.
TEST(CaptureAction, IdOnResponseSlots) {
  auto r = frontend(
      "  http-response capture status id 1\n"
      "  http-after-response capture res.hdr(server) id 0\n"
      "  declare capture response len 4\n"
      "  declare capture response len 8\n");
  ASSERT_TRUE(r.ok()) << dump(r.errors);
  const ProxyConfig& p = r.config.proxies.at(0);
  EXPECT_EQ(p.http_response_rules.at(0).cap_id, 1);
  EXPECT_EQ(p.http_after_response_rules.at(0).cap_id, 0);
  EXPECT_TRUE(p.logcfg.req_caps.empty());
}

// As HAProxy: an id no slot has is a configuration error in a frontend; a
// backend's rule cannot be checked (it writes its frontend's slot, if any).
TEST(CaptureAction, UndeclaredIdIsAnError) {
  EXPECT_EQ(only_error(frontend("  declare capture response len 4\n"
                                "  http-request capture path id 0\n")),
            "t.cfg:5: 'http-request capture': 'f' has no request capture slot id 0: declare it "
            "with 'declare capture request len N'");
  EXPECT_TRUE(has(frontend("  http-response capture status id 0\n").errors,
                  "t.cfg:4: 'http-response capture'", "no response capture slot id 0"));
  EXPECT_TRUE(has(frontend("  declare capture response len 1\n"
                           "  http-after-response capture status id 1\n")
                      .errors,
                  "t.cfg:5: 'http-after-response capture'", "no response capture slot id 1"));
  auto b = testing::parse_and_validate(
      "backend b\n  mode http\n  http-request capture path id 3\n"
      "  http-response capture status id 0\n");
  EXPECT_TRUE(b.ok()) << dump(b.errors);
}

TEST(CaptureAction, Refusals) {
  EXPECT_EQ(only_error(frontend("  http-request capture path\n")),
            "t.cfg:4: 'http-request capture': expects 'http-request capture EXPR len N' or "
            "'http-request capture EXPR id N'");
  EXPECT_EQ(only_error(frontend("  http-response capture status len 3\n")),
            "t.cfg:4: 'http-response capture': expects 'id' after the expression, found 'len'");
  EXPECT_EQ(only_error(frontend("  http-request capture path len 0\n")),
            "t.cfg:4: 'http-request capture': invalid length '0': expects a number above 0");
  EXPECT_EQ(only_error(frontend("  http-request capture path id x\n")),
            "t.cfg:4: 'http-request capture': invalid slot id 'x': expects a number");
  EXPECT_EQ(only_error(frontend("  http-request capture path size 3\n")),
            "t.cfg:4: 'http-request capture': expects 'len' or 'id' after the expression, found "
            "'size'");
  EXPECT_EQ(only_error(frontend("  http-request capture path len 3 extra\n")),
            "t.cfg:4: 'http-request capture': unexpected 'extra': expects [if|unless COND] after "
            "the len value");
  EXPECT_TRUE(has(frontend("  http-request capture nosuchfetch len 3\n").errors,
                  "t.cfg:4: 'http-request capture'"));
  // A response fetch in a request rule is refused as for the other actions.
  EXPECT_FALSE(frontend("  http-request capture res.hdr(x) len 3\n").ok());
  EXPECT_TRUE(has(parse("backend b\n  http-request capture path len 3\n").errors,
                  "t.cfg:2: 'http-request capture'",
                  "only a frontend, listen or defaults section"));
  EXPECT_TRUE(testing::parse_and_validate("listen l\n  mode http\n  bind :1\n"
                                          "  http-request capture path len 3\n")
                  .ok());
}

TEST(SetLogLevelAction, Levels) {
  auto r = frontend(
      "  http-request set-log-level silent if { path /health }\n"
      "  http-request set-log-level emerg\n"
      "  http-response set-log-level debug unless { status 200 }\n");
  ASSERT_TRUE(r.ok()) << dump(r.errors);
  const ProxyConfig& p = r.config.proxies.at(0);
  ASSERT_EQ(p.http_request_rules.size(), 2u);
  EXPECT_EQ(p.http_request_rules[0].action, HttpRule::Action::kSetLogLevel);
  EXPECT_EQ(p.http_request_rules[0].log_level, kLogSilent);
  EXPECT_TRUE(p.http_request_rules[0].cond);
  EXPECT_EQ(p.http_request_rules[1].log_level, kLogEmerg);
  EXPECT_EQ(p.http_response_rules.at(0).log_level, kLogDebug);
  EXPECT_TRUE(p.http_response_rules.at(0).cond);
}

TEST(SetLogLevelAction, Refusals) {
  EXPECT_EQ(only_error(frontend("  http-request set-log-level loud\n")),
            "t.cfg:4: 'http-request set-log-level': expects one level: emerg, alert, crit, err, "
            "warning, notice, info, debug or silent, found 'loud'");
  EXPECT_TRUE(has(frontend("  http-request set-log-level\n").errors,
                  "t.cfg:4: 'http-request set-log-level'", "expects one level"));
  EXPECT_EQ(only_error(frontend("  http-request set-log-level err extra\n")),
            "t.cfg:4: 'http-request set-log-level': unexpected 'extra': expects [if|unless "
            "COND] after the level");
  // HAProxy 2.6 has no set-log-level among the http-after-response actions.
  EXPECT_TRUE(has(frontend("  http-after-response set-log-level err\n").errors,
                  "t.cfg:4: 'http-after-response set-log-level'", "unknown action"));
}

// disable-l7-retry: http-request only, no argument (frontend or backend).
TEST(DisableL7RetryAction, Parse) {
  auto r = testing::parse_and_validate(
      "backend b\n  mode http\n  http-request disable-l7-retry if { path /x }\n");
  ASSERT_TRUE(r.ok()) << dump(r.errors);
  EXPECT_EQ(r.config.proxies.at(0).http_request_rules.at(0).action,
            HttpRule::Action::kDisableL7Retry);
  EXPECT_TRUE(r.config.proxies.at(0).http_request_rules.at(0).cond);
  EXPECT_EQ(only_error(frontend("  http-request disable-l7-retry now\n")),
            "t.cfg:4: 'http-request disable-l7-retry': unexpected argument 'now': expects "
            "[if|unless COND]");
  EXPECT_TRUE(has(frontend("  http-response disable-l7-retry\n").errors,
                  "t.cfg:4: 'http-response disable-l7-retry'"));
}

}  // namespace
}  // namespace hearth::config
