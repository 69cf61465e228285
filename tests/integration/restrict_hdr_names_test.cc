// option http-restrict-req-hdr-names, compared with HAProxy 2.6. A request
// carries "X-my_hdr" and "x.dot" (names with characters other than letters,
// digits and '-') and "Good-1". preserve forwards them all; delete drops the
// two, after the proxy's http-request rules (so a field a rule added with
// such a name goes too); reject answers the proxy's 403, logged PR--, before
// the legacy redirect rules and even after an allow, keeping the connection.
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "http_test_util.h"
#include "support/ports.h"

namespace hearth::test::http {
namespace {

struct Case {
  const char* name;
  std::string backend_lines;
  int status;
  std::vector<std::string> forwarded;  // which of the names the server got
};

const std::vector<Case>& cases() {
  static const std::vector<Case> c = {
      {"Default", "", 200, {"x-my_hdr", "x.dot", "good-1"}},
      {"Preserve",
       "  option http-restrict-req-hdr-names preserve\n",
       200,
       {"x-my_hdr", "x.dot", "good-1"}},
      {"Delete", "  option http-restrict-req-hdr-names delete\n", 200, {"good-1"}},
      {"DeleteAfterRules",
       "  option http-restrict-req-hdr-names delete\n  http-request set-header x-by_rule 1\n",
       200,
       {"good-1"}},
      {"Reject", "  option http-restrict-req-hdr-names reject\n", 403, {}},
      {"RejectAfterAllow",
       "  option http-restrict-req-hdr-names reject\n  http-request allow\n",
       403,
       {}},
      {"RejectBeforeRedirect",
       "  option http-restrict-req-hdr-names reject\n  redirect location /elsewhere\n",
       403,
       {}},
  };
  return c;
}

struct Seen {
  int status = 0;
  std::vector<std::string> forwarded;
  int next_status = 0;  // a second request on the same connection
  std::string log;
};

Seen run(const std::string& binary, const Case& c, HttpBackend& backend) {
  HearthHttpConfig cfg;
  cfg.fe_port = free_tcp_port();
  cfg.be_port = backend.port();
  cfg.global_extra = "  log stdout format raw local0\n";
  cfg.defaults_extra = "  log global\n  option httplog\n";
  cfg.be_extra = c.backend_lines;
  HearthOptions opt{.wait_ports = {cfg.fe_port}};
  if (!binary.empty()) opt.binary = binary, opt.extra_args = {"-db"};
  HearthProcess h(hearth_http_config(cfg), opt);
  EXPECT_TRUE(h.ready()) << binary << ": " << h.describe();
  Seen s;
  if (!h.ready()) return s;
  const size_t before = backend.request_count();
  HttpClient client(cfg.fe_port);
  const HttpResponse r = client.request("GET", "/", {"X-my_hdr: on", "x.dot: 1", "Good-1: 2"});
  s.status = r.status;
  if (r.status == 200 && backend.wait_requests(before + 1, std::chrono::milliseconds{2000})) {
    for (const char* n : {"x-my_hdr", "x.dot", "good-1", "x-by_rule"})
      if (backend.requests().back().header(n)) s.forwarded.push_back(n);
  }
  s.next_status = client.request("GET", "/").status;
  h.stop();
  s.log = h.output();
  return s;
}

class RestrictHdrNames : public ::testing::TestWithParam<Case> {};

TEST_P(RestrictHdrNames, AsHAProxy) {
  const Case& c = GetParam();
  HttpBackend backend;
  const Seen ours = run("", c, backend);
  const Seen theirs = run("haproxy", c, backend);
  EXPECT_EQ(ours.status, c.status);
  EXPECT_EQ(ours.forwarded, c.forwarded);
  EXPECT_EQ(ours.status, theirs.status);
  EXPECT_EQ(ours.forwarded, theirs.forwarded);
  // The connection stays open for the next request, as in HAProxy (whose
  // second request, without the odd names, goes to the same backend).
  EXPECT_EQ(ours.next_status, theirs.next_status);
  if (c.status == 403) {
    EXPECT_NE(ours.log.find("<NOSRV>"), std::string::npos) << ours.log;
    EXPECT_NE(ours.log.find(" 403 "), std::string::npos) << ours.log;
    EXPECT_NE(ours.log.find(" PR-- "), std::string::npos) << ours.log;
  }
}

INSTANTIATE_TEST_SUITE_P(Policies, RestrictHdrNames, ::testing::ValuesIn(cases()),
                         [](const auto& info) { return std::string(info.param.name); });

TEST(RestrictHdrNamesConfig, ChecksAsHAProxy) {
  const std::string head =
      "defaults\n  mode http\nfrontend f\n  bind 127.0.0.1:1\n  default_backend b\nbackend b\n";
  const struct {
    std::string line;
    bool valid;
  } checks[] = {
      {"  option http-restrict-req-hdr-names delete\n", true},
      {"  option http-restrict-req-hdr-names bogus\n", false},
      {"  option http-restrict-req-hdr-names\n", false},
  };
  for (const auto& c : checks) {
    SCOPED_TRACE(c.line);
    const RunResult hp = HearthProcess::check_config(head + c.line, {}, "haproxy");
    const RunResult he = HearthProcess::check_config(head + c.line);
    EXPECT_EQ(hp.exit_code == 0, c.valid) << hp.output;
    EXPECT_EQ(he.exit_code == 0, c.valid) << he.output;
    if (!c.valid) {
      EXPECT_NE(he.output.find(he.config_path + ":7:"), std::string::npos) << he.output;
    }
  }
}

}  // namespace
}  // namespace hearth::test::http
