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

TEST(HttpRedirect, SameAnswersAsHAProxy) {
  const std::vector<std::string> targets = {"/loc/a?b=1", "/p1/x?q=1", "/p1/x/?q=1", "/p2/y?z=2",
                                            "/p3/w?k",    "/s1/a?b",   "/s2/c",      "/s3/x?y=1",
                                            "/303",       "/307",      "/other"};
  std::vector<std::vector<Seen>> runs;
  for (const std::string binary : {"", "haproxy"}) {
    const uint16_t port = free_tcp_port();
    HearthOptions opt{.wait_ports = {port}};
    if (!binary.empty()) opt.binary = binary, opt.extra_args = {"-db"};
    HearthProcess h(redirect_config(port), opt);
    ASSERT_TRUE(h.ready()) << binary << ": " << h.describe();
    std::vector<Seen> seen;
    HttpClient c(port);  // one keep-alive connection: a redirect keeps it open
    for (const std::string& t : targets) {
      ASSERT_TRUE(c.send("GET " + t + " HTTP/1.1\r\nhost: ex.com\r\n\r\n")) << binary << t;
      HttpResponse r = c.read_response();
      seen.push_back(Seen{
          r.status, r.header("location").value_or("-"), r.header("cache-control").value_or("-"),
          r.header("set-cookie").value_or("-"), r.header("content-length").value_or("-")});
    }
    runs.push_back(seen);
  }
  for (size_t i = 0; i < targets.size(); ++i)
    EXPECT_EQ(runs[0][i], runs[1][i])
        << targets[i] << ": hearth " << show(runs[0][i]) << ", haproxy " << show(runs[1][i]);
  // Spot checks of what both answer.
  EXPECT_EQ(runs[0][0], (Seen{301, "/new/loc/a", "-", "-", "0"}));
  EXPECT_EQ(runs[0][1].location, "/pfx/p1/x/");
  EXPECT_EQ(runs[0][5].set_cookie, "SEEN=1; path=/;");
  EXPECT_EQ(runs[0][7], (Seen{308, "https://ex.com/s3/x", "-", "-", "0"}));
}

}  // namespace
}  // namespace hearth::test::http
