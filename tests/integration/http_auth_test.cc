// userlist, http-request auth and the http_auth* fetches through hearth and
// HAProxy with the same configuration: the same responses byte for byte
// (status line, fields in order, body) for requests without credentials,
// with good and wrong passwords (crypt(3) and clear), users in and out of
// a group, other schemes, and requests to a proxy (407).
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "http_test_util.h"
#include "support/ports.h"

namespace hearth::test::http {
namespace {

// "pw" hashed with SHA-512 (crypt(3), salt "salt").
const char* const kSha512 =
    "$6$salt$AkOOBO38SQQ8T8Q46KuCONe.8zg41nvCDKDq7pVQd2n2hy8sf8aR3G89VY.57up0eSIa/"
    "69odCCcLT4hx7FpW/";

std::string auth_config(uint16_t port) {
  return std::string(
             "defaults\n  mode http\n  timeout connect 1s\n  timeout client 5s\n"
             "  timeout server 5s\n"
             "frontend fe\n  bind 127.0.0.1:") +
         std::to_string(port) +
         "\n"
         "  option http-use-proxy-header\n"
         "  acl ok http_auth(L)\n"
         "  acl admin http_auth_group(L) admins\n"
         "  http-request auth realm \"Admin Area\" if { path_beg /admin } !admin\n"
         "  http-request auth unless ok\n"
         "  http-request return status 200 content-type text/plain lf-string "
         "\"user=%[http_auth_user] type=%[http_auth_type] group-fetch=%[http_auth_group(L)]\"\n"
         "userlist L\n"
         "  group admins\n"
         "  group staff users bob\n"
         "  user alice password " +
         kSha512 +
         " groups admins\n"
         "  user bob insecure-password hunter2\n";
}

struct Case {
  const char* method;
  const char* target;
  std::vector<std::string> headers;
};

// The response as text. The built-in 401/407 page is worded differently by
// each (HAProxy's text is its own): its length and body are masked.
std::string show(const HttpResponse& r) {
  const bool page = r.status == 401 || r.status == 407;
  std::string s = r.version + " " + std::to_string(r.status) + " " + r.reason + "\n";
  for (const auto& [n, v] : r.headers)
    s += n + ": " + (page && n == "content-length" ? std::string("(page)") : v) + "\n";
  return s + "\n" + (page && !r.body.empty() ? std::string("(page)") : r.body);
}

TEST(HttpAuth, SameAnswersAsHAProxy) {
  const std::string alice = "authorization: Basic YWxpY2U6cHc=";        // alice:pw
  const std::string alice_bad = "authorization: Basic YWxpY2U6cFc=";    // alice:pW
  const std::string bob = "authorization: Basic Ym9iOmh1bnRlcjI=";      // bob:hunter2
  const std::string bob_bad = "authorization: Basic Ym9iOmh1bnRlcjM=";  // bob:hunter3
  const std::vector<Case> cases = {
      {"GET", "/", {}},
      {"GET", "/", {alice}},
      {"GET", "/", {alice_bad}},
      {"GET", "/", {bob}},
      {"GET", "/", {bob_bad}},
      {"GET", "/admin/x", {alice}},  // in the group
      {"GET", "/admin/x", {bob}},    // valid, but not in the group
      {"GET", "/admin/x", {}},
      {"GET", "/", {"authorization: basic   YWxpY2U6cHc="}},
      {"GET", "/", {"authorization: Basic !!!!"}},
      {"GET", "/", {"authorization: Bearer abc"}},
      {"HEAD", "/", {}},
      {"HEAD", "/", {bob}},                // return: no payload either
      {"GET", "http://ex.com/", {}},       // to a proxy: 407
      {"GET", "http://ex.com/", {alice}},  // the wrong field
      {"GET", "http://ex.com/", {"proxy-authorization: Basic YWxpY2U6cHc="}},
  };
  std::vector<std::vector<std::string>> runs;
  for (const std::string binary : {"", "haproxy"}) {
    const uint16_t port = free_tcp_port();
    HearthOptions opt{.wait_ports = {port}};
    if (!binary.empty()) opt.binary = binary, opt.extra_args = {"-db"};
    HearthProcess h(auth_config(port), opt);
    ASSERT_TRUE(h.ready()) << binary << ": " << h.describe();
    std::vector<std::string> seen;
    HttpClient c(port);  // one keep-alive connection: a 401 keeps it open
    for (const Case& k : cases) {
      std::string req = std::string(k.method) + " " + k.target + " HTTP/1.1\r\nhost: ex.com\r\n";
      for (const std::string& f : k.headers) req += f + "\r\n";
      ASSERT_TRUE(c.send(req + "\r\n")) << binary << " " << k.target;
      seen.push_back(
          show(c.read_response(std::chrono::milliseconds{5000}, std::string(k.method) == "HEAD")));
    }
    runs.push_back(seen);
  }
  for (size_t i = 0; i < cases.size(); ++i)
    EXPECT_EQ(runs[0][i], runs[1][i])
        << "case " << i << " " << cases[i].method << " " << cases[i].target;
  // Spot checks of what both answer.
  EXPECT_EQ(runs[0][0],
            "HTTP/1.1 401 Unauthorized\ncontent-length: (page)\ncache-control: no-cache\n"
            "content-type: text/html\nwww-authenticate: Basic realm=\"fe\"\n\n(page)");
  EXPECT_NE(runs[0][1].find("\n\nuser=alice type=Basic group-fetch=alice"), std::string::npos);
  EXPECT_NE(runs[0][6].find("www-authenticate: Basic realm=\"Admin Area\""), std::string::npos);
  EXPECT_EQ(runs[0][13].rfind("HTTP/1.1 407 Unauthorized\n", 0), 0u);
  EXPECT_NE(runs[0][13].find("proxy-authenticate: Basic realm=\"fe\""), std::string::npos);
}

// What "haproxy -c" and "hearth -c" say of userlist configurations: both
// accept or both refuse (hearth naming the line), but for the one place
// where Hearth is deliberately stricter.
TEST(HttpAuth, SameLoadVerdictsAsHAProxy) {
  const std::string head =
      "defaults\n  mode http\n  timeout connect 1s\n  timeout client 5s\n"
      "  timeout server 5s\n"
      "frontend fe\n  bind 127.0.0.1:8080\n"
      "  http-request auth unless { http_auth(L) }\n";  // line 8
  struct Case {
    const char* name;
    std::string body;  // from line 9
    bool valid;
    int error_line = 0;
  } cases[] = {
      {"both ways", "userlist L\n  group G users a\n  user a insecure-password x groups G\n", true},
      {"DES hash", "userlist L\n  user a password abzlUXK5ed5rs\n", true},
      {"duplicate user", "userlist L\n  user a insecure-password x\n  user a password y\n", true},
      {"duplicate group", "userlist L\n  group G\n  group G\n", true},
      {"duplicate userlist", "userlist L\nuserlist L\n", true},
      {"user name with '/'", "userlist L\n  user a/b insecure-password x\n", true},
      {"unknown group", "userlist L\n  user a insecure-password x groups G9\n", false, 10},
      {"unknown user", "userlist L\n  group G users zz\n", false, 10},
      {"unknown keyword", "userlist L\n  foo bar\n", false, 10},
      {"unknown user option", "userlist L\n  user a bogus x\n", false, 10},
      {"unknown group option", "userlist L\n  group G bogus x\n", false, 10},
      {"no name", "userlist\n", false, 9},
      {"two names", "userlist L x\n", false, 9},
      {"bad name", "userlist L/x\n", false, 9},
      {"bad group name", "userlist L\n  group G/x\n", false, 10},
      {"no such userlist", "  http-request auth if { http_auth(X) }\nuserlist L\n", false, 9},
      {"no such group", "  acl a http_auth_group(L) G3\nuserlist L\n  group G1\n", false, 9},
      {"no group", "  acl a http_auth_group(L)\nuserlist L\n", false, 9},
      {"group with -m", "  acl a http_auth_group(L) -m beg G\nuserlist L\n  group G\n", false, 9},
      {"group with a converter", "  acl a http_auth_group(L),lower G\nuserlist L\n  group G\n",
       false, 9},
      {"realm without value", "  http-request auth realm\nuserlist L\n", false, 9},
      {"junk after realm", "  http-request auth realm a b\nuserlist L\n", false, 9},
      {"auth in http-response", "  http-response auth\nuserlist L\n", false, 9},
  };
  for (const Case& c : cases) {
    SCOPED_TRACE(c.name);
    RunResult hp = HearthProcess::check_config(head + c.body, {}, "haproxy");
    RunResult he = HearthProcess::check_config(head + c.body);
    EXPECT_EQ(hp.exit_code == 0, c.valid) << "haproxy:\n" << hp.output;
    EXPECT_EQ(he.exit_code == 0, c.valid) << "hearth:\n" << he.output;
    if (!c.valid) {
      const std::string where = he.config_path + ":" + std::to_string(c.error_line) + ":";
      EXPECT_NE(he.output.find(where), std::string::npos) << he.output;
    }
  }
  // Stricter: a hash crypt(3) cannot use. HAProxy 2.6 means to refuse it,
  // but with libxcrypt its check never fires; the user could never log in.
  const std::string bad_hash = head + "userlist L\n  user a password $9$xx$yy\n";
  EXPECT_EQ(HearthProcess::check_config(bad_hash, {}, "haproxy").exit_code, 0);
  EXPECT_EQ(HearthProcess::check_config(bad_hash).exit_code, 1);
}

}  // namespace
}  // namespace hearth::test::http
