// monitor-uri and monitor fail, through hearth and HAProxy with the same
// configuration: the status, whether the rules ran, and what is matched.
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "http_test_util.h"
#include "support/ports.h"

namespace hearth::test::http {
namespace {

std::string monitor_config(uint16_t port) {
  return "defaults\n  mode http\n  timeout connect 1s\n  timeout client 5s\n"
         "  timeout server 5s\n"
         "frontend fe\n  bind 127.0.0.1:" +
         std::to_string(port) +
         "\n"
         "  monitor-uri /health\n"
         "  monitor fail if { req.hdr(x-fail) -m found }\n"
         "  http-request set-header x-rule 1\n"
         "  http-after-response set-header x-after 1\n"
         "  http-request return status 204 hdr x-rule-ran \"%[req.hdr(x-rule)]\"\n";
}

TEST(MonitorUri, SameAnswersAsHAProxy) {
  const std::vector<std::pair<std::string, std::string>> cases = {
      {"/health", ""}, {"/health", "x-fail: 1"},     {"/health?x=1", ""},  // not the same URI
      {"/hEAlth", ""}, {"http://ex.com/health", ""},  // the path of an absolute URI
      {"/other", ""},
  };
  std::vector<std::vector<std::string>> runs;
  for (const std::string binary : {"", "haproxy"}) {
    const uint16_t port = free_tcp_port();
    HearthOptions opt{.wait_ports = {port}};
    if (!binary.empty()) opt.binary = binary, opt.extra_args = {"-db"};
    HearthProcess h(monitor_config(port), opt);
    ASSERT_TRUE(h.ready()) << binary << ": " << h.describe();
    std::vector<std::string> seen;
    for (const auto& [target, field] : cases) {
      HttpClient c(port);
      std::string req = "GET " + target + " HTTP/1.1\r\nhost: ex.com\r\n";
      if (!field.empty()) req += field + "\r\n";
      ASSERT_TRUE(c.send(req + "\r\n"));
      HttpResponse r = c.read_response();
      seen.push_back(std::to_string(r.status) + " after=" + r.header("x-after").value_or("-") +
                     " rule=" + r.header("x-rule-ran").value_or("-"));
    }
    runs.push_back(seen);
  }
  for (size_t i = 0; i < cases.size(); ++i)
    EXPECT_EQ(runs[0][i], runs[1][i]) << cases[i].first << " " << cases[i].second;
  EXPECT_EQ(runs[0][0], "200 after=1 rule=-");
  EXPECT_EQ(runs[0][1], "503 after=1 rule=-");
  EXPECT_EQ(runs[0][2], "204 after=1 rule=1");
}

}  // namespace
}  // namespace hearth::test::http
