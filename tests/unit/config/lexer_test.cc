#include "config/lexer.h"

#include <gtest/gtest.h>

#include "config_test_util.h"

namespace hearth::config {
namespace {

using testing::fake_env;
using Words = std::vector<std::string>;

SplitResult split(std::string_view line, std::map<std::string, std::string> env = {}) {
  static const LineContext ctx{"f.cfg", 7, "backend app"};
  return split_line(line, fake_env(std::move(env)), ctx);
}

TEST(Lexer, SplitsOnBlanksAndCollapsesThem) {
  auto r = split("  server  s1\t10.0.0.1:80   weight 3  ");
  ASSERT_TRUE(r.ok()) << r.error;
  EXPECT_EQ(r.words, (Words{"server", "s1", "10.0.0.1:80", "weight", "3"}));
}

TEST(Lexer, EmptyAndCommentLinesHaveNoWords) {
  EXPECT_TRUE(split("").words.empty());
  EXPECT_TRUE(split("   \t ").words.empty());
  EXPECT_TRUE(split("# just a comment").words.empty());
  EXPECT_TRUE(split("\r").words.empty());
}

TEST(Lexer, HashStartsACommentAnywhereOutsideQuotes) {
  EXPECT_EQ(split("mode tcp # the mode").words, (Words{"mode", "tcp"}));
  EXPECT_EQ(split("mode tcp#x").words, (Words{"mode", "tcp"}));
}

TEST(Lexer, HashInsideQuotesOrEscapedIsLiteral) {
  EXPECT_EQ(split("a \"b # c\" 'd#e'").words, (Words{"a", "b # c", "d#e"}));
  EXPECT_EQ(split("a b\\#c").words, (Words{"a", "b#c"}));
}

TEST(Lexer, DoubleQuotesKeepBlanksAndSingleQuotes) {
  EXPECT_EQ(split("x \"hello  world\" \"it's\"").words, (Words{"x", "hello  world", "it's"}));
}

TEST(Lexer, SingleQuotesKeepEverythingLiterally) {
  auto r = split("x '${HOME} \\n \"q\"'", {{"HOME", "/root"}});
  ASSERT_TRUE(r.ok()) << r.error;
  EXPECT_EQ(r.words, (Words{"x", "${HOME} \\n \"q\""}));
}

TEST(Lexer, QuotedPartsConcatenate) {
  EXPECT_EQ(split("a\"b c\"'d e'f").words, (Words{"ab cd ef"}));
}

TEST(Lexer, EmptyQuotesMakeAnEmptyWord) {
  EXPECT_EQ(split("a \"\" b ''").words, (Words{"a", "", "b", ""}));
}

TEST(Lexer, BackslashEscapesOutsideQuotes) {
  EXPECT_EQ(split("a\\ b \\\\ \\' \\\"").words, (Words{"a b", "\\", "'", "\""}));
  EXPECT_EQ(split("x\\ty\\nz\\r").words, (Words{"x\ty\nz\r"}));
  EXPECT_EQ(split("\\x41\\x7e").words, (Words{"A~"}));
}

TEST(Lexer, BackslashEscapesInsideDoubleQuotes) {
  EXPECT_EQ(split("\"a\\\"b\\\\c\\$d\"").words, (Words{"a\"b\\c$d"}));
}

TEST(Lexer, UnknownEscapesKeepTheBackslash) {
  EXPECT_EQ(split("^/api/\\d+$").words, (Words{"^/api/\\d+$"}));
  EXPECT_EQ(split("trailing\\").words, (Words{"trailing\\"}));
}

TEST(Lexer, BadHexEscapeIsAnError) {
  auto r = split("a \\xZ1");
  EXPECT_FALSE(r.ok());
  EXPECT_NE(r.error.find("two hex digits"), std::string::npos) << r.error;
}

TEST(Lexer, ExpandsVariablesInsideDoubleQuotes) {
  auto r = split("bind \"${ADDR}:${PORT}\" \"$PORT\"", {{"ADDR", "10.1.2.3"}, {"PORT", "8443"}});
  ASSERT_TRUE(r.ok()) << r.error;
  EXPECT_EQ(r.words, (Words{"bind", "10.1.2.3:8443", "8443"}));
}

TEST(Lexer, DollarOutsideDoubleQuotesIsLiteral) {
  auto r = split("x ${PORT} $PORT", {{"PORT", "1"}});
  ASSERT_TRUE(r.ok()) << r.error;
  EXPECT_EQ(r.words, (Words{"x", "${PORT}", "$PORT"}));
}

TEST(Lexer, ExpandedValueStaysOneWordUnlessStarred) {
  std::map<std::string, std::string> env{{"LIST", "a  b c"}};
  EXPECT_EQ(split("x \"${LIST}\"", env).words, (Words{"x", "a  b c"}));
  EXPECT_EQ(split("x \"${LIST[*]}\" y", env).words, (Words{"x", "a", "b", "c", "y"}));
}

TEST(Lexer, DefaultValueUsedOnlyWhenUnset) {
  EXPECT_EQ(split("\"${A-fallback}\"", {{"A", "set"}}).words, (Words{"set"}));
  EXPECT_EQ(split("\"${A-fallback value}\"").words, (Words{"fallback value"}));
  EXPECT_EQ(split("\"${A-}x\"").words, (Words{"x"}));
}

// As HAProxy: an unset variable without a default is an empty string (the
// word stays, empty); a warning names it.
TEST(Lexer, UnsetVariableWithoutDefaultIsEmptyWithAWarningNamingIt) {
  auto r = split("bind \"${NOPE}\" \"a${NOPE}b\" \"$NOPE2\"");
  ASSERT_TRUE(r.ok()) << r.error;
  EXPECT_EQ(r.words, (Words{"bind", "", "ab", ""}));
  ASSERT_EQ(r.warnings.size(), 3u);
  EXPECT_NE(r.warnings[0].find("'NOPE' is not set"), std::string::npos) << r.warnings[0];
  EXPECT_NE(r.warnings[2].find("'NOPE2' is not set"), std::string::npos) << r.warnings[2];
  EXPECT_TRUE(split("x \"${A-}\"").warnings.empty());
}

TEST(Lexer, PseudoVariablesNameThePosition) {
  auto r = split("x \"${.FILE}:${.LINE} ${.SECTION}\"");
  ASSERT_TRUE(r.ok()) << r.error;
  EXPECT_EQ(r.words, (Words{"x", "f.cfg:7 backend app"}));
  EXPECT_FALSE(split("\"${.OTHER}\"").ok());
}

TEST(Lexer, MalformedReferencesAreErrors) {
  EXPECT_NE(split("\"${A\"").error.find("'}'"), std::string::npos);
  EXPECT_NE(split("\"$5\"").error.find("\\$"), std::string::npos);
  EXPECT_NE(split("\"${A[x]}\"", {{"A", "1"}}).error.find("[*]"), std::string::npos);
  EXPECT_FALSE(split("\"${A junk}\"", {{"A", "1"}}).ok());
}

TEST(Lexer, UnterminatedQuotesAreErrors) {
  EXPECT_NE(split("a \"b c").error.find("double quote"), std::string::npos);
  EXPECT_NE(split("a 'b c").error.find("single quote"), std::string::npos);
}

TEST(Lexer, NulByteIsAnError) {
  const std::string line("a\0b", 3);
  EXPECT_FALSE(split(line).ok());
}

TEST(Lexer, ProcessEnvReadsTheEnvironment) {
  setenv("HEARTH_LEXER_TEST_VAR", "v1", 1);
  EnvLookup env = process_env();
  EXPECT_EQ(env("HEARTH_LEXER_TEST_VAR"), std::optional<std::string>("v1"));
  unsetenv("HEARTH_LEXER_TEST_VAR");
  EXPECT_EQ(env("HEARTH_LEXER_TEST_VAR"), std::nullopt);
}

}  // namespace
}  // namespace hearth::config
