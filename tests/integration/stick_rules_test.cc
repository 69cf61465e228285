// stick on / match / store-request / store-response, compared with HAProxy
// 2.6 on the same configuration and traffic: the server each request goes to
// (told by an http-response header naming it), and the table's entries
// (their server_id) after each step. Real peer: nginx answers every server.
#include <gtest/gtest.h>

#include <regex>
#include <string>
#include <vector>

#include "http_test_util.h"
#include "support/ports.h"
#include "support/temp_dir.h"

namespace hearth::test::http {
namespace {

std::string masked(const std::string& out) {
  static const std::regex ptr("0x[0-9a-f]+:"), exp(" exp=[0-9]+");
  return std::regex_replace(std::regex_replace(out, ptr, "ENTRY:"), exp, " exp=X");
}

struct Step {
  std::string path;
  std::vector<std::string> headers;
  std::string cli;  // a runtime API command sent before the request, if any
};

std::vector<std::string> run(const std::string& binary, const std::string& body,
                             const std::vector<Step>& steps, const std::string& table) {
  TempDir dir;
  const std::string sock = dir.file("admin.sock");
  const uint16_t port = free_tcp_port();
  const std::string cfg =
      "global\n  stats socket " + sock +
      " level admin\ndefaults\n  mode http\n  timeout client 5s\n  timeout server 5s\n"
      "  timeout connect 2s\n" +
      std::regex_replace(body, std::regex("PORT"), std::to_string(port));
  HearthOptions opt{.wait_ports = {port}};
  if (!binary.empty()) opt.binary = binary, opt.extra_args = {"-db"};
  HearthProcess h(cfg, opt);
  EXPECT_TRUE(h.ready()) << binary << ": " << h.describe();
  std::vector<std::string> out;
  if (!h.ready()) return out;
  for (const Step& s : steps) {
    if (!s.cli.empty()) stats_command(sock, s.cli);
    HttpClient c(port);
    const HttpResponse r = c.request("GET", s.path, s.headers);
    out.push_back(s.path + " -> " + std::to_string(r.status) + " " +
                  r.header("x-srv").value_or("-") + "\n" +
                  masked(stats_command(sock, "show table " + table)));
  }
  return out;
}

std::string servers(uint16_t nginx) {
  std::string s;
  for (int i = 1; i <= 3; ++i)
    s += "  server s" + std::to_string(i) + " 127.0.0.1:" + std::to_string(nginx) + "\n";
  return s;
}

TEST(StickRulesVsHAProxy, StickOnSourceKeepsTheServerUntilItGoesDown) {
  Nginx ng;
  ASSERT_TRUE(ng.ready()) << ng.describe();
  const std::string cfg =
      "listen li\n  bind 127.0.0.1:PORT\n  balance roundrobin\n"
      "  stick-table type ip size 10 expire 1m\n"
      "  stick on src\n"
      "  http-response set-header x-srv %[srv_name]\n" +
      servers(ng.port());
  const std::vector<Step> steps = {
      {"/hello", {}, ""},
      {"/hello", {}, ""},
      {"/hello", {}, ""},
      // Its server in maintenance: balanced again, and the entry follows.
      {"/hello", {}, "disable server li/s1"},
      {"/hello", {}, "enable server li/s1"},
  };
  const auto ours = run("", cfg, steps, "li");
  const auto theirs = run("haproxy", cfg, steps, "li");
  EXPECT_EQ(ours, theirs);
  ASSERT_EQ(theirs.size(), steps.size());
  EXPECT_NE(theirs[2].find("-> 200 s1\n"), std::string::npos) << theirs[2];
  EXPECT_NE(theirs[2].find("server_id=1"), std::string::npos) << theirs[2];
  EXPECT_NE(theirs[4].find("server_id=2"), std::string::npos) << theirs[4];
}

// A non-stick server is never stored: while the first server is in
// maintenance the client lands on the non-stick one and the table stays
// empty; back on s1, the entry is made.
TEST(StickRulesVsHAProxy, NonStickServersAreNotStored) {
  Nginx ng;
  ASSERT_TRUE(ng.ready()) << ng.describe();
  const std::string cfg =
      "listen li\n  bind 127.0.0.1:PORT\n  balance first\n"
      "  stick-table type ip size 10 expire 1m\n"
      "  stick on src\n"
      "  http-response set-header x-srv %[srv_name]\n"
      "  server s1 127.0.0.1:" +
      std::to_string(ng.port()) + "\n  server s2 127.0.0.1:" + std::to_string(ng.port()) +
      " non-stick\n";
  const std::vector<Step> steps = {
      {"/hello", {}, "disable server li/s1"},
      {"/hello", {}, ""},
      {"/hello", {}, "enable server li/s1"},
  };
  const auto ours = run("", cfg, steps, "li");
  const auto theirs = run("haproxy", cfg, steps, "li");
  EXPECT_EQ(ours, theirs);
  ASSERT_EQ(ours.size(), steps.size());
  EXPECT_NE(ours[1].find("-> 200 s2\n"), std::string::npos) << ours[1];
  EXPECT_EQ(ours[1].find("server_id"), std::string::npos) << ours[1];
  EXPECT_NE(ours[2].find("server_id=1"), std::string::npos) << ours[2];
}

TEST(StickRulesVsHAProxy, MatchOnAHeaderStoredFromTheResponse) {
  Nginx ng("    location = /login { add_header x-set-sid $arg_u; return 200 \"in\\n\"; }\n");
  ASSERT_TRUE(ng.ready()) << ng.describe();
  const std::string cfg =
      "listen li\n  bind 127.0.0.1:PORT\n  balance roundrobin\n"
      "  stick-table type string len 16 size 10 expire 1m\n"
      "  stick match req.hdr(x-sid)\n"
      "  stick store-response res.hdr(x-set-sid)\n"
      "  stick store-request req.hdr(x-other) if { path /never }\n"
      "  http-response set-header x-srv %[srv_name]\n" +
      servers(ng.port());
  const std::vector<Step> steps = {
      {"/login?u=alice", {}, ""},       {"/login?u=bob", {}, ""},
      {"/hello", {"x-sid: alice"}, ""}, {"/hello", {"x-sid: bob"}, ""},
      {"/hello", {"x-sid: alice"}, ""}, {"/hello", {"x-sid: carol"}, ""},
      {"/hello", {"x-sid: bob"}, ""},
  };
  const auto ours = run("", cfg, steps, "li");
  const auto theirs = run("haproxy", cfg, steps, "li");
  EXPECT_EQ(ours, theirs);
  ASSERT_EQ(theirs.size(), steps.size());
  EXPECT_NE(theirs[4].find("-> 200 s1\n"), std::string::npos) << theirs[4];
  EXPECT_NE(theirs[6].find("-> 200 s2\n"), std::string::npos) << theirs[6];
}

TEST(StickRulesConfig, RefusedWithFileLineAndKeyword) {
  for (const char* line : {"stick on", "stick on src table nosuch", "stick sideways src",
                           "stick match src extra", "stick store-response res.hdr(x) table"}) {
    const uint16_t port = free_tcp_port();
    const std::string cfg =
        "defaults\n  mode http\n  timeout client 1s\n  timeout server 1s\n"
        "  timeout connect 1s\nlisten li\n  bind 127.0.0.1:" +
        std::to_string(port) + "\n  stick-table type ip size 10\n  " + line + "\n";
    const RunResult r = HearthProcess::check_config(cfg);
    EXPECT_EQ(r.exit_code, 1) << line << "\n" << r.output;
    EXPECT_NE(r.output.find("cfg:9: 'stick"), std::string::npos) << line << "\n" << r.output;
  }
}

}  // namespace
}  // namespace hearth::test::http
