// http-request normalize-uri, compared with HAProxy 2.6: one frontend per
// normalizer answers with the target the rule left ("after" field, from
// %[url]); Hearth and HAProxy run the same configuration and must answer
// every target alike, and as stated here. Then the configuration checks:
// the directive is refused without expose-experimental-directives, and its
// words are checked.
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "http_test_util.h"
#include "support/ports.h"
#include "support/wait.h"

namespace hearth::test::http {
namespace {

const char* const kNormalizers[] = {"path-merge-slashes",
                                    "path-strip-dot",
                                    "path-strip-dotdot",
                                    "path-strip-dotdot full",
                                    "percent-decode-unreserved",
                                    "percent-decode-unreserved strict",
                                    "percent-to-uppercase",
                                    "percent-to-uppercase strict",
                                    "query-sort-by-name",
                                    "fragment-strip",
                                    "fragment-encode"};
constexpr size_t kCount = sizeof kNormalizers / sizeof kNormalizers[0];

struct Case {
  size_t normalizer;  // index in kNormalizers
  std::string target;
  std::string want;  // the target after the rule, or "400"
};

const std::vector<Case>& cases() {
  static const std::vector<Case> c = {
      {0, "///foo///bar///", "/foo/bar/"},
      {0, "//foo?bar=///", "/foo?bar=///"},
      {1, "/a/./a", "/a/a"},
      {1, "/a/.", "/a/"},
      {1, "/.well-known/", "/.well-known/"},
      {2, "/foo/../../bar/", "/../bar/"},
      {2, "/foo/../?bar=/foo/../", "/?bar=/foo/../"},
      {2, "/..", "/../"},
      {3, "/foo/../../bar/", "/bar/"},
      {4, "/%61?%61=%61", "/a?a=a"},
      {4, "/%%36%36", "/%66"},
      {4, "/%3F?foo=bar", "/%3F?foo=bar"},
      {5, "/%%36%36", "400"},
      {5, "/%7e%2D", "/~-"},
      {6, "/%aa?a=%aa", "/%AA?a=%AA"},
      {6, "/%zz?a=%zz", "/%zz?a=%zz"},
      {7, "/%zz?a=%zz", "400"},
      {7, "/%6f", "/%6F"},
      {8, "/?a=5&b=3&a=1&a=2&b=4", "/?a=5&a=1&a=2&b=3&b=4"},
      {8, "/?c&b&a&", "/?a&b&c"},
      {8, "/?", "/?"},
      {8, "/?&&&&&&&&b&a", "/?&&&&&&&&a&b"},  // one parameter per byte
      {8, "http://h/p?z&y", "http://h/p?y&z"},
      {9, "/%23foo", "/%23foo"},
      {10, "/%23foo", "/%23foo"},
  };
  return c;
}

std::string config(const std::vector<uint16_t>& ports) {
  std::string cfg = "global\n  expose-experimental-directives\n";
  cfg +=
      "defaults\n  mode http\n  timeout client 5s\n  timeout server 5s\n"
      "  timeout connect 5s\n";
  for (size_t i = 0; i < kCount; ++i) {
    cfg += "frontend f" + std::to_string(i) + "\n  bind 127.0.0.1:" + std::to_string(ports[i]) +
           "\n  http-request normalize-uri " + kNormalizers[i] +
           "\n  http-request return status 200 hdr after %[url] if TRUE\n";
  }
  return cfg;
}

// The answers of `binary` ("" = hearth), one per case.
std::vector<std::string> answers(const std::string& binary) {
  std::vector<uint16_t> ports;
  for (size_t i = 0; i < kCount; ++i) ports.push_back(free_tcp_port());
  const std::string cfg = config(ports);
  HearthOptions opt{.wait_ports = ports};
  if (!binary.empty()) opt.binary = binary, opt.extra_args = {"-db"};
  HearthProcess h(cfg, opt);
  EXPECT_TRUE(h.ready()) << binary << ": " << h.describe();
  std::vector<std::string> out;
  if (!h.ready()) return out;
  for (const Case& c : cases()) {
    HttpClient client(ports[c.normalizer]);
    const std::string host = c.target.rfind("http://", 0) == 0 ? "Host: h" : "Host: x";
    const std::string raw = "GET " + c.target + " HTTP/1.1\r\n" + host + "\r\n\r\n";
    client.send(raw);
    const HttpResponse r = client.read_response();
    out.push_back(r.status == 200 ? r.header("after").value_or("<none>")
                                  : std::to_string(r.status));
  }
  return out;
}

TEST(NormalizeUri, EveryNormalizerAsHAProxy) {
  const std::vector<std::string> ours = answers("");
  const std::vector<std::string> theirs = answers("haproxy");
  ASSERT_EQ(ours.size(), cases().size());
  ASSERT_EQ(theirs.size(), cases().size());
  for (size_t i = 0; i < cases().size(); ++i) {
    const Case& c = cases()[i];
    SCOPED_TRACE(std::string(kNormalizers[c.normalizer]) + " " + c.target);
    EXPECT_EQ(ours[i], c.want);
    EXPECT_EQ(ours[i], theirs[i]);
  }
}

// A strict normalizer's 400 is the error message, logged PR-- with TR -1
// (as HAProxy 2.6.12's line for the same request), whatever strict-mode
// says (it is not a failed rewrite).
TEST(NormalizeUri, StrictRefusalIsABadRequestLoggedPR) {
  const uint16_t port = free_tcp_port();
  const std::string cfg =
      "global\n  expose-experimental-directives\n  log stdout format raw local0\n"
      "defaults\n  mode http\n  log global\n  option httplog\n  timeout client 5s\n"
      "  timeout server 5s\n  timeout connect 5s\n"
      "frontend fe\n  bind 127.0.0.1:" +
      std::to_string(port) +
      "\n  http-request strict-mode off\n"
      "  http-request normalize-uri percent-decode-unreserved strict\n"
      "  http-request return status 200\n";
  HearthProcess h(cfg, HearthOptions{.wait_ports = {port}});
  ASSERT_TRUE(h.ready()) << h.describe();
  HttpClient c(port);
  const HttpResponse r = c.request("GET", "/%ZZ");
  EXPECT_EQ(r.status, 400);
  EXPECT_TRUE(r.has_token("connection", "close"));
  EXPECT_TRUE(c.closed_by_peer(std::chrono::milliseconds{2000}));
  EXPECT_TRUE(wait_until([&h] { return h.output().find(" 400 ") != std::string::npos; },
                         std::chrono::milliseconds{3000}));
  const std::string out = h.output();
  EXPECT_NE(out.find("fe fe/<NOSRV>"), std::string::npos) << out;
  EXPECT_NE(out.find(" PR-- "), std::string::npos) << out;
  // TR is -1 on HAProxy's bad-request path.
  EXPECT_NE(out.find(" -1/-1/-1/-1/"), std::string::npos) << out;
}

TEST(NormalizeUri, ConfigurationChecksAsHAProxy) {
  struct Check {
    const char* name;
    std::string text;
    bool valid;
  };
  const std::string head = "defaults\n  mode http\nfrontend fe\n  bind 127.0.0.1:1\n";
  const std::string exp = "global\n  expose-experimental-directives\n";
  const std::vector<Check> checks = {
      {"without the global", head + "  http-request normalize-uri fragment-strip\n", false},
      {"global after the proxy", head + "  http-request normalize-uri fragment-strip\n" + exp,
       false},
      {"with the global", exp + head + "  http-request normalize-uri fragment-strip\n", true},
      {"with a condition",
       exp + head +
           "  http-request normalize-uri path-strip-dotdot full "
           "if { path_beg /a }\n",
       true},
      {"unknown normalizer", exp + head + "  http-request normalize-uri frob\n", false},
      {"no normalizer", exp + head + "  http-request normalize-uri\n", false},
      {"wrong option", exp + head + "  http-request normalize-uri path-strip-dotdot strict\n",
       false},
      {"option of another", exp + head + "  http-request normalize-uri percent-to-uppercase full\n",
       false},
      {"in http-response", exp + head + "  http-response normalize-uri fragment-strip\n", false},
  };
  for (const Check& c : checks) {
    SCOPED_TRACE(c.name);
    const RunResult hp = HearthProcess::check_config(c.text, {}, "haproxy");
    const RunResult he = HearthProcess::check_config(c.text);
    EXPECT_EQ(hp.exit_code == 0, c.valid) << "haproxy:\n" << hp.output;
    EXPECT_EQ(he.exit_code == 0, c.valid) << "hearth:\n" << he.output;
    if (!c.valid) {
      EXPECT_NE(he.output.find("normalize-uri"), std::string::npos) << he.output;
    }
  }
}

}  // namespace
}  // namespace hearth::test::http
