// option http-buffer-request and http-request wait-for-body.
#include <gtest/gtest.h>

#include "config_test_util.h"

namespace hearth::config {
namespace {

using testing::only_error;
using testing::parse;

ParseResult frontend(const std::string& lines) {
  return parse("frontend f\n  mode http\n" + lines);
}

TEST(BodyKeywords, WaitForBodyTimeAndAtLeast) {
  const ParseResult r = frontend(
      "  http-request wait-for-body time 1s at-least 1k if { method POST }\n"
      "  http-request wait-for-body at-least 10 time 250\n");
  ASSERT_TRUE(r.ok()) << testing::dump(r.errors);
  const auto& rules = r.config.proxies.at(0).http_request_rules;
  ASSERT_EQ(rules.size(), 2u);
  EXPECT_EQ(rules[0].action, HttpRule::Action::kWaitForBody);
  EXPECT_EQ(rules[0].wait_ms, 1000);
  EXPECT_EQ(rules[0].at_least, 1024);
  EXPECT_NE(rules[0].cond, nullptr);
  EXPECT_EQ(rules[1].wait_ms, 250);
  EXPECT_EQ(rules[1].at_least, 10);
  EXPECT_EQ(rules[1].cond, nullptr);
}

TEST(BodyKeywords, WaitForBodyErrors) {
  EXPECT_EQ(only_error(frontend("  http-request wait-for-body\n")),
            "t.cfg:3: 'http-request wait-for-body': 'time' is required; usage: wait-for-body "
            "time TIME [at-least BYTES]");
  EXPECT_EQ(only_error(frontend("  http-request wait-for-body at-least 5\n")),
            "t.cfg:3: 'http-request wait-for-body': 'time' is required; usage: wait-for-body "
            "time TIME [at-least BYTES]");
  EXPECT_EQ(only_error(frontend("  http-request wait-for-body time\n")),
            "t.cfg:3: 'http-request wait-for-body': 'time' expects a value; usage: "
            "wait-for-body time TIME [at-least BYTES]");
  EXPECT_EQ(only_error(frontend("  http-request wait-for-body time x\n")),
            "t.cfg:3: 'http-request wait-for-body': invalid time 'x'");
  EXPECT_EQ(only_error(frontend("  http-request wait-for-body time 1s at-least -1\n")),
            "t.cfg:3: 'http-request wait-for-body': invalid size '-1'");
  EXPECT_EQ(only_error(frontend("  http-request wait-for-body time 1s foo 1\n")),
            "t.cfg:3: 'http-request wait-for-body': unexpected 'foo'; usage: wait-for-body "
            "time TIME [at-least BYTES]");
  EXPECT_EQ(only_error(frontend("  http-response wait-for-body at-least 1k\n")),
            "t.cfg:3: 'http-response wait-for-body': 'time' is required; usage: wait-for-body "
            "time TIME [at-least BYTES]");
  // HAProxy has no such action after the response.
  EXPECT_NE(only_error(frontend("  http-after-response wait-for-body time 1s\n"))
                .find("'http-after-response wait-for-body': unknown action"),
            std::string::npos);
}

TEST(BodyKeywords, ResponseWaitForBody) {
  const ParseResult r = frontend(
      "  http-response wait-for-body time 100ms if { status eq 200 }\n"
      "  http-response wait-for-body time 2s at-least 1000 unless { status eq 201 }\n");
  ASSERT_TRUE(r.ok()) << testing::dump(r.errors);
  const auto& rules = r.config.proxies.at(0).http_response_rules;
  ASSERT_EQ(rules.size(), 2u);
  EXPECT_EQ(rules[0].action, HttpRule::Action::kWaitForBody);
  EXPECT_EQ(rules[0].wait_ms, 100);
  EXPECT_EQ(rules[0].at_least, 0);
  ASSERT_NE(rules[0].cond, nullptr);
  EXPECT_EQ(rules[1].wait_ms, 2000);
  EXPECT_EQ(rules[1].at_least, 1000);
  ASSERT_NE(rules[1].cond, nullptr);
  EXPECT_TRUE(rules[1].cond->unless);
}

TEST(BodyKeywords, OptionHttpBufferRequestEverywhere) {
  const ParseResult r = parse(
      "defaults\n  mode http\n  option http-buffer-request\n"
      "frontend f\n  bind :1\n  default_backend b\n"
      "backend b\n  no option http-buffer-request\n"
      "listen l\n  bind :2\n");
  ASSERT_TRUE(r.ok()) << testing::dump(r.errors);
  EXPECT_TRUE(r.config.proxies.at(0).http_buffer_request);
  EXPECT_FALSE(r.config.proxies.at(1).http_buffer_request);
  EXPECT_TRUE(r.config.proxies.at(2).http_buffer_request);
}

TEST(BodyKeywords, BodyFetchesAndJsonQueryLoad) {
  EXPECT_TRUE(frontend("  http-request set-var(txn.a) req.body,json_query('$.a','int')\n"
                       "  http-request set-var(txn.b) req.body_param(x)\n"
                       "  http-request set-var(txn.c) req.body_len\n"
                       "  http-request set-var(txn.d) req.body_size\n"
                       "  http-request set-var(txn.e) req.body_param\n")
                  .ok());
  EXPECT_NE(only_error(frontend("  http-request set-var(txn.a) req.body,json_query('$.a',str)\n"))
                .find("the output type can only be 'int'"),
            std::string::npos);
  EXPECT_NE(only_error(frontend("  http-request set-var(txn.a) req.body,json_query('')\n"))
                .find("the JSON path must not be empty"),
            std::string::npos);
  // As HAProxy 2.6: req.body_param takes one argument.
  EXPECT_FALSE(frontend("  http-request set-var(txn.b) req.body_param(x,i)\n").ok());
}

// res.body & co: response rules and http-after-response rules read the
// response payload; request rules and access-log formats cannot (HAProxy 2.6
// refuses them there too).
TEST(BodyKeywords, ResponseBodyFetchesWhereTheyRun) {
  const ParseResult r = frontend(
      "  http-response set-header X-Len %[res.body_len]\n"
      "  http-response deny if { res.body -m sub forbidden }\n"
      "  http-response set-var(txn.s) res.body_size\n"
      "  http-after-response set-header X-Len %[res.body_len]\n"
      "  acl big res.body_len gt 10\n"
      "  http-response set-status 500 if big\n");
  ASSERT_TRUE(r.ok()) << testing::dump(r.errors);
  // Which rules read the payload (the stream takes it in for them).
  const auto& res_rules = r.config.proxies.at(0).http_response_rules;
  ASSERT_EQ(res_rules.size(), 4u);
  EXPECT_TRUE(res_rules[0].reads_res_body);  // a value format
  EXPECT_TRUE(res_rules[1].reads_res_body);  // an anonymous ACL
  EXPECT_TRUE(res_rules[2].reads_res_body);  // an expression
  EXPECT_TRUE(res_rules[3].reads_res_body);  // a named ACL
  EXPECT_TRUE(r.config.proxies.at(0).http_after_response_rules.at(0).reads_res_body);
  const ParseResult other = frontend(
      "  http-response set-header X-S %[status]\n  http-response deny if { res.hdr(x) -m found "
      "}\n");
  ASSERT_TRUE(other.ok()) << testing::dump(other.errors);
  for (const HttpRule& rule : other.config.proxies.at(0).http_response_rules)
    EXPECT_FALSE(rule.reads_res_body);
  EXPECT_NE(
      only_error(frontend("  http-request set-var(txn.b) res.body\n")).find("HTTP response body"),
      std::string::npos);
  EXPECT_NE(only_error(frontend("  log-format \"%[res.body_len]\"\n")).find("HTTP response body"),
            std::string::npos);
}

}  // namespace
}  // namespace hearth::config
