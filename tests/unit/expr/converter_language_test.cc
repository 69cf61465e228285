// language(LIST[,DEFAULT]) on Accept-Language values. Every expected answer
// is what HAProxy 2.6 gave for the same value and list (the side-by-side run
// is tests/integration/pbuf_language_test.cc).
#include <gtest/gtest.h>

#include <optional>
#include <string>

#include "expr/sample_expr.h"
#include "unit/expr/fake_context.h"

namespace hearth::expr {
namespace {

// Returns: language(args) on `value`, or nullopt if there is no sample.
std::optional<std::string> lang(const std::string& value, const std::string& args) {
  testing::FakeContext ctx;
  ctx.req_headers = {{"accept-language", value}};
  std::string err;
  auto e = parse_sample_expr("req.fhdr(accept-language),language(" + args + ")", kUseAny, &err);
  EXPECT_NE(e, nullptr) << args << ": " << err;
  if (!e) return std::nullopt;
  Sample s;
  if (!eval_sample_expr(*e, ctx, s)) return std::nullopt;
  EXPECT_EQ(s.type, SmpType::kStr);
  return std::string(s.str);
}

TEST(LanguageConverter, HighestWeightFirstOfTies) {
  EXPECT_EQ(lang("en", "es;fr;en"), "en");
  EXPECT_EQ(lang("fr;q=0.8,en;q=0.9", "es;fr;en"), "en");
  EXPECT_EQ(lang("fr;q=0.9,en;q=0.9", "es;fr;en"), "fr");  // request order breaks ties
  EXPECT_EQ(lang("fr;q=0.5,es;q=0.50,en;q=0.500", "es;fr;en"), "fr");
  EXPECT_EQ(lang("es;q=0.9,fr;q=0.9,en;q=0.95", "es;fr;en"), "en");
  EXPECT_EQ(lang("de,fr;q=0.2", "es;fr;en"), "fr");  // not in the list: skipped
  EXPECT_EQ(lang("  fr ; q = 0.7 , en ; q=0.6", "es;fr;en"), "fr");
}

TEST(LanguageConverter, NoMatchGivesDefaultOrNothing) {
  EXPECT_EQ(lang("de", "es;fr;en"), std::nullopt);
  EXPECT_EQ(lang("de", "fr;en,def"), "def");
  EXPECT_EQ(lang("*", "fr;en,def"), "def");  // '*' only names an entry "*"
  EXPECT_EQ(lang("*;q=0.5,fr;q=0.4", "*;en"), "*");
  EXPECT_EQ(lang("de", "fr;en,"), std::nullopt);  // an empty default is none
}

TEST(LanguageConverter, ZeroWeightNeverWins) {
  EXPECT_EQ(lang("fr;q=0,en;q=0", "es;fr;en"), std::nullopt);
  EXPECT_EQ(lang("fr;q=0,en;q=0", "fr;en,def"), "def");
  EXPECT_EQ(lang("fr;q=0.0001,en;q=0", "es;fr;en"), std::nullopt);  // three decimals only
  EXPECT_EQ(lang("fr;q=0.000,en;q=0.001", "es;fr;en"), "en");
}

TEST(LanguageConverter, VariantsMatchTheirBaseNotTheReverse) {
  EXPECT_EQ(lang("en-US", "es;fr;en"), "en");
  EXPECT_EQ(lang("en-US", "en-US;en"), "en-US");
  // The first entry of the list that the range matches, in the list's order.
  EXPECT_EQ(lang("en-US", "en;en-US"), "en");
  EXPECT_EQ(lang("en", "en-US"), std::nullopt);
  EXPECT_EQ(lang("en-us", "en-US;en"), "en");  // case counts
  EXPECT_EQ(lang("EN", "en"), std::nullopt);
  EXPECT_EQ(lang("fr-CA-x;q=0.3,en-GB;q=0.2", "es;fr;en"), "fr");
  EXPECT_EQ(lang("en-;q=0.5", "es;fr;en"), "en");
}

TEST(LanguageConverter, QValueReading) {
  // One digit, a dot, up to three digits; above 1 is 1; unreadable is 1.
  EXPECT_EQ(lang("fr;q=1.5,en", "es;fr;en"), "fr");
  EXPECT_EQ(lang("fr;q=2,en", "es;fr;en"), "fr");
  EXPECT_EQ(lang("fr;q=.9,en;q=0.5", "es;fr;en"), "fr");
  EXPECT_EQ(lang("fr;q=a,en", "es;fr;en"), "fr");
  EXPECT_EQ(lang("fr;q=0.1234,en;q=0.123", "es;fr;en"), "fr");
  // A parameter that is not q: weight 1 (HAProxy's best effort).
  EXPECT_EQ(lang("fr;level=1,en", "es;fr;en"), "fr");
  EXPECT_EQ(lang("fr;Q=0.1,en;q=0.2", "es;fr;en"), "fr");
  EXPECT_EQ(lang("fr;q", "es;fr;en"), "fr");
  // Only the first parameter counts.
  EXPECT_EQ(lang("fr;q=0.3;q=0.9,en;q=0.5", "es;fr;en"), "en");
  // Something else after the range: the item weighs nothing.
  EXPECT_EQ(lang("fr x,en;q=0.1", "es;fr;en"), "en");
}

TEST(LanguageConverter, HAProxyQuirksKept) {
  // The reader takes the byte after a lone digit as the dot's place: the
  // comma goes with it, and the next item is skipped.
  EXPECT_EQ(lang("fr;q=0,en", "es;fr;en"), std::nullopt);
  EXPECT_EQ(lang("fr;q=0,en", "en;en-US"), "en");  // fr is not listed: no weight read
  EXPECT_EQ(lang("fr;q=0.,en", "es;fr;en"), "en");
  // Empty items and ranges; a range starting with '-' names an empty entry,
  // whose answer is "nothing" (or the default).
  EXPECT_EQ(lang(",,;,fr;q=0.1", "es;fr;en"), "fr");
  EXPECT_EQ(lang(";q=0.5,fr", "es;fr;en"), "fr");
  EXPECT_EQ(lang("-x", "fr;;en"), std::nullopt);
  EXPECT_EQ(lang("-x", ";fr,def"), "def");
  EXPECT_EQ(lang("-x;q=0.6,fr;q=0.5", ";fr"), std::nullopt);
}

TEST(LanguageConverter, LoadErrors) {
  std::string err;
  // Bare, it takes one empty argument (as HAProxy): an empty list.
  EXPECT_NE(parse_sample_expr("str(en),language", kUseAny, &err), nullptr) << err;
  EXPECT_EQ(parse_sample_expr("str(en),language(a,b,c)", kUseAny, &err), nullptr);
  EXPECT_NE(parse_sample_expr("str(en),language(en)", kUseAny, &err), nullptr) << err;
}

}  // namespace
}  // namespace hearth::expr
