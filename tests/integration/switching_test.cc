// Content switching and optional backends: `use_backend NAME` without a
// condition overrides default_backend, a request takes its backend's own
// settings and rules, and a frontend or listen with no backend answers 503
// (TCP: closes), as HAProxy does (compared below). Conditions and dynamic
// names: acl_routing_test.cc.
#include <gtest/gtest.h>

#include <string>

#include "http_test_util.h"
#include "support/fake_backend.h"
#include "support/ports.h"
#include "support/wait.h"
#include "tcp_test_util.h"

namespace hearth::test::http {
namespace {

std::string two_backends(uint16_t fe, uint16_t be1, uint16_t be2, const std::string& fe_extra) {
  return "global\n  maxconn 100\n  log stdout format raw local0\n"
         "defaults\n  mode http\n  log global\n  option httplog\n"
         "  timeout connect 1s\n  timeout client 5s\n  timeout server 5s\n"
         "frontend fe\n  bind 127.0.0.1:" +
         std::to_string(fe) + "\n" + fe_extra +
         "backend one\n  http-request set-header X-Backend one\n"
         "  http-response set-header X-From one\n"
         "  server s1 127.0.0.1:" +
         std::to_string(be1) +
         "\n"
         "backend two\n  http-request set-header X-Backend two\n"
         "  http-response set-header X-From two\n"
         "  server s2 127.0.0.1:" +
         std::to_string(be2) + "\n";
}

TEST(Switching, UseBackendOverridesDefaultBackend) {
  HttpBackend b1, b2;
  const uint16_t port = free_tcp_port();
  HearthProcess h(
      two_backends(port, b1.port(), b2.port(), "  use_backend two\n  default_backend one\n"),
      {.wait_ports = {port}});
  ASSERT_TRUE(h.ready()) << h.describe();
  HttpClient c(port);
  HttpResponse r = c.request("GET", "/x");
  EXPECT_EQ(r.status, 200);
  EXPECT_EQ(r.header("x-from"), "two");  // backend two's response rule, not one's
  ASSERT_EQ(b2.request_count(), 1u);
  EXPECT_EQ(b1.request_count(), 0u);
  EXPECT_EQ(b2.requests()[0].header("x-backend"), "two");
  EXPECT_NE(tcp::wait_log_line(h, {" fe two/s2 ", " 200 "}), "") << h.output();
}

TEST(Switching, DefaultBackendWithoutRules) {
  HttpBackend b1, b2;
  const uint16_t port = free_tcp_port();
  HearthProcess h(two_backends(port, b1.port(), b2.port(), "  default_backend one\n"),
                  {.wait_ports = {port}});
  ASSERT_TRUE(h.ready()) << h.describe();
  HttpClient c(port);
  HttpResponse r = c.request("GET", "/x");
  EXPECT_EQ(r.status, 200);
  EXPECT_EQ(r.header("x-from"), "one");
  EXPECT_EQ(b1.request_count(), 1u);
  EXPECT_EQ(b2.request_count(), 0u);
}

// The backend's own timeouts apply to the requests switched to it: backend
// two answers a slow request with 504 after its 300 ms `timeout server`, while
// backend one (5 s) waits for the same slow server.
TEST(Switching, TimeoutsComeFromTheChosenBackend) {
  HttpBackend b;
  const uint16_t port = free_tcp_port();
  const std::string cfg =
      "defaults\n  mode http\n  timeout connect 1s\n  timeout client 5s\n  timeout server 5s\n"
      "frontend fast\n  bind 127.0.0.1:" +
      std::to_string(port) +
      "\n  use_backend quick\n"
      "backend quick\n  timeout server 300ms\n  server s 127.0.0.1:" +
      std::to_string(b.port()) + "\n";
  HearthProcess h(cfg, {.wait_ports = {port}});
  ASSERT_TRUE(h.ready()) << h.describe();
  HttpClient c(port);
  EXPECT_EQ(c.request("GET", "/slow/1500").status, 504);
  HttpClient c2(port);
  EXPECT_EQ(c2.request("GET", "/slow/100").status, 200);
}

// HAProxy accepts a frontend without any backend and a listen without
// servers; both answer 503. The same configuration runs through both.
TEST(Switching, NoBackendIs503LikeHAProxy) {
  for (std::string binary : {"", "haproxy"}) {
    const uint16_t fe = free_tcp_port(), li = free_tcp_port();
    const std::string cfg =
        "global\n  log stdout format raw local0\n"
        "defaults\n  mode http\n  log global\n  option httplog\n"
        "  timeout connect 1s\n  timeout client 5s\n  timeout server 5s\n"
        "frontend lonely\n  bind 127.0.0.1:" +
        std::to_string(fe) +
        "\n"
        "listen empty\n  bind 127.0.0.1:" +
        std::to_string(li) + "\n";
    HearthOptions opt{.wait_ports = {fe, li}};
    if (!binary.empty()) opt.binary = binary, opt.extra_args = {"-db"};
    HearthProcess h(cfg, opt);
    ASSERT_TRUE(h.ready()) << binary << ": " << h.describe();
    HttpClient c(fe);
    EXPECT_EQ(c.request("GET", "/").status, 503) << binary;
    HttpClient l(li);
    EXPECT_EQ(l.request("GET", "/").status, 503) << binary;
    // As HAProxy logs it: the frontend stands for the missing backend.
    EXPECT_NE(tcp::wait_log_line(h, {" lonely lonely/<NOSRV> ", " 503 ", " SC-- "}), "")
        << binary << ": " << h.output();
    EXPECT_NE(tcp::wait_log_line(h, {" empty empty/<NOSRV> ", " 503 ", " SC-- "}), "")
        << binary << ": " << h.output();
  }
}

TEST(Switching, TcpUseBackend) {
  NameServer one("one"), two("two");
  const uint16_t port = free_tcp_port();
  const std::string cfg =
      "defaults\n  mode tcp\n  timeout connect 1s\n  timeout client 5s\n  timeout server 5s\n"
      "frontend fe\n  bind 127.0.0.1:" +
      std::to_string(port) +
      "\n  use_backend two\n  default_backend one\n"
      "backend one\n  server s 127.0.0.1:" +
      std::to_string(one.port()) +
      "\n"
      "backend two\n  server s 127.0.0.1:" +
      std::to_string(two.port()) + "\n";
  HearthProcess h(cfg, {.wait_ports = {port}});
  ASSERT_TRUE(h.ready()) << h.describe();
  EXPECT_EQ(tcp::reach(port), "two");
  EXPECT_EQ(one.accepted(), 0u);
}

TEST(Switching, TcpFrontendWithoutBackendCloses) {
  const uint16_t port = free_tcp_port();
  const std::string cfg =
      "global\n  log stdout format raw local0\n"
      "defaults\n  mode tcp\n  log global\n  option tcplog\n"
      "  timeout connect 1s\n  timeout client 5s\n  timeout server 5s\n"
      "frontend fe\n  bind 127.0.0.1:" +
      std::to_string(port) + "\n";
  HearthProcess h(cfg, {.wait_ports = {port}});
  ASSERT_TRUE(h.ready()) << h.describe();
  EXPECT_EQ(tcp::reach(port), "");
  EXPECT_NE(tcp::wait_log_line(h, {" fe fe/<NOSRV> ", " SC "}), "") << h.output();
}

}  // namespace
}  // namespace hearth::test::http
