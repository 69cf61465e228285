// Header fetches: which occurrence hdr()/fhdr() give (HAProxy: the last by
// default, 1 = first, -1 = last, hdr splitting at commas outside quotes, fhdr
// taking whole lines), and an ACL trying every occurrence in turn.
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "expr/condition.h"
#include "expr/sample_expr.h"
#include "stream/sample_fetch.h"

namespace hearth::stream {
namespace {

class HeaderFetch : public ::testing::Test {
 protected:
  void SetUp() override {
    ASSERT_TRUE(head_.init(8));
    head_.fields().add("X-A", "one, two");
    head_.fields().add("Host", "h");
    head_.fields().add("x-a", "\"th,ree\"");
    head_.fields().add("X-A", "four");
    head_.fields().add("X-Empty", "");
    // As a rule writes it (`set-header X-Set "a, b "`): parsed values never
    // carry surrounding whitespace, written ones may.
    head_.fields().add("X-Set", " a, b ");
  }

  // Returns: the expression's text, or "<none>" without a sample.
  std::string value(const std::string& text) {
    std::string err;
    auto e = expr::parse_sample_expr(text, expr::kUseConn | expr::kUseReq, &err);
    EXPECT_NE(e, nullptr) << err;
    if (!e) return "<error>";
    TxnFetch fetch(expr::kUseConn | expr::kUseReq, nullptr, nullptr, nullptr, &head_, nullptr);
    expr::Sample s;
    if (!expr::eval_sample_expr(*e, fetch, s)) return "<none>";
    if (s.type == expr::SmpType::kSint) return std::to_string(s.sint);
    return std::string(s.str);
  }

  bool matches(const std::vector<std::string>& words) {
    std::string err;
    std::vector<std::string> warnings;
    auto c = expr::parse_condition(words, 1, false, nullptr, expr::file_patterns(),
                                   expr::kUseConn | expr::kUseReq, &err, &warnings);
    EXPECT_NE(c, nullptr) << err;
    TxnFetch fetch(expr::kUseConn | expr::kUseReq, nullptr, nullptr, nullptr, &head_, nullptr);
    return c && expr::eval_condition(*c, fetch);
  }

  http::MsgHead head_;
};

TEST_F(HeaderFetch, HdrGivesTheLastElementByDefault) { EXPECT_EQ(value("req.hdr(x-a)"), "four"); }

TEST_F(HeaderFetch, HdrCountsCommaElementsOutsideQuotes) {
  EXPECT_EQ(value("req.hdr(x-a,1)"), "one");
  EXPECT_EQ(value("req.hdr(x-a,2)"), "two");
  EXPECT_EQ(value("req.hdr(x-a,3)"), "\"th,ree\"");
  EXPECT_EQ(value("req.hdr(x-a,4)"), "four");
  EXPECT_EQ(value("req.hdr(x-a,5)"), "<none>");
  EXPECT_EQ(value("req.hdr_cnt(x-a)"), "4");
}

TEST_F(HeaderFetch, NegativeOccurrencesCountFromTheEnd) {
  EXPECT_EQ(value("req.hdr(x-a,-1)"), "four");
  EXPECT_EQ(value("req.hdr(x-a,-4)"), "one");
  EXPECT_EQ(value("req.hdr(x-a,-5)"), "<none>");
}

TEST_F(HeaderFetch, FhdrTakesWholeLines) {
  EXPECT_EQ(value("req.fhdr(x-a)"), "four");
  EXPECT_EQ(value("req.fhdr(x-a,1)"), "one, two");
  EXPECT_EQ(value("req.fhdr(x-a,-2)"), "\"th,ree\"");
  EXPECT_EQ(value("req.fhdr_cnt(x-a)"), "3");
}

TEST_F(HeaderFetch, EmptyValueIsAnEmptySample) {
  EXPECT_EQ(value("req.hdr(x-empty)"), "");
  EXPECT_EQ(value("req.hdr_cnt(x-empty)"), "1");
}

TEST_F(HeaderFetch, MissingHeaderHasNoSample) {
  EXPECT_EQ(value("req.hdr(x-none)"), "<none>");
  EXPECT_EQ(value("req.hdr(x-none,1)"), "<none>");
}

TEST_F(HeaderFetch, AclTriesEveryOccurrence) {
  EXPECT_TRUE(matches({"if", "{", "req.hdr(x-a)", "one", "}"}));
  EXPECT_TRUE(matches({"if", "{", "req.hdr(x-a)", "two", "}"}));
  EXPECT_TRUE(matches({"if", "{", "req.hdr(x-a)", "four", "}"}));
  EXPECT_FALSE(matches({"if", "{", "req.hdr(x-a)", "five", "}"}));
  // With an occurrence only that one is tried.
  EXPECT_FALSE(matches({"if", "{", "req.hdr(x-a,1)", "two", "}"}));
  EXPECT_TRUE(matches({"if", "{", "req.hdr(x-a,2)", "two", "}"}));
}

TEST_F(HeaderFetch, WrittenValuesAreSeenWithoutSurroundingWhitespace) {
  // HAProxy's http_after_response.vtc: `set-header sl1 "sl1: "` then
  // "%[res.fhdr(sl1)] status" gives "sl1: status", one space.
  EXPECT_EQ(value("req.fhdr(x-set)"), "a, b");
  EXPECT_EQ(value("req.hdr(x-set,1)"), "a");
  EXPECT_EQ(value("req.hdr(x-set)"), "b");
  EXPECT_EQ(value("req.fhdr(x-set),length"), "4");
}

}  // namespace
}  // namespace hearth::stream
