// eval_http_rules: header rules run in the order written, on a head's fields,
// and the first final action stops the evaluation (HAProxy's semantics).
#include "stream/http_rules.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "expr/condition.h"
#include "expr/regex.h"
#include "expr/sample_expr.h"
#include "stream/sample_fetch.h"

namespace hearth::stream {
namespace {

using Action = config::HttpRule::Action;

config::HttpRule rule(Action a, std::string name = {}, std::string value = {}, int status = 0) {
  config::HttpRule r{};
  r.action = a;
  r.name = std::move(name);
  r.value = std::move(value);
  r.status = status;
  return r;
}

// "if|unless WORDS..." as the configuration gives it.
std::shared_ptr<const expr::Condition> cond(const std::string& text) {
  std::vector<std::string> words;
  size_t p = 0;
  while (p < text.size()) {
    const size_t e = text.find(' ', p);
    words.push_back(text.substr(p, e - p));
    if (e == std::string::npos) break;
    p = e + 1;
  }
  std::string err;
  std::vector<std::string> warnings;
  auto c = expr::parse_condition(words, 1, words[0] == "unless", nullptr, expr::file_patterns(),
                                 expr::kUseConn | expr::kUseReq, &err, &warnings);
  EXPECT_NE(c, nullptr) << err;
  return c;
}

config::HttpRule when(config::HttpRule r, const std::string& c) {
  r.cond = cond(c);
  return r;
}

std::string run(const std::vector<config::HttpRule>& rules,
                const std::vector<std::pair<std::string, std::string>>& in,
                const config::HttpRule** final_rule = nullptr) {
  http::MsgHead head;
  EXPECT_TRUE(head.init(in.size() + fields_added_by(rules)));
  http::HeaderList& l = head.fields();
  for (const auto& [n, v] : in) l.add(n, v);
  bool full = false;
  TxnFetch fetch(expr::kUseConn | expr::kUseReq, nullptr, nullptr, nullptr, &head, nullptr);
  const config::HttpRule* f = eval_http_rules(rules, head, &full, fetch);
  EXPECT_FALSE(full);
  if (final_rule) *final_rule = f;
  std::string out;
  for (const http::HeaderField& h : l)
    out += std::string(h.name) + ": " + std::string(h.value) + "|";
  return out;
}

TEST(HttpRules, SetThenDelLeavesNothing) {
  EXPECT_EQ(run({rule(Action::kSetHeader, "X-A", "one"), rule(Action::kDelHeader, "X-A")},
                {{"X-A", "client"}, {"Host", "h"}}),
            "Host: h|");
}

TEST(HttpRules, DelThenSetLeavesTheSetValue) {
  EXPECT_EQ(run({rule(Action::kDelHeader, "X-A"), rule(Action::kSetHeader, "X-A", "one")},
                {{"X-A", "client"}, {"Host", "h"}}),
            "Host: h|X-A: one|");
}

TEST(HttpRules, AddAppendsAfterWhatIsThere) {
  EXPECT_EQ(run({rule(Action::kAddHeader, "X-A", "one"), rule(Action::kAddHeader, "x-a", "two")},
                {{"X-A", "client"}}),
            "X-A: client|X-A: one|x-a: two|");
}

TEST(HttpRules, SetAfterAddReplacesBoth) {
  EXPECT_EQ(run({rule(Action::kAddHeader, "X-A", "one"), rule(Action::kSetHeader, "X-A", "two")},
                {{"X-A", "client"}}),
            "X-A: two|");
}

TEST(HttpRules, AddAfterSetKeepsBoth) {
  EXPECT_EQ(run({rule(Action::kSetHeader, "X-A", "one"), rule(Action::kAddHeader, "X-A", "two")},
                {{"X-A", "client"}}),
            "X-A: one|X-A: two|");
}

TEST(HttpRules, FirstFinalActionStops) {
  const config::HttpRule* f = nullptr;
  std::vector<config::HttpRule> rules = {
      rule(Action::kSetHeader, "X-A", "one"), rule(Action::kDeny, {}, {}, 403),
      rule(Action::kReturn, {}, "x", 200), rule(Action::kDelHeader, "X-A")};
  EXPECT_EQ(run(rules, {}, &f), "X-A: one|");  // the del after the deny never ran
  ASSERT_NE(f, nullptr);
  EXPECT_EQ(f->action, Action::kDeny);
}

TEST(HttpRules, NoRulesNoChange) {
  const config::HttpRule deny = rule(Action::kDeny);
  const config::HttpRule* f = &deny;  // must be reset to nullptr
  EXPECT_EQ(run({}, {{"a", "1"}}, &f), "a: 1|");
  EXPECT_EQ(f, nullptr);
}

TEST(HttpRules, FullListIsReported) {
  http::MsgHead head;
  ASSERT_TRUE(head.init(1));
  http::HeaderList& l = head.fields();
  l.add("a", "1");
  bool full = false;
  std::vector<config::HttpRule> rules;
  for (size_t i = 0; i <= l.capacity(); ++i) rules.push_back(rule(Action::kAddHeader, "b", "2"));
  TxnFetch fetch(expr::kUseConn | expr::kUseReq, nullptr, nullptr, nullptr, &head, nullptr);
  const config::HttpRule* f = eval_http_rules(rules, head, &full, fetch);
  EXPECT_TRUE(full);
  EXPECT_NE(f, nullptr);
}

TEST(HttpRules, ReserveKeepsFieldsAndMakesRoom) {
  http::MsgHead head;
  ASSERT_TRUE(head.init(1));
  http::HeaderList& l = head.fields();
  l.add("a", "1");
  EXPECT_TRUE(head.reserve_fields(100));
  EXPECT_GE(l.capacity(), 101u);
  for (int i = 0; i < 100; ++i) EXPECT_TRUE(l.add("b", "2"));
  EXPECT_EQ(l[0].name, "a");
}

config::HttpRule replace(Action a, std::string name, const char* re, std::string fmt) {
  config::HttpRule r = rule(a, std::move(name), std::move(fmt));
  std::string err;
  r.regex = expr::Regex::compile(re, &err);
  EXPECT_NE(r.regex, nullptr) << err;
  return r;
}

TEST(HttpRules, ReplaceHeaderReplacesTheWholeValueOfEachMatchingField) {
  EXPECT_EQ(run({replace(Action::kReplaceHeader, "X-A", "b(.)", "Z\\1")},
                {{"X-A", "abcbd"}, {"X-A", "zzz"}, {"X-B", "bq"}}),
            "X-A: Zc|X-A: zzz|X-B: bq|");
}

TEST(HttpRules, ReplaceValueWorksElementByElement) {
  EXPECT_EQ(run({replace(Action::kReplaceValue, "X-B", "^b(.*)$", "Y\\1")},
                {{"X-B", "b1 ,  b2 , c3,b4"}, {"X-B", "b1,,b2"}}),
            "X-B: Y1,Y2, c3,Y4|X-B: Y1,,Y2|");
}

TEST(HttpRules, ReplaceSeesEarlierRulesAndLaterRulesSeeIt) {
  EXPECT_EQ(run({rule(Action::kSetHeader, "X-A", "one"),
                 replace(Action::kReplaceHeader, "X-A", "^o(.*)$", "O\\1"),
                 rule(Action::kAddHeader, "X-A", "two"),
                 replace(Action::kReplaceValue, "X-A", "^t", "T")},
                {{"X-A", "client"}}),
            "X-A: One|X-A: T|");
}

TEST(HttpRules, ReplacedValuesSurviveManyRules) {
  // Values computed by rules stay valid until the head is written: each is
  // kept in the head's own storage.
  std::vector<config::HttpRule> rules;
  for (int i = 0; i < 10; ++i)
    rules.push_back(
        replace(Action::kReplaceHeader, "X-A", "^(.*)$", "\\1" + std::string(100, 'x')));
  std::string out = run(rules, {{"X-A", "v"}});
  EXPECT_EQ(out, "X-A: v" + std::string(1000, 'x') + "|");
}

TEST(HttpRules, ValuesBeyondTheHeadsStorageAreReportedFull) {
  // A rewrite that cannot fit fails as in HAProxy (the stream answers 500/502).
  std::vector<config::HttpRule> rules;
  for (int i = 0; i < 200; ++i)
    rules.push_back(
        replace(Action::kReplaceHeader, "X-A", "^(.*)$", "\\1" + std::string(100, 'x')));
  http::MsgHead head;
  ASSERT_TRUE(head.init(1));
  head.fields().add("X-A", "v");
  bool full = false;
  TxnFetch fetch(expr::kUseConn | expr::kUseReq, nullptr, nullptr, nullptr, &head, nullptr);
  EXPECT_NE(eval_http_rules(rules, head, &full, fetch), nullptr);
  EXPECT_TRUE(full);
}

TEST(HttpRules, FieldsAddedCountsSetAndAdd) {
  EXPECT_EQ(fields_added_by({rule(Action::kSetHeader, "a", "1"), rule(Action::kAddHeader, "b", "2"),
                             rule(Action::kDelHeader, "c"), rule(Action::kDeny)}),
            2u);
}

TEST(HttpRules, ConditionsDecideWhichRulesRun) {
  const std::vector<config::HttpRule> rules = {
      when(rule(Action::kSetHeader, "X-Seen", "a"), "if { req.hdr(x-a) -m found }"),
      when(rule(Action::kSetHeader, "X-Missing", "b"), "if { req.hdr(x-none) -m found }"),
      when(rule(Action::kSetHeader, "X-Not", "c"), "unless { req.hdr(x-a) one }"),
      when(rule(Action::kSetHeader, "X-Or", "d"), "if FALSE || { req.hdr(x-a) -i ONE }"),
      when(rule(Action::kDelHeader, "X-A"), "if TRUE !FALSE")};
  EXPECT_EQ(run(rules, {{"X-A", "one"}}), "X-Seen: a|X-Or: d|");
}

TEST(HttpRules, SkippedFinalRuleDoesNotStopEvaluation) {
  const std::vector<config::HttpRule> rules = {
      when(rule(Action::kDeny, {}, {}, 403), "if { req.hdr(x-block) -m found }"),
      rule(Action::kAddHeader, "X-B", "1"),
      when(rule(Action::kReturn, {}, {}, 200), "if { req.hdr(x-b) 1 }"),
      rule(Action::kAddHeader, "X-C", "never")};
  const config::HttpRule* f = nullptr;
  EXPECT_EQ(run(rules, {}, &f), "X-B: 1|");
  ASSERT_NE(f, nullptr);
  EXPECT_EQ(f->action, Action::kReturn);
}

TEST(HttpRules, AllowEndsTheListWithoutAFinalRule) {
  const config::HttpRule placeholder = rule(Action::kDeny);
  const config::HttpRule* f = &placeholder;  // overwritten by run()
  EXPECT_EQ(run({rule(Action::kSetHeader, "a", "1"), when(rule(Action::kAllow), "if TRUE"),
                 rule(Action::kSetHeader, "b", "2"), rule(Action::kDeny)},
                {}, &f),
            "a: 1|");
  EXPECT_EQ(f, nullptr);
  // An allow whose condition fails is skipped.
  EXPECT_EQ(run({when(rule(Action::kAllow), "if FALSE"), rule(Action::kSetHeader, "b", "2")}, {}),
            "b: 2|");
}

// Evaluates `rules` on a head that holds one field and has room for no more.
// Returns: "full" or the fields after the rules.
std::string run_on_full_head(const std::vector<config::HttpRule>& rules) {
  http::MsgHead head;
  EXPECT_TRUE(head.init(1));
  head.fields().add("x", "1");
  bool full = false;
  TxnFetch fetch(expr::kUseConn | expr::kUseReq, nullptr, nullptr, nullptr, &head, nullptr);
  eval_http_rules(rules, head, &full, fetch);
  if (full) return "full";
  std::string out;
  for (const http::HeaderField& h : head.fields())
    out += std::string(h.name) + ": " + std::string(h.value) + "|";
  return out;
}

TEST(HttpRules, StrictModeOffSkipsAFailedRewrite) {
  config::HttpRule off = rule(Action::kStrictMode);
  off.strict_on = false;
  config::HttpRule on = rule(Action::kStrictMode);
  // Strict by default: the field that does not fit is an error.
  EXPECT_EQ(run_on_full_head({rule(Action::kAddHeader, "y", "2")}), "full");
  // Off: skipped, and the rules after it still run.
  EXPECT_EQ(run_on_full_head(
                {off, rule(Action::kAddHeader, "y", "2"), rule(Action::kSetHeader, "x", "3")}),
            "x: 3|");
  // Back on: the next failure counts again.
  EXPECT_EQ(run_on_full_head(
                {off, rule(Action::kAddHeader, "y", "2"), on, rule(Action::kAddHeader, "z", "3")}),
            "full");
}

TEST(HttpRules, SetStatusWithDefaultOrGivenReason) {
  http::MsgHead head;
  ASSERT_TRUE(head.init(0));
  head.status = 200;
  head.reason = "OK";
  bool full = false;
  TxnFetch fetch(expr::kUseConn | expr::kUseRes, nullptr, nullptr, nullptr, nullptr, &head);
  eval_http_rules({rule(Action::kSetStatus, {}, {}, 404)}, head, &full, fetch);
  EXPECT_EQ(head.status, 404);
  EXPECT_EQ(head.reason, "Not Found");
  // HAProxy's own reasons where they differ, then the class.
  eval_http_rules({rule(Action::kSetStatus, {}, {}, 502)}, head, &full, fetch);
  EXPECT_EQ(head.reason, "Bad Gateway or Proxy Error");
  eval_http_rules({rule(Action::kSetStatus, {}, {}, 234)}, head, &full, fetch);
  EXPECT_EQ(head.reason, "Success");
  eval_http_rules({rule(Action::kSetStatus, {}, {}, 999)}, head, &full, fetch);
  EXPECT_EQ(head.reason, "Other");
  config::HttpRule r = rule(Action::kSetStatus, {}, "Slow Down", 503);
  r.has_body = true;
  const std::vector<config::HttpRule> with_reason = {r};  // the reason is a view into it
  eval_http_rules(with_reason, head, &full, fetch);
  EXPECT_EQ(head.status, 503);
  EXPECT_EQ(head.reason, "Slow Down");
  EXPECT_FALSE(full);
}

// set-timeout writes the stream's override: a fixed value, or an
// expression's integer; no sample or a negative one leaves it unchanged.
TEST(HttpRules, SetTimeoutWritesTheOverride) {
  auto expr_of = [](const std::string& text) {
    std::string err;
    auto e = expr::parse_sample_expr(text, expr::kUseConn | expr::kUseReq, &err);
    EXPECT_NE(e, nullptr) << err;
    return std::shared_ptr<const expr::SampleExpr>(std::move(e));
  };
  config::HttpRule fixed = rule(Action::kSetTimeout);
  fixed.wait_ms = 2500;
  config::HttpRule tunnel = rule(Action::kSetTimeout);
  tunnel.timeout_tunnel = true;
  tunnel.expr = expr_of("req.hdr(x-t)");
  config::HttpRule none = rule(Action::kSetTimeout);
  none.expr = expr_of("req.hdr(x-missing)");
  config::HttpRule negative = rule(Action::kSetTimeout);
  negative.expr = expr_of("int(-5)");
  http::MsgHead head;
  ASSERT_TRUE(head.init(1));
  head.fields().add("x-t", "1234");
  bool full = false;
  TxnFetch fetch(expr::kUseConn | expr::kUseReq, nullptr, nullptr, nullptr, &head, nullptr);
  TimeoutOverride t;
  fetch.set_timeouts(&t);
  EXPECT_EQ(eval_http_rules({fixed, tunnel, none, negative}, head, &full, fetch), nullptr);
  EXPECT_EQ(t.server, 2500);
  EXPECT_EQ(t.tunnel, 1234);
  TimeoutOverride untouched;
  fetch.set_timeouts(&untouched);
  eval_http_rules({none, negative}, head, &full, fetch);
  EXPECT_EQ(untouched.server, -1);
  EXPECT_EQ(untouched.tunnel, -1);
}

}  // namespace
}  // namespace hearth::stream
