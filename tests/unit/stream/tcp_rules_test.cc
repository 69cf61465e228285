// tcp-request / tcp-response content rules on buffered bytes: the layer 6
// fetches, the three-valued conditions that make a list wait for more bytes,
// and what a final evaluation (end of the inspect-delay) decides.
#include "stream/tcp_rules.h"

#include <gtest/gtest.h>

#include <sstream>
#include <string>
#include <vector>

#include "expr/condition.h"
#include "expr/sample_expr.h"
#include "stream/http_captures.h"
#include "stream/txn_vars.h"

namespace hearth::stream {
namespace {

using config::TcpRule;
using Action = TcpRule::Action;

constexpr uint8_t kContent = expr::kUseConn | expr::kUseL6Req;

TcpRule rule(Action a, const std::string& cond = "", bool unless = false) {
  TcpRule r;
  r.action = a;
  if (cond.empty()) return r;
  std::vector<std::string> words;
  std::istringstream in(cond);
  for (std::string w; in >> w;) words.push_back(w);
  std::string err;
  std::vector<std::string> warnings;
  auto c = expr::parse_condition(words, 0, unless, nullptr, expr::file_patterns(),
                                 kContent | expr::kUseL6Res, &err, &warnings);
  EXPECT_TRUE(c) << cond << ": " << err;
  r.cond = std::move(c);
  return r;
}

TcpVerdict run(const std::vector<TcpRule>& rules, std::string_view bytes, bool final) {
  TcpFetch f(kContent, nullptr, nullptr, nullptr);
  f.set_request(bytes);
  f.set_final(final);
  return eval_tcp_rules(rules, f);
}

TEST(TcpContentRules, WaitsUntilDecidedOrFinal) {
  const std::vector<TcpRule> rules = {rule(Action::kAccept, "{ req.len ge 4 }"),
                                      rule(Action::kReject)};
  EXPECT_EQ(run(rules, "ab", false), TcpVerdict::kWait);
  EXPECT_EQ(run(rules, "abcd", false), TcpVerdict::kPass);
  // At the end of the delay the rule is false and the next one applies.
  EXPECT_EQ(run(rules, "ab", true), TcpVerdict::kReject);
}

TEST(TcpContentRules, DefiniteAnswersDoNotWait) {
  // Not TLS at all: ssl_hello_type can never match, the rule is skipped.
  const std::vector<TcpRule> rules = {rule(Action::kAccept, "{ req.ssl_hello_type 1 }"),
                                      rule(Action::kReject)};
  EXPECT_EQ(run(rules, "GET / HTTP/1.1\r\n", false), TcpVerdict::kReject);
  EXPECT_EQ(run(rules, std::string("\x16\x03\x01\x00", 4), false), TcpVerdict::kWait);
  // A match that may change later still passes at once.
  EXPECT_EQ(run({rule(Action::kReject, "{ req.len gt 1 }")}, "abc", false), TcpVerdict::kReject);
}

TEST(TcpContentRules, WaitEndAndReqContent) {
  const std::vector<TcpRule> wait_end = {rule(Action::kAccept, "WAIT_END")};
  EXPECT_EQ(run(wait_end, "x", false), TcpVerdict::kWait);
  EXPECT_EQ(run(wait_end, "x", true), TcpVerdict::kPass);
  const std::vector<TcpRule> content = {rule(Action::kReject, "REQ_CONTENT", true)};
  EXPECT_EQ(run(content, "", false), TcpVerdict::kWait);
  EXPECT_EQ(run(content, "x", false), TcpVerdict::kPass);
  // unless on an undecided condition at the end: HAProxy applies the rule.
  EXPECT_EQ(run(content, "", true), TcpVerdict::kReject);
  // A negated missing term stays missing.
  EXPECT_EQ(run({rule(Action::kReject, "!{ req.len ge 3 }")}, "a", false), TcpVerdict::kWait);
  // An OR with a definite match does not wait for the other side.
  EXPECT_EQ(run({rule(Action::kReject, "{ req.len ge 3 } || { req.payload(0,1) -m bin 61 }")}, "a",
                false),
            TcpVerdict::kReject);
}

TEST(TcpContentRules, Payloads) {
  const std::string msg = std::string("\x00\x03xyzTAIL", 9);
  EXPECT_EQ(run({rule(Action::kReject, "{ req.payload(2,3) -m str xyz }")}, msg, false),
            TcpVerdict::kReject);
  EXPECT_EQ(run({rule(Action::kReject, "{ req.payload(2,30) -m str xyz }")}, msg, false),
            TcpVerdict::kWait);
  EXPECT_EQ(run({rule(Action::kReject, "{ req.payload(2,30) -m str xyz }")}, msg, true),
            TcpVerdict::kPass);
  EXPECT_EQ(run({rule(Action::kReject, "{ req.payload(5,0) -m str TAIL }")}, msg, true),
            TcpVerdict::kReject);
  EXPECT_EQ(run({rule(Action::kReject, "{ req.payload_lv(0,2) -m str xyz }")}, msg, false),
            TcpVerdict::kReject);
  EXPECT_EQ(run({rule(Action::kReject, "{ req.payload_lv(0,2,+3) -m str TAI }")}, msg, false),
            TcpVerdict::kReject);
  // A length field far beyond the bytes: waits, then gives nothing.
  const std::string huge = std::string("\xff\xff\xff\xff", 4) + "abc";
  EXPECT_EQ(run({rule(Action::kReject, "{ req.payload_lv(0,4) -m found }")}, huge, false),
            TcpVerdict::kWait);
  EXPECT_EQ(run({rule(Action::kReject, "{ req.payload_lv(0,4) -m found }")}, huge, true),
            TcpVerdict::kPass);
}

// A converter that decides for good ends the wait (as HAProxy's fix_is_valid
// clearing SMP_F_MAY_CHANGE): garbage is rejected at once, a prefix waits.
TEST(TcpContentRules, SettlingConverterEndsTheWait) {
  const std::vector<TcpRule> rules = {
      rule(Action::kReject, "{ req.payload(0,0),fix_is_valid }", true)};
  EXPECT_EQ(run(rules, "GET / HTTP/1.1\r\n", false), TcpVerdict::kReject);
  const std::string prefix = std::string("8=FIX.4.4\x01") + "9=1";
  EXPECT_EQ(run(rules, prefix, false), TcpVerdict::kWait);
  EXPECT_EQ(run(rules, prefix, true), TcpVerdict::kReject);
}

TEST(TcpContentRules, ResponseBytes) {
  TcpFetch f(expr::kUseConn | expr::kUseL6Res, nullptr, nullptr, nullptr);
  f.set_response("SSH-2.0-x");
  f.set_final(false);
  EXPECT_EQ(eval_tcp_rules({rule(Action::kClose, "{ res.payload(0,4) -m str SSH- }")}, f),
            TcpVerdict::kClose);
  // req.* reads nothing in a response rule.
  EXPECT_EQ(eval_tcp_rules({rule(Action::kReject, "{ req.len ge 0 }")}, f), TcpVerdict::kPass);
}

TEST(TcpContentRules, SetVarGoesOnAndReadsTheBytes) {
  std::vector<TcpRule> rules(2);
  rules[0].action = Action::kSetVar;
  std::string err;
  ASSERT_TRUE(expr::parse_var_name("txn.first", &rules[0].var, &err)) << err;
  rules[0].expr = expr::parse_sample_expr("req.payload(0,2)", kContent, &err);
  ASSERT_TRUE(rules[0].expr) << err;
  rules[1] = rule(Action::kReject, "{ var(txn.first) -m bin 6869 }");
  TxnVars vars;
  TcpFetch f(kContent, nullptr, nullptr, nullptr);
  f.set_vars(&vars, nullptr);
  f.set_request("hi there");
  EXPECT_EQ(eval_tcp_rules(rules, f), TcpVerdict::kReject);
}

// capture EXPR len N fills its slot (cut to N) and goes on; an expression
// without a sample leaves the slot empty.
TEST(TcpContentRules, CaptureFillsItsSlotAndGoesOn) {
  std::vector<TcpRule> rules(3);
  std::string err;
  for (int i = 0; i < 2; ++i) {
    rules[size_t(i)].action = Action::kCapture;
    rules[size_t(i)].cap_id = i;
  }
  rules[0].expr = expr::parse_sample_expr("req.payload(0,5)", kContent, &err);
  rules[1].expr = expr::parse_sample_expr("req.payload(10,2)", kContent, &err);
  ASSERT_TRUE(rules[0].expr && rules[1].expr) << err;
  rules[2] = rule(Action::kReject, "{ capture.req.hdr(0) -m str hel }");
  const std::vector<config::CaptureSlot> slots = {{{}, "", 3}, {{}, "", 4}};
  const std::vector<config::CaptureSlot> none;
  TxnCaptures caps;
  caps.reset(slots, none);
  TcpFetch f(kContent, nullptr, nullptr, nullptr);
  f.set_captures(&caps, nullptr, false);
  f.set_request("hello");
  EXPECT_EQ(eval_tcp_rules(rules, f), TcpVerdict::kReject);
  std::string_view v;
  ASSERT_TRUE(caps.get(false, 0, &v));
  EXPECT_EQ(v, "hel");
  EXPECT_FALSE(caps.get(false, 1, &v));
}

// set-src & co without a client connection (no session): nothing changes
// and the list goes on.
TEST(TcpContentRules, AddressActionsGoOn) {
  std::vector<TcpRule> rules(2);
  std::string err;
  rules[0].action = Action::kSetSrc;
  rules[0].expr = expr::parse_sample_expr("str(10.0.0.1)", kContent, &err);
  ASSERT_TRUE(rules[0].expr) << err;
  rules[1] = rule(Action::kReject);
  TcpFetch f(kContent, nullptr, nullptr, nullptr);
  EXPECT_EQ(eval_tcp_rules(rules, f), TcpVerdict::kReject);
}

}  // namespace
}  // namespace hearth::stream
