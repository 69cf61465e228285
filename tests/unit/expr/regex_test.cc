// expr::Regex (PCRE2) and the replacement format of replace-header/value.
#include "expr/regex.h"

#include <gtest/gtest.h>

#include <string>

namespace hearth::expr {
namespace {

TEST(Regex, SearchesAndCaptures) {
  std::string err;
  auto re = Regex::compile("b(.)", &err);
  ASSERT_NE(re, nullptr) << err;
  std::string_view g[Regex::kMaxGroups];
  ASSERT_TRUE(re->search("abcbd", g));
  EXPECT_EQ(g[0], "bc");  // the first match, not anchored
  EXPECT_EQ(g[1], "c");
  EXPECT_EQ(g[2], "");  // no such group
  EXPECT_FALSE(re->search("xyz", g));
}

TEST(Regex, IsCaseSensitive) {
  std::string err;
  auto re = Regex::compile("^abc$", &err);
  std::string_view g[Regex::kMaxGroups];
  EXPECT_TRUE(re->search("abc", g));
  EXPECT_FALSE(re->search("ABC", g));
}

TEST(Regex, UnsetGroupIsEmpty) {
  std::string err;
  auto re = Regex::compile("(a)|(b)", &err);
  std::string_view g[Regex::kMaxGroups];
  ASSERT_TRUE(re->search("b", g));
  EXPECT_EQ(g[1], "");
  EXPECT_EQ(g[2], "b");
}

TEST(Regex, CompileErrorSaysWhere) {
  std::string err;
  EXPECT_EQ(Regex::compile("a(b", &err), nullptr);
  EXPECT_NE(err.find("missing closing parenthesis"), std::string::npos) << err;
  EXPECT_NE(err.find("offset 3"), std::string::npos) << err;
}

TEST(Regex, ExpandReplacement) {
  std::string_view g[Regex::kMaxGroups] = {"all", "one", "two"};
  std::string out;
  expand_replacement("[\\1-\\2] \\0 \\9 \\\\ \\q \\x41 \\x4", g, &out);
  EXPECT_EQ(out, "[one-two] all  \\ q A x4");
}

}  // namespace
}  // namespace hearth::expr
