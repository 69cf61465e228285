// distcc_body and distcc_param in tcp-request / tcp-response content rules:
// which direction they read, and when the rules wait for more bytes.
#include <gtest/gtest.h>

#include <sstream>
#include <string>
#include <vector>

#include "expr/condition.h"
#include "stream/tcp_rules.h"

namespace hearth::stream {
namespace {

using config::TcpRule;
using Action = TcpRule::Action;

constexpr uint8_t kRequest = expr::kUseConn | expr::kUseL6Req;
constexpr uint8_t kResponse = expr::kUseConn | expr::kUseL6Res;

TcpRule rule(Action a, const std::string& cond) {
  TcpRule r;
  r.action = a;
  std::vector<std::string> words;
  std::istringstream in(cond);
  for (std::string w; in >> w;) words.push_back(w);
  std::string err;
  std::vector<std::string> warnings;
  r.cond = expr::parse_condition(words, 0, false, nullptr, expr::file_patterns(),
                                 kRequest | expr::kUseL6Res, &err, &warnings);
  EXPECT_TRUE(r.cond) << cond << ": " << err;
  return r;
}

TcpVerdict run(const std::string& cond, std::string_view bytes, bool final) {
  TcpFetch f(kRequest, nullptr, nullptr, nullptr);
  f.set_request(bytes);
  f.set_final(final);
  return eval_tcp_rules({rule(Action::kReject, cond)}, f);
}

const std::string kMsg = "DIST00000001ARGC00000002ARGV00000003gccARGV00000002-cDOTI00000004intx";

TEST(DistccFetch, ParamsAndBodies) {
  EXPECT_EQ(run("{ distcc_param(DIST) 1 }", kMsg, false), TcpVerdict::kReject);
  EXPECT_EQ(run("{ distcc_param(ARGV,2) 2 }", kMsg, false), TcpVerdict::kReject);
  EXPECT_EQ(run("{ distcc_body(ARGV,2) -m str -- -c }", kMsg, false), TcpVerdict::kReject);
  EXPECT_EQ(run("{ distcc_body(DOTI) -m str intx }", kMsg, false), TcpVerdict::kReject);
  EXPECT_EQ(run("{ distcc_param(DOTI) gt 1000000 }", kMsg, false), TcpVerdict::kPass);
}

TEST(DistccFetch, WaitsForTheTokenThenGivesUp) {
  const std::string head = kMsg.substr(0, 40);  // up to the first ARGV's body
  EXPECT_EQ(run("{ distcc_param(DOTI) -m found }", head, false), TcpVerdict::kWait);
  EXPECT_EQ(run("{ distcc_param(DOTI) -m found }", head, true), TcpVerdict::kPass);
  // Not distcc: decided at once.
  EXPECT_EQ(run("{ distcc_param(DOTI) -m found }", "GET / HTTP/1.1\r\n", false), TcpVerdict::kPass);
}

TEST(DistccFetch, ABodyNotAllHereIsUndecidedThenCut) {
  const std::string part = kMsg.substr(0, kMsg.size() - 1);  // "int" of "intx"
  // A test the bytes so far fail may pass with the rest: wait ...
  EXPECT_EQ(run("{ distcc_body(DOTI) -m str intx }", part, false), TcpVerdict::kWait);
  EXPECT_EQ(run("{ distcc_body(DOTI) -m str intx }", kMsg, false), TcpVerdict::kReject);
  // ... and at the end of the wait, the body is what came.
  EXPECT_EQ(run("{ distcc_body(DOTI) -m str intx }", part, true), TcpVerdict::kPass);
  EXPECT_EQ(run("{ distcc_body(DOTI) -m str int }", part, true), TcpVerdict::kReject);
  // A test that passes is decided (three-valued logic), and the parameter is
  // known as soon as the header is.
  EXPECT_EQ(run("{ distcc_body(DOTI) -m found }", part, false), TcpVerdict::kReject);
  EXPECT_EQ(run("{ distcc_param(DOTI) 4 }", part, false), TcpVerdict::kReject);
}

TEST(DistccFetch, ResponseRulesReadTheResponse) {
  TcpFetch f(kResponse, nullptr, nullptr, nullptr);
  f.set_request("DONE00000009");
  f.set_response("DONE00000000STAT00000000SERR00000002no");
  f.set_final(false);
  EXPECT_EQ(eval_tcp_rules({rule(Action::kClose, "{ distcc_param(DONE) 0 }")}, f),
            TcpVerdict::kClose);
  EXPECT_EQ(eval_tcp_rules({rule(Action::kClose, "{ distcc_body(SERR) -m str no }")}, f),
            TcpVerdict::kClose);
}

TEST(DistccFetch, TokenNamesAreFourBytes) {
  std::string err;
  std::vector<std::string> warnings;
  for (const char* bad : {"{ distcc_param(DOT) 1 }", "{ distcc_body(DOTIX) -m found }",
                          "{ distcc_param(DOTI,x) 1 }", "{ distcc_body -m found }"}) {
    std::vector<std::string> words;
    std::istringstream in(bad);
    for (std::string w; in >> w;) words.push_back(w);
    EXPECT_FALSE(expr::parse_condition(words, 0, false, nullptr, expr::file_patterns(), kRequest,
                                       &err, &warnings))
        << bad;
  }
}

}  // namespace
}  // namespace hearth::stream
