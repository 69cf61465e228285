// http-request / http-response rules run in the order written, on the message
// in place, exactly as HAProxy runs them. Each case starts Hearth and then
// HAProxy itself on the same configuration, sends the same request, and
// compares the x-* fields the server received (request rules) or the client
// received (response rules); each case also states the expected fields, so a
// difference in both is caught too.
#include <gtest/gtest.h>

#include <string>
#include <utility>
#include <vector>

#include "http_test_util.h"
#include "support/ports.h"

namespace hearth::test::http {
namespace {

using Fields = std::vector<std::pair<std::string, std::string>>;

struct RuleCase {
  const char* name;
  std::string fe_rules, be_rules;
  std::vector<std::string> client_fields;  // sent with the request
  Fields want;                             // x-a/x-b/x-c/x-r fields, in order
};

// The fields the test cares about, in order (the backend's own x-conn,
// x-req and x-target are left out).
Fields interesting(const Fields& all) {
  Fields out;
  for (const auto& f : all)
    if (f.first == "x-a" || f.first == "x-b" || f.first == "x-c" || f.first == "x-r")
      out.push_back(f);
  return out;
}

std::string show(const Fields& f) {
  std::string out;
  for (const auto& [n, v] : f) out += n + ": " + v + " | ";
  return out;
}

struct Seen {
  Fields request;   // what the server received
  Fields response;  // what the client received
  std::string error;
};

// Runs one request through `binary` ("" = hearth) configured with the case.
Seen run_through(const std::string& binary, const RuleCase& c, HttpBackend& backend) {
  HearthHttpConfig cfg;
  cfg.fe_port = free_tcp_port();
  cfg.be_port = backend.port();
  cfg.fe_extra = c.fe_rules;
  cfg.be_extra = c.be_rules;
  HearthOptions opt;
  opt.wait_ports = {cfg.fe_port};
  if (!binary.empty()) {
    opt.binary = binary;
    opt.extra_args = {"-db"};
  }
  HearthProcess proc(hearth_http_config(cfg), opt);
  Seen s;
  if (!proc.ready()) {
    s.error = proc.describe();
    return s;
  }
  const size_t before = backend.request_count();
  HttpClient client(cfg.fe_port);
  HttpResponse r = client.request("GET", "/", c.client_fields);
  if (r.status != 200 || !backend.wait_requests(before + 1, milliseconds{2000})) {
    s.error = "status " + std::to_string(r.status) + "; " + proc.output();
    return s;
  }
  s.request = interesting(backend.requests().back().headers);
  s.response = interesting(r.headers);
  proc.stop();
  return s;
}

class HttpRulesOrder : public ::testing::TestWithParam<RuleCase> {};

TEST_P(HttpRulesOrder, SameFieldsAsHAProxy) {
  const RuleCase& c = GetParam();
  HttpBackend backend;
  Seen hearth = run_through("", c, backend);
  ASSERT_EQ(hearth.error, "");
  Seen haproxy = run_through("haproxy", c, backend);
  ASSERT_EQ(haproxy.error, "");
  const bool response_case = c.fe_rules.find("http-response") != std::string::npos ||
                             c.be_rules.find("http-response") != std::string::npos;
  const Fields& got = response_case ? hearth.response : hearth.request;
  const Fields& ref = response_case ? haproxy.response : haproxy.request;
  EXPECT_EQ(got, c.want) << "hearth: " << show(got);
  EXPECT_EQ(got, ref) << "hearth: " << show(got) << "\nhaproxy: " << show(ref);
}

const RuleCase kCases[] = {
    {"SetThenDel",
     "  http-request set-header X-A one\n  http-request del-header X-A\n",
     "",
     {"X-A: client"},
     {}},
    {"DelThenSet",
     "  http-request del-header X-A\n  http-request set-header X-A one\n",
     "",
     {"X-A: client"},
     {{"x-a", "one"}}},
    {"AddTwice",
     "  http-request add-header X-A one\n  http-request add-header X-A two\n",
     "",
     {"X-A: client"},
     {{"x-a", "client"}, {"x-a", "one"}, {"x-a", "two"}}},
    {"AddThenSet",
     "  http-request add-header X-A one\n  http-request set-header X-A two\n",
     "",
     {"X-A: client"},
     {{"x-a", "two"}}},
    {"SetThenAdd",
     "  http-request set-header X-A one\n  http-request add-header X-A two\n",
     "",
     {"X-A: client"},
     {{"x-a", "one"}, {"x-a", "two"}}},
    {"SetMovesTheFieldToTheEnd",
     "  http-request set-header X-A one\n",
     "",
     {"X-A: client", "X-B: b"},
     {{"x-b", "b"}, {"x-a", "one"}}},
    {"MixedOrder",
     "  http-request add-header X-C c1\n  http-request del-header X-B\n"
     "  http-request set-header X-A a\n  http-request add-header X-B b2\n"
     "  http-request set-header X-C c2\n",
     "",
     {"X-B: b", "X-A: client"},
     {{"x-a", "a"}, {"x-b", "b2"}, {"x-c", "c2"}}},
    {"FrontendThenBackendRequestRules",
     "  http-request set-header X-A fe\n  http-request add-header X-B fe\n",
     "  http-request del-header X-A\n  http-request add-header X-B be\n",
     {},
     {{"x-b", "fe"}, {"x-b", "be"}}},
    {"BackendThenFrontendResponseRules",
     "  http-response add-header X-R fe\n",
     "  http-response set-header X-R be\n",
     {},
     {{"x-r", "be"}, {"x-r", "fe"}}},
    {"ReplaceHeaderTakesTheWholeValue",
     "  http-request replace-header X-A b(.) Z\\1\n",
     "",
     {"X-A: abcbd", "X-A: zzz"},
     {{"x-a", "Zc"}, {"x-a", "zzz"}}},
    {"ReplaceValueElementByElement",
     "  http-request replace-value X-B ^b(.*)$ Y\\1\n",
     "",
     {"X-B: b1 ,  b2 , c3,b4"},
     {{"x-b", "Y1,Y2, c3,Y4"}}},
    {"SetThenReplace",
     "  http-request set-header X-A one\n  http-request replace-header X-A ^o(.*)$ O\\1\n",
     "",
     {"X-A: client"},
     {{"x-a", "One"}}},
    {"ReplaceThenDel",
     "  http-request replace-header X-A ^(.*)$ [\\1]\n  http-request del-header X-A\n",
     "",
     {"X-A: client"},
     {}},
    {"AddThenReplaceValueThenAdd",
     "  http-request add-header X-B b2\n  http-request replace-value X-B ^b(.)$ B\\1\n"
     "  http-request add-header X-B b3\n",
     "",
     {"X-B: b1, c1"},
     {{"x-b", "B1, c1"}, {"x-b", "B2"}, {"x-b", "b3"}}},
    {"ResponseReplaceAfterBackendSet",
     "  http-response replace-value X-R ^b(.*)$ F\\1\n",
     "  http-response set-header X-R \"be, bx\"\n",
     {},
     {{"x-r", "Fe,Fx"}}},
    {"FrontendResponseRuleSeesTheBackendOne",
     "  http-response del-header X-R\n",
     "  http-response add-header X-R be\n",
     {},
     {}},
};

INSTANTIATE_TEST_SUITE_P(Cases, HttpRulesOrder, ::testing::ValuesIn(kCases),
                         [](const auto& info) { return std::string(info.param.name); });

}  // namespace
}  // namespace hearth::test::http
