// http-after-response rules on every response (the server's, and those
// Hearth makes: deny, return, redirect, no backend), http-response deny,
// return, redirect, set-status and allow, and the capture.req.* fetches,
// through hearth and HAProxy with the same configuration.
#include <gtest/gtest.h>

#include <memory>
#include <string>
#include <vector>

#include "http_test_util.h"
#include "support/ports.h"

namespace hearth::test::http {
namespace {

std::string after_response_config(uint16_t port, uint16_t be_port) {
  return "defaults\n  mode http\n  timeout connect 1s\n  timeout client 5s\n"
         "  timeout server 5s\n"
         "frontend fe\n  bind 127.0.0.1:" +
         std::to_string(port) +
         "\n"
         "  http-request deny if { path /deny }\n"
         "  http-request redirect location /x if { path /redir }\n"
         "  http-request allow if { path /allow }\n"
         "  http-request deny if { path /allow }\n"
         "  use_backend nowhere if { path /none }\n"
         "  http-after-response allow if { status eq 403 }\n"
         "  http-after-response set-header fe-seen \"%[status] %[capture.req.uri] "
         "%[capture.req.method] %[capture.req.ver] %[var(res.s)]\"\n"
         "  http-after-response set-status 299 reason \"Fine Then\" if { capture.req.uri "
         "/setstatus }\n"
         "  http-after-response set-status 298 if { capture.req.uri /setstatus2 }\n"
         "  default_backend be\n"
         "backend nowhere\n"
         "backend be\n"
         "  http-request return status 234 content-type text/plain string \"ret body\" if { path "
         "/return }\n"
         "  http-request set-path /rewritten if { path /rw }\n"
         "  http-response deny if { capture.req.uri /deny-srv }\n"
         "  http-response deny deny_status 418 content-type text/plain string teapot if { "
         "capture.req.uri /deny-srv2 }\n"
         "  http-response return status 201 content-type text/plain string created if { "
         "capture.req.uri /ret-srv }\n"
         "  http-response redirect location /moved code 301 if { capture.req.uri /redir-srv }\n"
         "  http-response set-status 404 if { capture.req.uri /404 }\n"
         "  http-response allow if { capture.req.uri /allowres }\n"
         "  http-response set-header x-resp 1\n"
         "  http-after-response set-var(res.s) status\n"
         "  http-after-response add-header be-after %[capture.req.uri]\n"
         "  http-after-response del-header content-type\n"
         "  server s1 127.0.0.1:" +
         std::to_string(be_port) + "\n";
}

struct Seen {
  int status = 0;
  std::string reason, fe_seen, be_after, x_resp, content_type, location, connection, body;
  bool operator==(const Seen&) const = default;
};

std::string show(const Seen& s) {
  return std::to_string(s.status) + " '" + s.reason + "' fe-seen=" + s.fe_seen +
         " be-after=" + s.be_after + " x-resp=" + s.x_resp + " ct=" + s.content_type +
         " location=" + s.location + " connection=" + s.connection + " body=" + s.body;
}

TEST(HttpAfterResponse, SameAnswersAsHAProxy) {
  HttpBackend backend;
  const std::vector<std::string> targets = {"/",          "/deny",      "/redir",     "/allow",
                                            "/none",      "/return",    "/rw?a=1",    "/deny-srv",
                                            "/deny-srv2", "/ret-srv",   "/redir-srv", "/404",
                                            "/allowres",  "/setstatus", "/setstatus2"};
  std::vector<std::vector<Seen>> runs;
  for (const std::string binary : {"", "haproxy"}) {
    const uint16_t port = free_tcp_port();
    HearthOptions opt{.wait_ports = {port}};
    if (!binary.empty()) opt.binary = binary, opt.extra_args = {"-db"};
    HearthProcess h(after_response_config(port, backend.port()), opt);
    ASSERT_TRUE(h.ready()) << binary << ": " << h.describe();
    std::vector<Seen> seen;
    // One keep-alive connection, replaced only when an answer closes it.
    auto c = std::make_unique<HttpClient>(port);
    for (const std::string& t : targets) {
      ASSERT_TRUE(c->send("GET " + t + " HTTP/1.1\r\nhost: ex.com\r\n\r\n")) << binary << t;
      HttpResponse r = c->read_response();
      const std::string conn = r.header("connection").value_or("-");
      seen.push_back(Seen{r.status, r.reason, r.header("fe-seen").value_or("-"),
                          r.header("be-after").value_or("-"), r.header("x-resp").value_or("-"),
                          r.header("content-type").value_or("-"),
                          r.header("location").value_or("-"), conn, r.body});
      // Hearth's built-in error pages are its own: not compared.
      if (t == "/deny" || t == "/none" || t == "/deny-srv")
        seen.back().body = seen.back().content_type = "(built-in)";
      // Hearth closes after its 503 (HAProxy keeps the connection): known.
      if (t == "/none") seen.back().connection = "(not compared)";
      if (conn == "close") c = std::make_unique<HttpClient>(port);
    }
    runs.push_back(seen);
  }
  for (size_t i = 0; i < targets.size(); ++i)
    EXPECT_EQ(runs[0][i], runs[1][i])
        << targets[i] << ":\n hearth  " << show(runs[0][i]) << "\n haproxy " << show(runs[1][i]);
  // Spot checks of what both answer.
  const Seen& plain = runs[0][0];
  EXPECT_EQ(plain.status, 200);
  EXPECT_EQ(plain.fe_seen, "200 / GET HTTP/1.1 200");
  EXPECT_EQ(plain.be_after, "/");
  EXPECT_EQ(plain.content_type, "-");
  EXPECT_EQ(runs[0][1].fe_seen, "-");         // deny: allow ended the list
  EXPECT_EQ(runs[0][6].be_after, "/rw?a=1");  // as received, not rewritten
  EXPECT_EQ(runs[0][7].status, 502);          // http-response deny
  EXPECT_EQ(runs[0][8].status, 418);
  EXPECT_EQ(runs[0][10].location, "/moved");
  EXPECT_EQ(runs[0][13].reason, "Fine Then");
}

}  // namespace
}  // namespace hearth::test::http
