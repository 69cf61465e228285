// http-request tarpit through the real binary and through HAProxy 2.6 with
// the same configuration: the request is held for the tarpit time of the
// proxy whose rule it is (timeout tarpit; a backend or listen falls back on
// timeout connect, a frontend has none and answers at once), then answered
// as a deny (500 by default, or the rule's reply), logged "PT" with %TR -1,
// and the client connection stays usable. A client that leaves during the
// wait is logged all the same.
#include <gtest/gtest.h>

#include <chrono>
#include <string>

#include "http_test_util.h"
#include "tcp_test_util.h"

namespace hearth::test::tcp {
namespace {

std::string tarpit_config(uint16_t port, uint16_t port2, uint16_t be_port) {
  return "global\n  log stdout format raw local0\n"
         "defaults\n  mode http\n  log global\n"
         "  log-format \"tp %ST %tsc %TR %HP\"\n"
         "  timeout connect 3s\n  timeout client 10s\n  timeout server 10s\n"
         "frontend fe\n  bind 127.0.0.1:" +
         std::to_string(port) +
         "\n  timeout tarpit 500ms\n"
         "  http-request tarpit if { path /t }\n"
         "  http-request tarpit deny_status 429 content-type text/plain string slow "
         "hdr x-why %[path] hdr x-c \"%[path]c\" if { path /t2 }\n"
         "  use_backend be2 if { path /nofe }\n"
         "  default_backend be\n"
         "backend be\n"
         "  timeout connect 1s\n"  // no timeout tarpit: timeout connect holds
         "  http-request tarpit if { path /b }\n"
         "  server s 127.0.0.1:" +
         std::to_string(be_port) +
         "\n"
         "frontend fe2\n  bind 127.0.0.1:" +
         std::to_string(port2) +
         "\n  http-request tarpit\n"  // a frontend has no timeout connect: no wait
         "  default_backend be\n"
         "backend be2\n  server s 127.0.0.1:" +
         std::to_string(be_port) + "\n";
}

using Clock = std::chrono::steady_clock;

// Sends `target` and reads the answer; *ms: how long it took.
http::HttpResponse timed_get(http::HttpClient& c, const std::string& target, int64_t* ms) {
  const auto start = Clock::now();
  http::HttpResponse r = c.request("GET", target, {}, {}, milliseconds{8000});
  *ms = ms_since(start);
  return r;
}

TEST(Tarpit, HoldsThenAnswersAsHAProxy) {
  http::HttpBackend backend;
  for (const std::string binary : kBinaries) {
    const uint16_t port = free_tcp_port(), port2 = free_tcp_port();
    HearthProcess h(tarpit_config(port, port2, backend.port()), options_for(binary, port));
    ASSERT_TRUE(h.ready()) << name_of(binary) << ": " << h.describe();
    const std::string who = name_of(binary);
    http::HttpClient c(port);
    ASSERT_TRUE(c.connected()) << who;
    int64_t ms = 0;
    // The frontend's timeout tarpit: nothing before 500 ms, then HAProxy's 500.
    http::HttpResponse r = timed_get(c, "/t", &ms);
    EXPECT_EQ(r.status, 500) << who;
    EXPECT_GE(ms, 480) << who;
    EXPECT_LT(ms, 3000) << who;
    EXPECT_NE(r.body.find("500 Internal Server Error"), std::string::npos) << who << r.body;
    // The connection is kept, as after a deny.
    r = timed_get(c, "/", &ms);
    EXPECT_EQ(r.status, 200) << who;
    // The rule's own reply, computed when the wait ends: the request is gone
    // by then (HAProxy's), so %[path] gives nothing and the field is dropped.
    r = timed_get(c, "/t2", &ms);
    EXPECT_EQ(r.status, 429) << who;
    EXPECT_GE(ms, 480) << who;
    EXPECT_EQ(r.body, "slow") << who;
    EXPECT_FALSE(r.header("x-why")) << who;
    EXPECT_EQ(r.header("x-c").value_or(""), "c") << who;
    // A backend's rule: its timeout connect, 1 s.
    r = timed_get(c, "/b", &ms);
    EXPECT_EQ(r.status, 500) << who;
    EXPECT_GE(ms, 980) << who;
    EXPECT_LT(ms, 4000) << who;
    // A frontend without timeout tarpit answers at once (well before the
    // defaults' 3 s connect timeout).
    http::HttpClient c2(port2);
    r = timed_get(c2, "/x", &ms);
    EXPECT_EQ(r.status, 500) << who;
    EXPECT_LT(ms, 2000) << who;
    for (const char* line : {"tp 500 PT-- -1 /t", "tp 429 PT-- -1 /t2", "tp 500 PT-- -1 /b",
                             "tp 500 PT-- -1 /x", "tp 200 ---- "})
      EXPECT_NE(wait_log_line(h, {line}), "") << who << " " << line << "\n" << h.output();
  }
}

TEST(Tarpit, ClientLeavingDuringTheWaitIsLoggedAsHAProxy) {
  http::HttpBackend backend;
  for (const std::string binary : kBinaries) {
    const uint16_t port = free_tcp_port(), port2 = free_tcp_port();
    HearthProcess h(tarpit_config(port, port2, backend.port()), options_for(binary, port));
    ASSERT_TRUE(h.ready()) << name_of(binary) << ": " << h.describe();
    const std::string who = name_of(binary);
    {
      UniqueFd fd(connect_from("127.0.0.1", port));
      ASSERT_TRUE(send_all(fd.get(), "GET /b HTTP/1.1\r\nhost: x\r\n\r\n")) << who;
      // Closed before the 1 s wait ends.
    }
    // HAProxy waits the whole tarpit and logs the 500 it tried to send.
    EXPECT_NE(wait_log_line(h, {"tp 500 PT-- -1 /b"}, milliseconds{5000}), "") << who << "\n"
                                                                               << h.output();
    // The proxy still serves.
    http::HttpClient c(port);
    EXPECT_EQ(c.request("GET", "/").status, 200) << who;
  }
}

}  // namespace
}  // namespace hearth::test::tcp
