// The condition language of .if and -cc. The expected values are what
// HAProxy 2.6's `haproxy -cc` answers for the same text (0: true, 1: false,
// 2: error), except where Hearth's version (2.6.0) differs from the one
// installed.
#include "config/condition.h"

#include <gtest/gtest.h>

#include "config_test_util.h"

namespace hearth::config {
namespace {

CondValue eval(const std::string& text, std::string* message = nullptr) {
  CondError err;
  const CondValue v = eval_condition(text, testing::fake_env({{"SET", "x"}}), &err);
  if (message) *message = err.message;
  return v;
}

constexpr CondValue T = CondValue::kTrue, F = CondValue::kFalse, E = CondValue::kError;

TEST(Condition, NumbersAndEmpty) {
  const std::pair<const char*, CondValue> cases[] = {
      {"1", T},  {"0", F},  {"", F},   {"2", T},  {"-1", T}, {"0x1", T}, {"0x0", F}, {"00", F},
      {"01", T}, {" 1", T}, {"1 ", T}, {"08", E}, {"1a", E}, {"a1", E},  {"foo", E}, {"1 0", E},
  };
  for (const auto& [text, want] : cases) EXPECT_EQ(eval(text), want) << "'" << text << "'";
}

TEST(Condition, OperatorsAndPrecedence) {
  const std::pair<const char*, CondValue> cases[] = {
      {"1 && 0", F},      {"1 || 0", T}, {"1&&0", F},     {"(1 || 0) && !0", T},
      {"!!1", T},         {"( 1 )", T},  {"(0)||(1)", T}, {"1 && 1 || 0 && 0", T},
      {"0 && 1 || 1", T}, {"1 &&", E},   {"1 ||", E},     {"!", E},
      {"()", E},          {"(1", E},     {"1)", E},       {"!(0", E},
      {"1  &&  1", T},
  };
  for (const auto& [text, want] : cases) EXPECT_EQ(eval(text), want) << "'" << text << "'";
}

TEST(Condition, Predicates) {
  const std::pair<const char*, CondValue> cases[] = {
      {"defined(SET)", T},
      {"defined(UNSET)", F},
      {"!defined(UNSET)", T},
      {"defined()", F},
      {"streq(a,a)", T},
      {"streq(a,b)", F},
      {"strneq(a,b)", T},
      {"streq(a, a)", F},
      {"streq(a,a )", F},
      {"streq(,)", T},
      {"streq('a','a')", T},
      {"feature(OPENSSL)", T},
      {"feature(PCRE2)", T},
      {"feature(pcre2)", F},
      {"feature(LUA)", F},
      {"feature(FOO)", F},
      {"unknown(x)", E},
      {"defined(", E},
      {"defined(SET", E},
      {"streq(a)", E},
      {"defined(a,b)", E},
      {"streq(a,b,c)", E},
      {"defined(SET) )", E},
      {"enabled(POLL)", E},
      {"ssllib_name_startswith(OpenSSL)", T},
      {"ssllib_name_startswith(Boring)", F},
      {"openssl_version_atleast(1.1.1)", T},
      {"openssl_version_before(1.0.0)", F},
  };
  for (const auto& [text, want] : cases) EXPECT_EQ(eval(text), want) << "'" << text << "'";
}

// Hearth follows HAProxy 2.6.0.
TEST(Condition, Versions) {
  const std::pair<const char*, CondValue> cases[] = {
      {"version_atleast(2.5)", T},      {"version_atleast(2.6)", T},
      {"version_atleast(2.6-dev0)", T}, {"version_atleast(2.5-dev9)", T},
      {"version_atleast(2.6-rc1)", T},  {"version_atleast(2.6.0)", T},
      {"version_atleast(2.6.1)", F},    {"version_atleast(2.7-dev0)", F},
      {"version_before(2.7)", T},       {"version_before(2.6)", F},
      {"version_before(2.6.1)", T},     {"version_atleast(abc)", T},
      {"version_before(abc)", F},       {"version_atleast()", T},
      {"version_before(1.9.x)", F},     {"version_atleast(2)", T},
      {"version_before(3)", T},
  };
  for (const auto& [text, want] : cases) EXPECT_EQ(eval(text), want) << "'" << text << "'";
}

TEST(Condition, VersionOrder) {
  EXPECT_LT(compare_versions("2.6-dev0", "2.6-pre1"), 0);
  EXPECT_LT(compare_versions("2.6-pre1", "2.6-rc1"), 0);
  EXPECT_LT(compare_versions("2.6-rc9", "2.6"), 0);
  EXPECT_EQ(compare_versions("2.6", "2.6.0.0"), 0);
  EXPECT_GT(compare_versions("2.6.12.1", "2.6.12"), 0);
  EXPECT_EQ(compare_versions("2.6.0-compatible", "2.6.0"), 0);
}

TEST(Condition, ErrorsSayWhere) {
  std::string m;
  EXPECT_EQ(eval("1 0", &m), E);
  EXPECT_NE(m.find("'0'"), std::string::npos) << m;
  EXPECT_EQ(eval("(1", &m), E);
  EXPECT_NE(m.find("')'"), std::string::npos) << m;
  EXPECT_EQ(eval("streq(a)", &m), E);
  EXPECT_NE(m.find("streq"), std::string::npos) << m;
  EXPECT_EQ(eval("nope(1)", &m), E);
  EXPECT_NE(m.find("nope(1)"), std::string::npos) << m;
}

}  // namespace
}  // namespace hearth::config
