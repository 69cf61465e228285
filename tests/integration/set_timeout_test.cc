// http-request set-timeout server|tunnel through the real binary and
// through HAProxy 2.6 with the same configuration: a per-request server
// timeout (a fixed one, or computed from the request) answers 504 sooner
// than the backend's timeout server, and the be_/cur_ timeout fetches.
#include <gtest/gtest.h>

#include <chrono>
#include <string>

#include "http_test_util.h"
#include "tcp_test_util.h"

namespace hearth::test::tcp {
namespace {

std::string set_timeout_config(uint16_t port, uint16_t be_port) {
  return "global\n  log stdout format raw local0\n"
         "defaults\n  mode http\n  log global\n"
         "  log-format \"st %ST %tsc %HP\"\n"
         "  timeout connect 2s\n  timeout client 10s\n"
         "frontend fe\n  bind 127.0.0.1:" +
         std::to_string(port) +
         "\n  default_backend be\n"
         "backend be\n"
         "  timeout server 5s\n  timeout tunnel 7s\n"
         "  http-request set-timeout server 300ms if { path_beg /slow/ } !{ req.hdr(x-t) -m found "
         "}\n"
         "  http-request set-timeout server req.hdr(x-t) if { req.hdr(x-t) -m found }\n"
         "  http-request set-timeout tunnel 2500ms if { path /tun }\n"
         "  http-request set-header x-tmo \"%[cur_server_timeout] %[be_server_timeout] "
         "%[cur_tunnel_timeout] %[be_tunnel_timeout] %[fe_client_timeout]\"\n"
         "  http-response set-header x-cur \"%[cur_server_timeout] %[cur_tunnel_timeout]\"\n"
         "  server s 127.0.0.1:" +
         std::to_string(be_port) + "\n";
}

int64_t timed_status(uint16_t port, const std::string& target, const std::vector<std::string>& hdrs,
                     int* status) {
  http::HttpClient c(port);
  const auto start = std::chrono::steady_clock::now();
  *status = c.request("GET", target, hdrs, {}, milliseconds{8000}).status;
  return ms_since(start);
}

TEST(SetTimeout, ServerTimeoutPerRequestAsHAProxy) {
  for (const std::string binary : kBinaries) {
    http::HttpBackend backend;
    const uint16_t port = free_tcp_port();
    HearthProcess h(set_timeout_config(port, backend.port()), options_for(binary, port));
    ASSERT_TRUE(h.ready()) << name_of(binary) << ": " << h.describe();
    const std::string who = name_of(binary);
    int status = 0;
    // 300 ms instead of the backend's 5 s: a 504 well before the server answers.
    int64_t ms = timed_status(port, "/slow/2500", {}, &status);
    EXPECT_EQ(status, 504) << who;
    EXPECT_GE(ms, 280) << who;
    EXPECT_LT(ms, 2000) << who;
    // Computed from the request: 600 ms.
    ms = timed_status(port, "/slow/2500", {"x-t: 600"}, &status);
    EXPECT_EQ(status, 504) << who;
    EXPECT_GE(ms, 580) << who;
    EXPECT_LT(ms, 2300) << who;
    // A longer one lets a slow server answer.
    ms = timed_status(port, "/slow/500", {"x-t: 3000"}, &status);
    EXPECT_EQ(status, 200) << who;
    EXPECT_NE(wait_log_line(h, {"st 504 sH-- /slow/2500"}), "") << who << "\n" << h.output();
    // The fetches: the stream's timeouts after the rules, the backend's, the frontend's.
    http::HttpClient c(port);
    EXPECT_EQ(c.request("GET", "/plain").status, 200) << who;
    EXPECT_EQ(c.request("GET", "/tun").status, 200) << who;
    EXPECT_EQ(c.request("GET", "/x", {"x-t: 1234"}).status, 200) << who;
    std::vector<std::string> seen;
    for (const http::HttpRequestRecord& r : backend.requests())
      if (r.target == "/plain" || r.target == "/tun" || r.target == "/x")
        seen.push_back(r.target + " " + r.header("x-tmo").value_or("-"));
    // cur_*: 0 in the request rules unless set there (HAProxy's).
    EXPECT_EQ(seen,
              (std::vector<std::string>{"/plain 0 5000 0 7000 10000", "/tun 0 5000 2500 7000 10000",
                                        "/x 1234 5000 0 7000 10000"}))
        << who;
    // Once the stream has a server, cur_* are the backend's unless set.
    http::HttpResponse res = c.request("GET", "/plain");
    EXPECT_EQ(res.header("x-cur").value_or("-"), "5000 7000") << who;
    res = c.request("GET", "/x", {"x-t: 1234"});
    EXPECT_EQ(res.header("x-cur").value_or("-"), "1234 7000") << who;
  }
}

}  // namespace
}  // namespace hearth::test::tcp
