#include "admin/prom_query.h"

#include <gtest/gtest.h>

namespace hearth::admin {
namespace {

PromQuery parse_ok(std::string_view t) {
  PromQuery q;
  EXPECT_TRUE(parse_prom_query(t, &q)) << t;
  return q;
}

TEST(PromQuery, NoQuerySelectsEverything) {
  EXPECT_EQ(parse_ok("/metrics").scopes, kScopeAll);
  EXPECT_EQ(parse_ok("/metrics?foo=bar").scopes, kScopeAll);
  EXPECT_FALSE(parse_ok("/metrics").no_maint);
}

TEST(PromQuery, ScopesAddUpAndAnEmptyOneSelectsNothing) {
  EXPECT_EQ(parse_ok("/m?scope=frontend&scope=backend").scopes, kScopeFrontend | kScopeBackend);
  EXPECT_EQ(parse_ok("/m?scope=global").scopes, kScopeGlobal);
  EXPECT_EQ(parse_ok("/m?scope=*").scopes, kScopeAll);
  EXPECT_EQ(parse_ok("/m?scope=").scopes, 0);
  EXPECT_EQ(parse_ok("/m?scope=server&scope=").scopes, 0);
  EXPECT_EQ(parse_ok("/m?scope=%73erver").scopes, kScopeServer);  // URL-decoded
}

TEST(PromQuery, NoMaintWithOrWithoutValue) {
  EXPECT_TRUE(parse_ok("/m?no-maint").no_maint);
  EXPECT_TRUE(parse_ok("/m?scope=server&no-maint=1").no_maint);
}

TEST(PromQuery, RefusesWhatHAProxyAnswers400) {
  PromQuery q;
  EXPECT_FALSE(parse_prom_query("/m?scope", &q));
  EXPECT_FALSE(parse_prom_query("/m?scope=foo", &q));
  EXPECT_FALSE(parse_prom_query("/m?scope=Server", &q));  // names are case-sensitive
  EXPECT_FALSE(parse_prom_query("/m?scope=server&scope=nope", &q));
}

}  // namespace
}  // namespace hearth::admin
