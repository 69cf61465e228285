// Userlists: users, groups and the password check through crypt(3).
#include "expr/userlist.h"

#include <gtest/gtest.h>

namespace hearth::expr {
namespace {

// crypt(3) of "pw" with each method (mkpasswd / Python's crypt module).
const char* const kSha512 =
    "$6$salt$AkOOBO38SQQ8T8Q46KuCONe.8zg41nvCDKDq7pVQd2n2hy8sf8aR3G89VY.57up0eSIa/"
    "69odCCcLT4hx7FpW/";
const char* const kSha256 = "$5$salt$Oo0nc86Ktkc05wTAggFOZIQJhfxhAZY1mlIogZJN.i.";
const char* const kMd5 = "$1$salt$IXp9zPHZ94CMcVBXaZFPN/";
const char* const kDes = "abzlUXK5ed5rs";

Userlist::User user(const char* name, const char* pass, bool insecure) {
  Userlist::User u;
  u.name = name;
  u.pass = pass;
  u.has_pass = true;
  u.insecure = insecure;
  return u;
}

TEST(Userlist, HashedPasswordsOfEachMethod) {
  Userlist l("L");
  l.add_user(user("a", kSha512, false));
  l.add_user(user("b", kSha256, false));
  l.add_user(user("c", kMd5, false));
  l.add_user(user("d", kDes, false));
  for (const char* u : {"a", "b", "c", "d"}) {
    EXPECT_TRUE(l.check(u, "pw")) << u;
    EXPECT_FALSE(l.check(u, "pW")) << u;
    EXPECT_FALSE(l.check(u, "")) << u;
  }
}

TEST(Userlist, InsecurePasswordIsComparedAsIs) {
  Userlist l("L");
  l.add_user(user("scott", "elgato", true));
  l.add_user(user("empty", "", true));
  EXPECT_TRUE(l.check("scott", "elgato"));
  EXPECT_FALSE(l.check("scott", "elgato "));
  EXPECT_FALSE(l.check("Scott", "elgato"));  // user names are case-sensitive
  EXPECT_TRUE(l.check("empty", ""));
  EXPECT_FALSE(l.check("nobody", ""));
}

TEST(Userlist, UserWithoutPasswordNeverAuthenticates) {
  Userlist l("L");
  Userlist::User u;
  u.name = "nopass";
  l.add_user(u);
  EXPECT_FALSE(l.check("nopass", ""));
  EXPECT_FALSE(l.check("nopass", "x"));
}

TEST(Userlist, PasswordWithNulNeverMatchesAHash) {
  Userlist l("L");
  l.add_user(user("a", kSha512, false));
  EXPECT_FALSE(l.check("a", std::string_view("pw\0x", 4)));
}

TEST(Userlist, Groups) {
  Userlist l("L");
  const size_t g1 = l.add_group("G1"), g2 = l.add_group("G2");
  l.add_user(user("a", "x", true));
  l.join(0, g2);
  l.join(0, g2);
  EXPECT_EQ(l.find_group("G1"), int(g1));
  EXPECT_EQ(l.find_group("g1"), -1);
  const Userlist::User* a = l.find_user("a");
  ASSERT_NE(a, nullptr);
  EXPECT_EQ(a->groups.size(), 1u);
  EXPECT_TRUE(l.in_group(*a, "G2"));
  EXPECT_FALSE(l.in_group(*a, "G1"));
}

TEST(Userlist, CryptSupports) {
  EXPECT_TRUE(crypt_supports(kSha512));
  EXPECT_TRUE(crypt_supports("$6$somesalt$"));
  EXPECT_TRUE(crypt_supports(kDes));
  EXPECT_FALSE(crypt_supports("$9$xx$yy"));
  EXPECT_FALSE(crypt_supports("*"));
  EXPECT_FALSE(crypt_supports(""));
  EXPECT_FALSE(crypt_supports("x"));
}

TEST(Userlist, RefScopeCollectsNestedAndRestores) {
  auto r1 = std::make_shared<UserlistRef>();
  UserlistRefScope::note(r1);  // no scope: not collected, no crash
  UserlistRefScope outer;
  UserlistRefScope::note(r1);
  {
    UserlistRefScope inner;
    UserlistRefScope::note(r1);
    UserlistRefScope::note(r1);
    EXPECT_EQ(inner.refs().size(), 2u);
  }
  UserlistRefScope::note(r1);
  EXPECT_EQ(outer.refs().size(), 2u);
}

}  // namespace
}  // namespace hearth::expr
