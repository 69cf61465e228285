// A rule value (set-header and the like) may hold any %-variable of HAProxy
// 2.6's custom log format: it prints the transaction as it stands when the
// rule runs. The same configuration goes through hearth and haproxy; the
// variables whose values do not depend on the process or the clock are
// compared exactly, the dates by shape.
#include <gtest/gtest.h>

#include <memory>
#include <regex>
#include <string>
#include <vector>

#include "http_test_util.h"
#include "support/ports.h"

namespace hearth::test::http {
namespace {

const char* kFormat =
    "ci=%ci f=%f ft=%ft b=%b s=%s HM=%HM HP=%HP HQ=%HQ HV=%HV r=%{+Q}r ST=%ST "
    "tsc=%tsc hr=%hr bq=%bq sq=%sq rc=%rc ID=%ID";

std::vector<std::string> run(const std::string& binary) {
  HttpBackend backend;
  const uint16_t port = free_tcp_port();
  const std::string cfg =
      "defaults\n  mode http\n  timeout client 5s\n  timeout server 5s\n  timeout connect 5s\n"
      "frontend fe\n  bind 127.0.0.1:" +
      std::to_string(port) +
      "\n  capture request header x-cap len 5\n"
      "  unique-id-format \"%{+X}o%ci-%fp\"\n"
      "  http-request set-header x-req-vars \"" +
      kFormat +
      "\"\n"
      "  http-request set-header x-ts \"t=%Ts%ms\"\n"
      "  http-response set-header x-res-vars \"" +
      kFormat +
      "\"\n"
      "  default_backend b\nbackend b\n  server s1 127.0.0.1:" +
      std::to_string(backend.port()) + "\n";
  HearthOptions opt{.wait_ports = {port}};
  if (!binary.empty()) opt.binary = binary, opt.extra_args = {"-db"};
  HearthProcess h(cfg, opt);
  EXPECT_TRUE(h.ready()) << binary << ": " << h.describe();
  if (!h.ready()) return {};
  HttpClient c(port);
  const HttpResponse resp = c.request("GET", "/p/a?x=1", {"X-Cap: abcdefgh"});
  EXPECT_EQ(resp.status, 200) << binary;
  const std::vector<HttpRequestRecord> reqs = backend.requests();
  EXPECT_EQ(reqs.size(), 1u);
  if (reqs.empty()) return {};
  // The unique id carries the frontend's port in hex, the same in both runs
  // only by chance of the port: masked.
  const std::regex id(R"(ID=[0-9A-F]+-[0-9A-F]+)");
  auto mask = [&](const std::string& s) { return std::regex_replace(s, id, "ID=<id>"); };
  return {mask(reqs[0].header("x-req-vars").value_or("(none)")),
          mask(resp.header("x-res-vars").value_or("(none)")),
          reqs[0].header("x-ts").value_or("(none)")};
}

TEST(RuleValueVarsVsHAProxy, SameValues) {
  const std::vector<std::string> ours = run("");
  const std::vector<std::string> theirs = run("haproxy");
  ASSERT_EQ(ours.size(), 3u);
  ASSERT_EQ(theirs.size(), 3u);
  EXPECT_EQ(ours[0], theirs[0]);
  EXPECT_EQ(ours[1], theirs[1]);
  // %Ts%ms: the date in seconds, then 3 digits of milliseconds.
  const std::regex ts(R"(t=\d{10}\d{3})");
  EXPECT_TRUE(std::regex_match(ours[2], ts)) << ours[2];
  EXPECT_TRUE(std::regex_match(theirs[2], ts)) << theirs[2];
  EXPECT_NE(ours[0].find("HM=GET HP=/p/a HQ=?x=1"), std::string::npos) << ours[0];
}

}  // namespace
}  // namespace hearth::test::http
