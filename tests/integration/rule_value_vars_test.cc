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
#include "support/output_lines.h"
#include "support/ports.h"
#include "support/wait.h"

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

// The state each rule phase sees: the frontend's and the backend's request
// rules, the response rules, and a return rule's own reply. Absent fields
// print nothing (not the log line's "-"); the times are masked to "n" when
// known, kept when -1 (not known yet).
const char* kPhaseFormat =
    "Tw=%Tw Tc=%Tc Tr=%Tr TR=%TR Ta=%Ta Tt=%Tt Th=%Th Ti=%Ti Tq=%Tq B=%B U=%U ts=%ts "
    "ac=%ac fc=%fc bc=%bc sc=%sc rc=%rc s=%s bi=%bi si=%si CC=%CC sslv=%sslv ID=%ID "
    "QID=%{+Q}ID ST=%ST r=%r HU=%HU HPO=%HPO";

std::vector<std::string> run_phases(const std::string& binary) {
  HttpBackend backend;
  const uint16_t port = free_tcp_port();
  const uint16_t ret_port = free_tcp_port();
  const std::string q = std::string("\"") + kPhaseFormat + "\"";
  const std::string cfg =
      "defaults\n  mode http\n  timeout client 5s\n  timeout server 5s\n  timeout connect 5s\n"
      "frontend fe\n  bind 127.0.0.1:" +
      std::to_string(port) + "\n  http-request set-header x-fe " + q +
      "\n  http-response set-header x-res " + q +
      "\n  default_backend b\n"
      "backend b\n  http-request set-header x-be " +
      q + "\n  server s1 127.0.0.1:" + std::to_string(backend.port()) +
      "\n"
      "frontend ret\n  bind 127.0.0.1:" +
      std::to_string(ret_port) + "\n  http-request return status 200 hdr x-ret " + q + "\n";
  HearthOptions opt{.wait_ports = {port, ret_port}};
  if (!binary.empty()) opt.binary = binary, opt.extra_args = {"-db"};
  HearthProcess h(cfg, opt);
  EXPECT_TRUE(h.ready()) << binary << ": " << h.describe();
  if (!h.ready()) return {};
  const HttpResponse resp = HttpClient(port).request("GET", "/p?a=1", {});
  const HttpResponse ret = HttpClient(ret_port).request("GET", "/r", {});
  EXPECT_EQ(resp.status, 200) << binary;
  EXPECT_EQ(ret.status, 200) << binary;
  const std::vector<HttpRequestRecord> reqs = backend.requests();
  EXPECT_EQ(reqs.size(), 1u);
  if (reqs.empty()) return {};
  // Times are masked; so is a negative Ta, which HAProxy prints at times
  // under load (its idle time then outgrows the elapsed time).
  const std::regex time(R"((T[a-zA-Z]|ac|fc)=\d+|(Ta)=-\d+)");
  auto mask = [&](const std::string& v) { return std::regex_replace(v, time, "$1$2=n"); };
  return {mask(reqs[0].header("x-fe").value_or("(none)")),
          mask(reqs[0].header("x-be").value_or("(none)")),
          mask(resp.header("x-res").value_or("(none)")),
          mask(ret.header("x-ret").value_or("(none)"))};
}

TEST(RuleValueVarsVsHAProxy, EachPhaseSeesWhatHAProxyShows) {
  const std::vector<std::string> ours = run_phases("");
  const std::vector<std::string> theirs = run_phases("haproxy");
  ASSERT_EQ(ours.size(), 4u);
  ASSERT_EQ(theirs.size(), 4u);
  EXPECT_EQ(ours[0], theirs[0]) << "frontend request rules";
  EXPECT_EQ(ours[1], theirs[1]) << "backend request rules";
  EXPECT_EQ(ours[2], theirs[2]) << "response rules";
  EXPECT_EQ(ours[3], theirs[3]) << "return rule";
  // Not vacuous: the phases differ where the transaction moved on.
  EXPECT_NE(ours[0].find("TR=-1"), std::string::npos) << ours[0];
  EXPECT_NE(ours[2].find("s=s1 "), std::string::npos) << ours[2];
  EXPECT_NE(ours[2].find("ST=200"), std::string::npos) << ours[2];
}

// A TCP stream's rules: the same variables, kept in variables and printed
// by the log line.
const char* kTcpFormat =
    "ci=%ci f=%f b=%b s=%s Tw=%Tw Tc=%Tc Th=%Th ts=%ts bc=%bc sc=%sc si=%si ID=%ID B=%B U=%U";

std::string run_tcp(const std::string& binary) {
  HttpBackend backend;
  const uint16_t port = free_tcp_port();
  const std::string q = std::string("\"") + kTcpFormat + "\"";
  const std::string cfg =
      "global\n  log stdout format raw local0\n"
      "defaults\n  mode tcp\n  log global\n  timeout client 5s\n  timeout server 5s\n"
      "  timeout connect 5s\n"
      "frontend fe\n  bind 127.0.0.1:" +
      std::to_string(port) +
      "\n  tcp-request inspect-delay 1s\n"
      "  tcp-request content set-var-fmt(txn.q) " +
      q +
      "\n  tcp-request content accept if { req.len gt 0 }\n"
      "  log-format \"L q=[%[var(txn.q)]] r=[%[var(txn.r)]] %ts\"\n"
      "  default_backend b\n"
      "backend b\n  tcp-response inspect-delay 1s\n"
      "  tcp-response content set-var-fmt(txn.r) " +
      q +
      "\n  tcp-response content accept if { res.len gt 0 }\n"
      "  server s1 127.0.0.1:" +
      std::to_string(backend.port()) + "\n";
  HearthOptions opt{.wait_ports = {port}};
  if (!binary.empty()) opt.binary = binary, opt.extra_args = {"-db"};
  HearthProcess h(cfg, opt);
  EXPECT_TRUE(h.ready()) << binary << ": " << h.describe();
  if (!h.ready()) return {};
  EXPECT_EQ(HttpClient(port).request("GET", "/t", {"Connection: close"}).status, 200) << binary;
  std::vector<std::string> lines;
  wait_until(
      [&] {
        lines = lines_with(h.output(), {"L q="});
        return !lines.empty();
      },
      std::chrono::milliseconds{4000});
  EXPECT_EQ(lines.size(), 1u) << binary << ": " << h.output();
  if (lines.empty()) return {};
  const std::regex time(R"((T[a-zA-Z])=\d+)");
  return std::regex_replace(lines[0], time, "$1=n");
}

TEST(RuleValueVarsVsHAProxy, TcpRulesSeeTheStream) {
  const std::string ours = run_tcp("");
  const std::string theirs = run_tcp("haproxy");
  EXPECT_EQ(ours, theirs);
  EXPECT_NE(ours.find("r=[ci=127.0.0.1 f=fe b=b s=s1 "), std::string::npos) << ours;
}

}  // namespace
}  // namespace hearth::test::http
