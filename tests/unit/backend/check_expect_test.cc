// The pure parts of health checks: what expect rules conclude from a reply
// (tcp-check, the protocol parsers, HTTP), HAProxy's result texts, the
// program builder's implicit rules, the HTTP response reader and the agent
// reply parser.
#include "backend/check_expect.h"

#include <gtest/gtest.h>

#include "backend/agent_reply.h"
#include "backend/check_http.h"
#include "backend/check_program.h"

namespace hearth::backend {
namespace {

using config::CheckExpect;
using config::CheckRule;
using Kind = ExpectVerdict::Kind;

CheckRule expect_rule(CheckExpect::Kind kind, const std::string& pattern) {
  CheckRule r;
  r.action = CheckRule::Action::kExpect;
  r.expect.kind = kind;
  r.expect.pattern = pattern;
  if (kind == CheckExpect::Kind::kString || kind == CheckExpect::Kind::kBinary)
    r.expect.data = pattern;
  if (kind == CheckExpect::Kind::kRString || kind == CheckExpect::Kind::kRBinary ||
      kind == CheckExpect::Kind::kRStatus) {
    std::string err;
    r.expect.regex = expr::Regex::compile(pattern, &err);
  }
  return r;
}

CheckProgram program(config::CheckType type, std::vector<CheckRule> rules) {
  config::CheckConfig c;
  c.type = type;
  c.rules_kind = type == config::CheckType::kHttp ? config::CheckConfig::RulesKind::kHttp
                                                  : config::CheckConfig::RulesKind::kTcp;
  if (type == config::CheckType::kTcp || type == config::CheckType::kHttp)
    c.rules = std::move(rules);
  else
    c.proto_rules = std::move(rules);
  return build_check_program(c);
}

struct Ctx {
  CheckFetch fetch{{"be", 1, "srv", 2}};
};

TEST(CheckProgram, ImplicitConnectIsStepZeroAndRulesKeepTheirSteps) {
  CheckProgram p = program(config::CheckType::kTcp, {expect_rule(CheckExpect::Kind::kString, "a")});
  ASSERT_EQ(p.steps.size(), 2u);
  EXPECT_EQ(p.steps[0].rule.action, CheckRule::Action::kConnect);
  EXPECT_TRUE(p.steps[0].rule.connect.implicit);
  EXPECT_EQ(p.steps[0].step, 0);
  EXPECT_EQ(p.steps[1].step, 1);
  EXPECT_EQ(step_text(p, p.steps[0]), " at initial connection step of tcp-check");
}

TEST(CheckProgram, HttpGetsADefaultRequestAndExpectation) {
  CheckProgram p = program(config::CheckType::kHttp, {});
  ASSERT_EQ(p.steps.size(), 3u);
  EXPECT_EQ(p.steps[1].rule.action, CheckRule::Action::kSend);
  EXPECT_EQ(p.steps[1].rule.send.method, "OPTIONS");
  EXPECT_EQ(p.steps[2].rule.action, CheckRule::Action::kExpect);
  EXPECT_TRUE(p.steps[2].rule.expect.implicit);
}

TEST(ContentExpect, StringWaitsForEnoughBytesThenMatches) {
  CheckProgram p =
      program(config::CheckType::kTcp, {expect_rule(CheckExpect::Kind::kString, "valid")});
  Ctx c;
  EXPECT_EQ(eval_content_expect(p, p.steps[1], "val", false, true, c.fetch).kind, Kind::kWait);
  EXPECT_EQ(eval_content_expect(p, p.steps[1], "xvalidx", false, true, c.fetch).kind,
            Kind::kContinue);
  // No match and no min-recv: more bytes may still match.
  EXPECT_EQ(eval_content_expect(p, p.steps[1], "nothing here", false, true, c.fetch).kind,
            Kind::kWait);
  ExpectVerdict v = eval_content_expect(p, p.steps[1], "nothing here", true, true, c.fetch);
  EXPECT_EQ(v.kind, Kind::kFail);
  EXPECT_EQ(v.status, CheckStatus::kL7Rsp);
  EXPECT_EQ(v.info, "TCPCHK did not match content 'valid' at step 1");
}

TEST(ContentExpect, MinRecvDecidesANegatedRegexWithoutWaiting) {
  CheckRule r = expect_rule(CheckExpect::Kind::kRString, "^error");
  r.expect.negate = true;
  r.expect.min_recv = 5;
  r.comment = "negative check";
  CheckProgram p = program(config::CheckType::kTcp, {r});
  Ctx c;
  EXPECT_EQ(eval_content_expect(p, p.steps[1], "vali", false, true, c.fetch).kind, Kind::kWait);
  EXPECT_EQ(eval_content_expect(p, p.steps[1], "valid", false, true, c.fetch).kind,
            Kind::kContinue);
  ExpectVerdict v = eval_content_expect(p, p.steps[1], "error!", false, true, c.fetch);
  EXPECT_EQ(v.kind, Kind::kFail);
  EXPECT_EQ(v.info, "TCPCHK matched unwanted content (regex) at step 1 comment: negative check");
  EXPECT_EQ(step_text(p, p.steps[1]),
            " at step 1 of tcp-check (expect regex) comment: 'negative check'");
}

TEST(ContentExpect, RBinaryMatchesTheUpperCaseHexDump) {
  CheckProgram p =
      program(config::CheckType::kTcp, {expect_rule(CheckExpect::Kind::kRBinary, "^1[56]03")});
  Ctx c;
  EXPECT_EQ(eval_content_expect(p, p.steps[1], "\x16\x03\x03", true, true, c.fetch).kind,
            Kind::kContinue);
  EXPECT_EQ(eval_content_expect(p, p.steps[1], "\x17\x03", true, true, c.fetch).kind, Kind::kFail);
}

TEST(ContentExpect, OnErrorFormatAndErrorStatusReplaceTheGenericText) {
  CheckRule r = expect_rule(CheckExpect::Kind::kString, "+PONG\r\n");
  std::string err;
  r.expect.on_error = expr::LogFormat::parse("%[res.payload(0,0),cut_crlf]", 0xff, &err);
  ASSERT_NE(r.expect.on_error, nullptr) << err;
  r.expect.error_status = CheckStatus::kL7Sts;
  CheckProgram p = program(config::CheckType::kRedis, {r});
  Ctx c;
  ExpectVerdict v = eval_content_expect(p, p.steps[1], "-ERR no\r\n", true, true, c.fetch);
  EXPECT_EQ(v.status, CheckStatus::kL7Sts);
  EXPECT_EQ(v.info, "-ERR no");
}

CheckRule custom(CheckExpect::Custom k) {
  CheckRule r;
  r.action = CheckRule::Action::kExpect;
  r.expect.kind = CheckExpect::Kind::kCustom;
  r.expect.custom = k;
  return r;
}

TEST(MysqlExpect, HandshakeGivesTheVersionAndAnErrorPacketItsCode) {
  CheckProgram p =
      program(config::CheckType::kMysql, {custom(CheckExpect::Custom::kMysqlHandshake)});
  Ctx c;
  const std::string hs = std::string("\x0b\x00\x00\x00\x0a", 5) + "8.0.19" + std::string(5, '\0');
  EXPECT_EQ(eval_content_expect(p, p.steps[1], hs.substr(0, 6), false, true, c.fetch).kind,
            Kind::kWait);
  ExpectVerdict v = eval_content_expect(p, p.steps[1], hs, false, true, c.fetch);
  EXPECT_EQ(v.kind, Kind::kPass);
  EXPECT_EQ(v.info, "8.0.19");
  const std::string err = std::string("\x09\x00\x00\x00\xff\x15\x04", 7) + "denied";
  v = eval_content_expect(p, p.steps[1], err, false, true, c.fetch);
  EXPECT_EQ(v.kind, Kind::kFail);
  EXPECT_EQ(v.status, CheckStatus::kL7Sts);
  EXPECT_EQ(v.code, 1045);
  EXPECT_EQ(v.info, "denied");
  // An empty packet is invalid, not read past (found by fuzzing).
  v = eval_content_expect(p, p.steps[1], std::string(4, '\0'), false, true, c.fetch);
  EXPECT_EQ(v.kind, Kind::kFail);
  EXPECT_EQ(v.status, CheckStatus::kL7Rsp);
}

TEST(LdapExpect, BindResponseCodes) {
  CheckProgram p = program(config::CheckType::kLdap, {custom(CheckExpect::Custom::kLdapBind)});
  Ctx c;
  auto eval = [&](const std::string& d, bool eof) {
    return eval_content_expect(p, p.steps[1], d, eof, true, c.fetch);
  };
  const std::string ok("\x30\x0c\x02\x01\x01\x61\x07\x0a\x01\x00\x04\x00\x04\x00", 14);
  EXPECT_EQ(eval(ok, false).info, "Success");
  std::string refused = ok;
  refused[9] = 1;
  EXPECT_EQ(eval(refused, false).code, 1);
  EXPECT_EQ(eval(refused, false).status, CheckStatus::kL7Sts);
  std::string other = ok;
  other[5] = 0x60;
  EXPECT_EQ(eval(other, false).info, "Not LDAPv3 protocol");
  // Long-form lengths: the result code comes later.
  const std::string head("\x30\x84\x00\x00\x00\x10\x02\x01\x01\x61\x84\x00\x00\x00\x07\x0a\x01",
                         17);
  EXPECT_EQ(eval(head, false).kind, Kind::kWait);
  EXPECT_EQ(eval(head + std::string("\x00\x04\x00\x04\x00", 5), false).info, "Success");
}

TEST(HttpExpect, StatusFailureCarriesTheReasonPhrase) {
  CheckRule r = expect_rule(CheckExpect::Kind::kStatus, "200");
  r.expect.ranges = {{200, 200}};
  CheckProgram p = program(config::CheckType::kHttp, {r});
  Ctx c;
  const CheckStep& s = p.steps.back();
  EXPECT_EQ(eval_http_expect(p, s, "HTTP/1.1 200 OK\r\n", false, true, c.fetch).kind, Kind::kWait);
  ExpectVerdict v =
      eval_http_expect(p, s, "HTTP/1.1 503 Service Unavailable\r\n\r\n", false, true, c.fetch);
  EXPECT_EQ(v.kind, Kind::kFail);
  EXPECT_EQ(v.status, CheckStatus::kL7Sts);
  EXPECT_EQ(v.code, 503);
  EXPECT_EQ(v.info, "Service Unavailable");
}

TEST(HttpExpect, HeaderValuesAreSplitAtCommasForHdrNotForFhdr) {
  CheckRule hdr;
  hdr.action = CheckRule::Action::kExpect;
  hdr.expect.kind = CheckExpect::Kind::kHdr;
  hdr.expect.name.text = "x-test";
  hdr.expect.value.emplace();
  hdr.expect.value->method = config::CheckHdrMatch::Method::kBeg;
  hdr.expect.value->text = "begin-";
  CheckRule fhdr = hdr;
  fhdr.expect.kind = CheckExpect::Kind::kFhdr;
  CheckProgram p = program(config::CheckType::kHttp, {hdr, fhdr});
  Ctx c;
  const std::string resp = "HTTP/1.1 200 OK\r\nX-Test: true, begin-value\r\n\r\n";
  // The program: connect, the default request, hdr, fhdr.
  EXPECT_EQ(eval_http_expect(p, p.steps[2], resp, true, true, c.fetch).kind, Kind::kContinue);
  EXPECT_EQ(eval_http_expect(p, p.steps[3], resp, true, true, c.fetch).kind, Kind::kFail);
}

TEST(CheckResponse, InterimHeadsAreSkippedBut101IsFinal) {
  CheckResponse r = parse_check_response(
      "HTTP/1.1 100 Continue\r\n\r\nHTTP/1.1 200 OK\r\ntransfer-encoding: chunked\r\n\r\n"
      "3\r\nabc\r\n0\r\n\r\n",
      false);
  EXPECT_EQ(r.state, CheckResponse::State::kComplete);
  EXPECT_EQ(r.status, 200);
  EXPECT_EQ(r.body, "abc");
  EXPECT_EQ(parse_check_response("HTTP/1.1 101 Switching\r\n\r\n", false).status, 101);
  EXPECT_EQ(parse_check_response("SSH-2.0\r\n", false).state, CheckResponse::State::kInvalid);
  EXPECT_EQ(parse_check_response("HTTP/1.1 200 OK\r\ncontent-length: 5\r\n\r\nab", false).state,
            CheckResponse::State::kHead);
}

TEST(AgentReply, WordsInAnyOrderTheLastOfAKindWins) {
  std::optional<AgentReply> r = parse_agent_reply("75%,maxconn:30 maint\tdown up # all fine\n");
  ASSERT_TRUE(r.has_value());
  EXPECT_EQ(r->weight, "75%");
  EXPECT_EQ(r->maxconn, "30");
  EXPECT_EQ(r->admin, "maint");
  EXPECT_EQ(r->health, "up");
  EXPECT_EQ(r->description, "all fine");
  EXPECT_EQ(r->error, "");
  EXPECT_FALSE(parse_agent_reply("up").has_value());  // no line end yet
  EXPECT_EQ(parse_agent_reply("what ready\r\n")->error, "what");
  std::string err;
  EXPECT_EQ(agent_weight("50%", 100, &err), 50);
  EXPECT_EQ(agent_weight("300%", 100, &err), std::nullopt);
  EXPECT_EQ(agent_weight("x%", 100, &err), std::nullopt);
}

}  // namespace
}  // namespace hearth::backend
