// Rules that end a connection without an answer: http-request reject, and
// silent-drop in http-request, http-response and every tcp rule set; where
// HAProxy 2.6 has no such action they are refused with file, line and keyword.
#include <gtest/gtest.h>

#include "config_test_util.h"

namespace hearth::config {
namespace {

using testing::dump;
using testing::only_error;
using testing::parse;

TEST(DropRules, HttpRejectAndSilentDropParsed) {
  auto r = parse(
      "frontend f\n  mode http\n"
      "  http-request reject if { path /a }\n"
      "  http-request silent-drop\n"
      "  http-response silent-drop unless { status 200 }\n");
  ASSERT_TRUE(r.ok()) << dump(r.errors);
  const ProxyConfig& p = r.config.proxies.at(0);
  ASSERT_EQ(p.http_request_rules.size(), 2u);
  EXPECT_EQ(p.http_request_rules[0].action, HttpRule::Action::kReject);
  EXPECT_TRUE(p.http_request_rules[0].cond);
  EXPECT_EQ(p.http_request_rules[1].action, HttpRule::Action::kSilentDrop);
  EXPECT_FALSE(p.http_request_rules[1].cond);
  ASSERT_EQ(p.http_response_rules.size(), 1u);
  EXPECT_EQ(p.http_response_rules[0].action, HttpRule::Action::kSilentDrop);
  EXPECT_TRUE(p.http_response_rules[0].cond->unless);
}

TEST(DropRules, HttpMisuseRefused) {
  auto starts = [](const std::string& s, const std::string& prefix) {
    return s.rfind(prefix, 0) == 0;
  };
  auto in_frontend = [](const std::string& line) {
    return only_error(parse("frontend f\n  mode http\n  " + line + "\n"));
  };
  EXPECT_EQ(in_frontend("http-request reject now"),
            "t.cfg:3: 'http-request reject': unexpected argument 'now': expects [if|unless COND]");
  EXPECT_EQ(in_frontend("http-response silent-drop x"),
            "t.cfg:3: 'http-response silent-drop': unexpected argument 'x': expects [if|unless "
            "COND]");
  // HAProxy 2.6 has neither of these.
  EXPECT_TRUE(starts(in_frontend("http-response reject"),
                     "t.cfg:3: 'http-response reject': unknown action; supported: "));
  EXPECT_TRUE(starts(in_frontend("http-after-response silent-drop"),
                     "t.cfg:3: 'http-after-response silent-drop': unknown action; supported: "));
}

TEST(DropRules, TcpSilentDropInEveryRuleSet) {
  auto r = parse(
      "frontend f\n"
      "  tcp-request connection silent-drop if { src 10.0.0.1 }\n"
      "  tcp-request session silent-drop\n"
      "  tcp-request content silent-drop if { req.len gt 3 }\n"
      "backend b\n"
      "  tcp-response content silent-drop\n");
  ASSERT_TRUE(r.ok()) << dump(r.errors);
  using A = TcpRule::Action;
  const TcpRules& f = r.config.proxies.at(0).tcp;
  ASSERT_EQ(f.connection.size(), 1u);
  EXPECT_EQ(f.connection[0].action, A::kSilentDrop);
  ASSERT_EQ(f.session.size(), 1u);
  EXPECT_EQ(f.session[0].action, A::kSilentDrop);
  ASSERT_EQ(f.content.size(), 1u);
  EXPECT_EQ(f.content[0].action, A::kSilentDrop);
  ASSERT_EQ(r.config.proxies.at(1).tcp.response.size(), 1u);
  EXPECT_EQ(r.config.proxies.at(1).tcp.response[0].action, A::kSilentDrop);
}

}  // namespace
}  // namespace hearth::config
