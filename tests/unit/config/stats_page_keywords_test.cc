// The stats page keywords of proxy sections.
#include <gtest/gtest.h>

#include "config_test_util.h"

namespace hearth::config {
namespace {

using testing::only_error;
using testing::parse;
using testing::parse_and_validate;

TEST(StatsPageKeywords, EveryKeywordEnablesAndSets) {
  auto r = parse(
      "listen l\n  mode http\n  stats uri /st\n  stats realm My\\ Realm\n"
      "  stats auth a:1\n  stats auth b:2:3\n  stats refresh 5s\n  stats hide-version\n"
      "  stats show-node n1\n  stats show-desc the main one\n  stats show-legends\n"
      "  stats show-modules\n  stats scope .\n  stats scope other\n"
      "  stats admin if TRUE\n  stats http-request auth realm R if { src 10.0.0.1 }\n"
      "  stats http-request deny unless TRUE\n  stats http-request allow\n");
  ASSERT_TRUE(r.ok()) << testing::dump(r.errors);
  const StatsPageConfig& st = r.config.proxies.at(0).stats;
  EXPECT_TRUE(st.enabled);
  EXPECT_EQ(st.line, 3);  // the first keyword enabled it
  EXPECT_EQ(st.uri, "/st");
  EXPECT_EQ(st.realm, "My Realm");
  ASSERT_EQ(st.users.size(), 2u);
  EXPECT_EQ(st.users[1], std::make_pair(std::string("b"), std::string("2:3")));
  EXPECT_EQ(st.refresh_ms, 5000);
  EXPECT_TRUE(st.hide_version && st.show_node && st.show_desc && st.show_legends &&
              st.show_modules);
  EXPECT_EQ(st.node, "n1");
  EXPECT_EQ(st.desc, "the main one");
  EXPECT_EQ(st.scope, (std::vector<std::string>{".", "other"}));
  EXPECT_EQ(st.admin.size(), 1u);
  ASSERT_EQ(st.rules.size(), 3u);
  EXPECT_EQ(st.rules[0].action, StatsRule::Action::kAuth);
  EXPECT_EQ(st.rules[0].realm, "R");
  EXPECT_TRUE(st.rules[1].cond && st.rules[1].cond->unless);
  EXPECT_FALSE(st.rules[2].cond);
  EXPECT_FALSE(parse("frontend f\n  mode http\n").config.proxies.at(0).stats.enabled);
}

TEST(StatsPageKeywords, DefaultsAreInherited) {
  auto r = parse("defaults\n  mode http\n  stats enable\n  stats uri /s\nbackend b\n");
  ASSERT_TRUE(r.ok()) << testing::dump(r.errors);
  EXPECT_TRUE(r.config.proxies.at(0).stats.enabled);
  EXPECT_EQ(r.config.proxies.at(0).stats.uri, "/s");
  EXPECT_EQ(r.config.proxies.at(0).stats.realm, "HAProxy Statistics");  // HAProxy's default
}

TEST(StatsPageKeywords, RefusedWithFileLineAndKeyword) {
  EXPECT_EQ(only_error(parse("defaults\n  stats admin if TRUE\n")),
            "t.cfg:2: 'stats admin': is not allowed in a defaults section (frontend, listen, "
            "backend)");
  EXPECT_EQ(only_error(parse("defaults\n  stats http-request allow\n")),
            "t.cfg:2: 'stats http-request': is not allowed in a defaults section (frontend, "
            "listen, backend)");
  EXPECT_EQ(only_error(parse("listen l\n  stats admin\n")),
            "t.cfg:2: 'stats admin': expects 'stats admin if|unless COND'");
  EXPECT_EQ(only_error(parse("listen l\n  stats auth nopass\n")),
            "t.cfg:2: 'stats auth': expects USER:PASSWORD, got 'nopass'");
  EXPECT_EQ(only_error(parse("listen l\n  stats refresh soon\n")),
            "t.cfg:2: 'stats refresh': expects a delay such as 10s, got 'soon'");
  EXPECT_EQ(only_error(parse("listen l\n  stats enable now\n")),
            "t.cfg:2: 'stats enable': takes no argument");
  EXPECT_EQ(only_error(parse("listen l\n  stats http-request tarpit\n")),
            "t.cfg:2: 'stats http-request': unknown action 'tarpit': expects allow, deny or auth");
  EXPECT_EQ(only_error(parse("listen l\n  stats socket /x\n")),
            "t.cfg:2: 'stats socket': belongs to the global section");
  EXPECT_NE(only_error(parse("listen l\n  stats bogus\n"))
                .find("t.cfg:2: 'stats bogus': unknown keyword; supported here: stats enable"),
            std::string::npos);
  // A tcp proxy cannot serve the page: refused where it was enabled.
  auto r = parse_and_validate(
      "listen l\n  mode tcp\n  bind :8080\n  stats enable\n  server s 127.0.0.1:80\n");
  EXPECT_TRUE(testing::has(r.errors, "t.cfg:4: 'stats'", "needs 'mode http'"))
      << testing::dump(r.errors);
}

}  // namespace
}  // namespace hearth::config
