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
  // The response side is not implemented: refused, not ignored.
  const std::string e = only_error(frontend("  http-response wait-for-body time 1s\n"));
  EXPECT_NE(e.find("t.cfg:3: 'http-response wait-for-body': Hearth does not support this "
                   "action yet"),
            std::string::npos)
      << e;
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
  // As HAProxy 2.6: req.body_param takes one argument; res.body is not there yet.
  EXPECT_FALSE(frontend("  http-request set-var(txn.b) req.body_param(x,i)\n").ok());
  EXPECT_FALSE(frontend("  http-response set-var(txn.b) res.body\n").ok());
}

}  // namespace
}  // namespace hearth::config
