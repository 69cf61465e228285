// "userlist" sections, http-request auth and the userlist arguments of the
// http_auth fetches (HAProxy 2.6's load-time checks, compared with
// "haproxy -c").
#include <gtest/gtest.h>

#include "config_test_util.h"

namespace hearth::config {
namespace {

using testing::dump;
using testing::has;
using testing::only_error;
using testing::parse;

const char* const kSha512 =
    "$6$salt$AkOOBO38SQQ8T8Q46KuCONe.8zg41nvCDKDq7pVQd2n2hy8sf8aR3G89VY.57up0eSIa/"
    "69odCCcLT4hx7FpW/";

std::string fe(const std::string& lines) { return "frontend fe\n  mode http\n" + lines; }

TEST(Userlist, UsersAndGroupsBothWays) {
  // The two lists of HAProxy's manual: membership said by the groups or by
  // the users is the same.
  auto r = parse(std::string("userlist L1\n"
                             "  group G1 users tiger,scott\n"
                             "  group G2 users xdb,scott\n"
                             "  user tiger password ") +
                 kSha512 +
                 "\n"
                 "  user scott insecure-password elgato\n"
                 "  user xdb insecure-password hello\n"
                 "userlist L2\n"
                 "  group G1\n"
                 "  group G2\n"
                 "  user tiger password " +
                 kSha512 +
                 " groups G1\n"
                 "  user scott insecure-password elgato groups G1,G2\n"
                 "  user xdb insecure-password hello groups G2\n");
  ASSERT_TRUE(r.ok()) << dump(r.errors);
  ASSERT_EQ(r.config.userlists.size(), 2u);
  for (const auto& l : r.config.userlists) {
    SCOPED_TRACE(l->name());
    ASSERT_EQ(l->users().size(), 3u);
    const auto* tiger = l->find_user("tiger");
    const auto* scott = l->find_user("scott");
    const auto* xdb = l->find_user("xdb");
    ASSERT_TRUE(tiger && scott && xdb);
    EXPECT_TRUE(l->in_group(*tiger, "G1"));
    EXPECT_FALSE(l->in_group(*tiger, "G2"));
    EXPECT_TRUE(l->in_group(*scott, "G1"));
    EXPECT_TRUE(l->in_group(*scott, "G2"));
    EXPECT_TRUE(l->in_group(*xdb, "G2"));
    EXPECT_TRUE(l->check("tiger", "pw"));
    EXPECT_TRUE(l->check("scott", "elgato"));
    EXPECT_FALSE(l->check("xdb", "elgato"));
  }
  EXPECT_EQ(r.config.find_userlist("L2"), r.config.userlists[1]);
  EXPECT_EQ(r.config.find_userlist("L3"), nullptr);
}

TEST(Userlist, EmptyNamesInListsAreSkipped) {
  auto r = parse(
      "userlist L\n  group G users ,a,,b,\n  user a insecure-password x groups ,G,\n"
      "  user b insecure-password y\n");
  ASSERT_TRUE(r.ok()) << dump(r.errors);
  const auto& l = *r.config.userlists.at(0);
  EXPECT_TRUE(l.in_group(*l.find_user("a"), "G"));
  EXPECT_TRUE(l.in_group(*l.find_user("b"), "G"));
}

TEST(Userlist, UnknownGroupOrUserNamesTheLine) {
  auto r = parse("userlist L\n  user a insecure-password x groups G9\n");
  EXPECT_EQ(only_error(r), "t.cfg:2: 'user': userlist 'L' has no group 'G9' (named by user 'a')");
  r = parse("userlist L\n  group G users zz\n");
  EXPECT_EQ(only_error(r), "t.cfg:2: 'group': userlist 'L' has no user 'zz' (named by group 'G')");
}

TEST(Userlist, GroupsMayBeDeclaredAfterTheUsers) {
  auto r = parse("userlist L\n  user a insecure-password x groups G\n  group G\n");
  ASSERT_TRUE(r.ok()) << dump(r.errors);
}

TEST(Userlist, DuplicatesAreIgnoredWithAWarning) {
  // As HAProxy: the first of a name counts, the later line is skipped whole.
  auto r = parse(
      "userlist L\n  group G\n  group G users a\n  user a insecure-password x\n"
      "  user a insecure-password y bogus z\n");
  ASSERT_TRUE(r.ok()) << dump(r.errors);
  EXPECT_TRUE(has(r.warnings, "t.cfg:3: 'group': userlist 'L' already has a group 'G'"));
  EXPECT_TRUE(has(r.warnings, "t.cfg:5: 'user': userlist 'L' already has a user 'a'"));
  const auto& l = *r.config.userlists.at(0);
  EXPECT_TRUE(l.check("a", "x"));
  EXPECT_FALSE(l.check("a", "y"));
  EXPECT_FALSE(l.in_group(*l.find_user("a"), "G"));
}

TEST(Userlist, DuplicateUserlistLinesGoToTheLastOneMade) {
  auto r = parse(
      "userlist A\n  user a insecure-password x\nuserlist B\nuserlist A\n"
      "  user b insecure-password y\n");
  ASSERT_TRUE(r.ok()) << dump(r.errors);
  EXPECT_TRUE(has(r.warnings, "t.cfg:4: 'userlist': a userlist named 'A' already exists",
                  "add to userlist 'B'"));
  ASSERT_EQ(r.config.userlists.size(), 2u);
  EXPECT_EQ(r.config.userlists[0]->users().size(), 1u);
  EXPECT_TRUE(r.config.userlists[1]->check("b", "y"));
}

TEST(Userlist, Errors) {
  struct Case {
    const char* text;
    const char* error;
  } cases[] = {
      {"userlist\n", "t.cfg:1: 'userlist': expects a name"},
      {"userlist L x\n", "t.cfg:1: 'userlist': unexpected argument 'x'"},
      {"userlist L/x\n", "t.cfg:1: 'userlist': invalid name 'L/x'"},
      {"userlist L\n  foo bar\n", "t.cfg:2: 'foo': unknown keyword in a userlist section"},
      {"userlist L\n  group\n", "t.cfg:2: 'group': expects a name"},
      {"userlist L\n  group G/x\n", "t.cfg:2: 'group': invalid group name 'G/x'"},
      {"userlist L\n  group G bogus x\n", "t.cfg:2: 'group': unknown option 'bogus'"},
      {"userlist L\n  group G users\n", "t.cfg:2: 'group': option 'users' expects a value"},
      {"userlist L\n  user\n", "t.cfg:2: 'user': expects a name"},
      {"userlist L\n  user a bogus x\n", "t.cfg:2: 'user': unknown option 'bogus'"},
      {"userlist L\n  user a password\n", "t.cfg:2: 'user': option 'password' expects a value"},
      {"userlist L\n  user a password $9$xx$yy\n",
       "t.cfg:2: 'user': the password hash of user 'a' is not one crypt(3) supports"},
      {"userlist L\n  user a insecure-password x password y\n",
       "t.cfg:2: 'user': user 'a' is given more than one password"},
  };
  for (const Case& c : cases) {
    auto r = parse(c.text);
    EXPECT_TRUE(has(r.errors, c.error)) << c.text << "\n" << dump(r.errors);
  }
}

TEST(Userlist, UserNamesAreNotRestrictedLikeGroupNames) {
  auto r = parse("userlist L\n  user a/b@c insecure-password x\n");
  ASSERT_TRUE(r.ok()) << dump(r.errors);
}

TEST(HttpAuthRule, RealmDefaultsToTheProxyName) {
  auto r = parse(fe("  http-request auth\n  http-request auth realm \"My Realm\" if TRUE\n"));
  ASSERT_TRUE(r.ok()) << dump(r.errors);
  const auto& rules = r.config.proxies.at(0).http_request_rules;
  ASSERT_EQ(rules.size(), 2u);
  EXPECT_EQ(rules[0].action, HttpRule::Action::kAuth);
  EXPECT_EQ(rules[0].value, "fe");
  EXPECT_EQ(rules[0].cond, nullptr);
  EXPECT_EQ(rules[1].value, "My Realm");
  EXPECT_NE(rules[1].cond, nullptr);
}

TEST(HttpAuthRule, Errors) {
  EXPECT_TRUE(has(parse(fe("  http-request auth realm\n")).errors,
                  "t.cfg:3: 'http-request auth': missing realm value"));
  EXPECT_TRUE(has(parse(fe("  http-request auth foo\n")).errors,
                  "t.cfg:3: 'http-request auth': unexpected 'foo'"));
  EXPECT_TRUE(has(parse(fe("  http-request auth realm a b\n")).errors,
                  "t.cfg:3: 'http-request auth': unexpected 'b'"));
  EXPECT_TRUE(
      has(parse(fe("  http-response auth\n")).errors, "t.cfg:3: 'http-response auth': unknown"));
}

TEST(HttpAuthFetch, UserlistMayComeAfterItsUse) {
  auto r = parse(
      fe("  acl ok http_auth(L)\n  acl adm http_auth_group(L) G1 G2\n"
         "  http-request auth unless ok adm\n"
         "  http-request set-header x %[http_auth_user]%[http_auth_pass]%[http_auth_type]\n") +
      "userlist L\n  group G1\n  group G2\n  user a insecure-password x groups G1\n");
  ASSERT_TRUE(r.ok()) << dump(r.errors);
}

TEST(HttpAuthFetch, UnknownUserlistOrGroupIsAnError) {
  const std::string ul = "userlist L\n  group G1\n";
  EXPECT_EQ(only_error(parse(fe("  acl ok http_auth(X)\n") + ul)),
            "t.cfg:3: 'acl': no userlist named 'X' (in the argument of fetch method 'http_auth')");
  EXPECT_EQ(only_error(parse(fe("  http-request auth if { http_auth_group(L) G1 G3 }\n") + ul)),
            "t.cfg:3: 'http-request': userlist 'L' has no group 'G3' (named in an "
            "http_auth_group ACL)");
  // Group names are exact, whatever -i says (as HAProxy).
  EXPECT_TRUE(has(parse(fe("  acl ok http_auth_group(L) -i g1\n") + ul).errors,
                  "t.cfg:3: 'acl': userlist 'L' has no group 'g1'"));
  EXPECT_TRUE(has(parse(fe("  acl ok http_auth\n") + ul).errors, "t.cfg:3: 'acl'",
                  "expects at least 1 argument"));
  EXPECT_TRUE(has(parse(fe("  acl ok http_auth()\n") + ul).errors, "t.cfg:3: 'acl'",
                  "expects the name of a userlist"));
}

TEST(HttpAuthFetch, GroupAclNeedsGroupsAndNoMatchingMethodOrConverter) {
  const std::string ul = "userlist L\n  group G1\n";
  EXPECT_TRUE(has(parse(fe("  acl ok http_auth_group(L)\n") + ul).errors, "t.cfg:3: 'acl'",
                  "expects one or more group names"));
  EXPECT_TRUE(has(parse(fe("  acl ok http_auth_group(L) -m beg G\n") + ul).errors, "t.cfg:3: 'acl'",
                  "no '-m' matching method"));
  EXPECT_TRUE(has(parse(fe("  acl ok http_auth_group(L),lower G1\n") + ul).errors, "t.cfg:3: 'acl'",
                  "no converter"));
  // Outside an ACL it is the user's name: any use is fine.
  EXPECT_TRUE(parse(fe("  http-request set-header x %[http_auth_group(L)]\n") + ul).ok());
}

TEST(HttpAuthFetch, NotInResponseRules) {
  EXPECT_TRUE(has(parse(fe("  http-response set-header x %[http_auth_user]\n")).errors,
                  "t.cfg:3: 'http-response set-header'", "HTTP request headers"));
}

TEST(HttpUseProxyHeader, Option) {
  auto r = parse(fe("  option http-use-proxy-header\n"));
  ASSERT_TRUE(r.ok()) << dump(r.errors);
  EXPECT_TRUE(r.config.proxies.at(0).http_use_proxy_header);
  r = parse(fe("  option http-use-proxy-header\n  no option http-use-proxy-header\n"));
  ASSERT_TRUE(r.ok()) << dump(r.errors);
  EXPECT_FALSE(r.config.proxies.at(0).http_use_proxy_header);
}

}  // namespace
}  // namespace hearth::config
