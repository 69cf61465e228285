// http-request redirect (location, prefix, scheme; code, drop-query,
// append-slash, set-cookie, clear-cookie) through hearth and HAProxy with
// the same configuration: the same status and fields.
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "http_test_util.h"
#include "support/ports.h"

namespace hearth::test::http {
namespace {

std::string redirect_config(uint16_t port) {
  return "defaults\n  mode http\n  timeout connect 1s\n  timeout client 5s\n"
         "  timeout server 5s\n"
         "frontend fe\n  bind 127.0.0.1:" +
         std::to_string(port) +
         "\n"
         "  http-request redirect location /new%[path] code 301 if { path_beg /loc }\n"
         "  http-request redirect prefix /pfx drop-query append-slash if { path_beg /p1 }\n"
         "  http-request redirect prefix /pfx if { path_beg /p2 }\n"
         "  http-request redirect prefix / if { path_beg /p3 }\n"
         "  http-request redirect scheme https set-cookie SEEN=1 if { path_beg /s1 }\n"
         "  http-request redirect scheme https clear-cookie OLD if { path_beg /s2 }\n"
         "  http-request redirect scheme https drop-query code 308 if { path_beg /s3 }\n"
         "  http-request redirect location /a code 303 if { path /303 }\n"
         "  http-request redirect location /a code 307 if { path /307 }\n"
         "  http-request return status 200 content-type text/plain string fallthrough\n";
}

struct Seen {
  int status = 0;
  std::string location, cache_control, set_cookie, length;
  bool operator==(const Seen&) const = default;
};

std::string show(const Seen& s) {
  return std::to_string(s.status) + " location=" + s.location + " cc=" + s.cache_control +
         " cookie=" + s.set_cookie + " len=" + s.length;
}

// Runs `targets` on one keep-alive connection through hearth, then HAProxy,
// with `config(port)`. Returns: what each saw, hearth's first.
std::vector<std::vector<Seen>> run_both(std::string (*config)(uint16_t),
                                        const std::vector<std::string>& targets) {
  std::vector<std::vector<Seen>> runs;
  for (const std::string binary : {"", "haproxy"}) {
    const uint16_t port = free_tcp_port();
    HearthOptions opt{.wait_ports = {port}};
    if (!binary.empty()) opt.binary = binary, opt.extra_args = {"-db"};
    HearthProcess h(config(port), opt);
    EXPECT_TRUE(h.ready()) << binary << ": " << h.describe();
    if (!h.ready()) return {};
    std::vector<Seen> seen;
    HttpClient c(port);  // one keep-alive connection: a redirect keeps it open
    for (const std::string& t : targets) {
      EXPECT_TRUE(c.send("GET " + t + " HTTP/1.1\r\nhost: ex.com\r\nx-to: " +
                         (t == "/ie-set" ? "/target" : "") + "\r\n\r\n"))
          << binary << t;
      HttpResponse r = c.read_response();
      seen.push_back(Seen{
          r.status, r.header("location").value_or("-"), r.header("cache-control").value_or("-"),
          r.header("set-cookie").value_or("-"), r.header("content-length").value_or("-")});
    }
    runs.push_back(seen);
  }
  return runs;
}

TEST(HttpRedirect, SameAnswersAsHAProxy) {
  const std::vector<std::string> targets = {"/loc/a?b=1", "/p1/x?q=1", "/p1/x/?q=1", "/p2/y?z=2",
                                            "/p3/w?k",    "/s1/a?b",   "/s2/c",      "/s3/x?y=1",
                                            "/303",       "/307",      "/other"};
  std::vector<std::vector<Seen>> runs = run_both(redirect_config, targets);
  ASSERT_EQ(runs.size(), 2u);
  for (size_t i = 0; i < targets.size(); ++i)
    EXPECT_EQ(runs[0][i], runs[1][i])
        << targets[i] << ": hearth " << show(runs[0][i]) << ", haproxy " << show(runs[1][i]);
  // Spot checks of what both answer.
  EXPECT_EQ(runs[0][0], (Seen{301, "/new/loc/a", "-", "-", "0"}));
  EXPECT_EQ(runs[0][1].location, "/pfx/p1/x/");
  EXPECT_EQ(runs[0][5].set_cookie, "SEEN=1; path=/;");
  EXPECT_EQ(runs[0][7], (Seen{308, "https://ex.com/s3/x", "-", "-", "0"}));
}

// The legacy "redirect" keyword: a value taken as written, options in any
// order, run after the proxy's http-request rules even after an allow, in
// frontends and backends; and http-request redirect's ignore-empty.
std::string legacy_config(uint16_t port) {
  return "defaults\n  mode http\n  timeout connect 1s\n  timeout client 5s\n"
         "  timeout server 5s\n"
         "frontend fe\n  bind 127.0.0.1:" +
         std::to_string(port) +
         "\n"
         "  http-request allow if { path /allowed }\n"
         "  http-request redirect location %[req.hdr(x-to)] ignore-empty if { path_beg /ie }\n"
         "  http-request redirect code 308 location /c if { path /code-first }\n"
         "  redirect location /loc code 301 if { path /a }\n"
         "  redirect code 307 prefix https://ex.com drop-query if { path_beg /p/ }\n"
         "  redirect scheme https set-cookie SEEN=1 if { path /s }\n"
         "  redirect code 301 prefix / drop-query append-slash if { path_reg ^/art/[^/]*$ }\n"
         "  redirect location /pct%41[x] if { path /pct }\n"
         "  redirect location /allowed-too if { path /allowed }\n"
         "  default_backend be\n"
         "backend be\n"
         "  http-request set-header x-seen 1\n"
         "  redirect location /from-be clear-cookie OLD= if { path /be }\n"
         "  http-request return status 200 content-type text/plain string fallthrough "
         "unless { path /be }\n";
}

TEST(HttpRedirect, LegacyKeywordSameAnswersAsHAProxy) {
  const std::vector<std::string> targets = {"/a",        "/p/x?q=1", "/s?k=v",      "/art/one?x",
                                            "/art/one/", "/pct",     "/allowed",    "/ie-set",
                                            "/ie-empty", "/be",      "/code-first", "/none"};
  std::vector<std::vector<Seen>> runs = run_both(legacy_config, targets);
  ASSERT_EQ(runs.size(), 2u);
  for (size_t i = 0; i < targets.size(); ++i)
    EXPECT_EQ(runs[0][i], runs[1][i])
        << targets[i] << ": hearth " << show(runs[0][i]) << ", haproxy " << show(runs[1][i]);
  EXPECT_EQ(runs[0][0].status, 301);
  EXPECT_EQ(runs[0][1].location, "https://ex.com/p/x");
  EXPECT_EQ(runs[0][5].location, "/pct%41[x]");
  EXPECT_EQ(runs[0][6].location, "/allowed-too");
  EXPECT_EQ(runs[0][7].location, "/target");
  EXPECT_EQ(runs[0][8].status, 200);  // ignore-empty: the rule was skipped
  EXPECT_EQ(runs[0][9].location, "/from-be");
  EXPECT_EQ(runs[0][9].set_cookie, "OLD=; path=/; Max-Age=0;");
  EXPECT_EQ(runs[0][10].status, 308);
}

}  // namespace
}  // namespace hearth::test::http
