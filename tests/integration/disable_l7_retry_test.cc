// http-request disable-l7-retry, compared with HAProxy 2.6: a backend with
// "retry-on 503" whose server answers 503 on each odd connection and 200 on
// the others. A request is retried (the client sees 200, two connections)
// unless disable-l7-retry ran for it (503, one connection).
#include <gtest/gtest.h>

#include <atomic>
#include <string>

#include "http_test_util.h"
#include "support/ports.h"
#include "support/scripted_server.h"

namespace hearth::test::http {
namespace {

struct Outcome {
  int status = 0;
  uint64_t connections = 0;
};

// One GET `path` through `binary` ("" = hearth) to a fresh flaky server.
Outcome run(const std::string& binary, const std::string& path) {
  std::atomic<int> n{0};
  const auto fail = scripted::reply_and_close(
      "HTTP/1.1 503 Service Unavailable\r\ncontent-length: 0\r\nconnection: close\r\n\r\n");
  const auto ok = scripted::reply_and_close(
      "HTTP/1.1 200 OK\r\ncontent-length: 3\r\nconnection: close\r\n\r\nok\n");
  ScriptedServer flaky([&](int fd) { (n.fetch_add(1) % 2 == 0 ? fail : ok)(fd); });
  const uint16_t port = free_tcp_port();
  const std::string cfg =
      "defaults\n  mode http\n  timeout client 5s\n  timeout server 5s\n"
      "  timeout connect 5s\n  retries 3\n"
      "frontend fe\n  bind 127.0.0.1:" +
      std::to_string(port) +
      "\n  http-request disable-l7-retry if { path /off }\n  default_backend b\n"
      "backend b\n  retry-on 503\n"
      "  http-request disable-l7-retry if { path /off-in-backend }\n"
      "  server s1 127.0.0.1:" +
      std::to_string(flaky.port()) + "\n";
  HearthOptions opt{.wait_ports = {port}};
  if (!binary.empty()) opt.binary = binary, opt.extra_args = {"-db"};
  HearthProcess h(cfg, opt);
  EXPECT_TRUE(h.ready()) << binary << ": " << h.describe();
  if (!h.ready()) return {};
  HttpClient c(port);
  Outcome o;
  o.status = c.request("GET", path).status;
  o.connections = flaky.accepted();
  return o;
}

class DisableL7Retry : public ::testing::TestWithParam<const char*> {};

TEST_P(DisableL7Retry, SameAsHAProxy) {
  const std::string path = GetParam();
  const bool off = path != "/on";
  const Outcome ours = run("", path);
  const Outcome theirs = run("haproxy", path);
  EXPECT_EQ(ours.status, off ? 503 : 200);
  EXPECT_EQ(ours.connections, off ? 1u : 2u);
  EXPECT_EQ(ours.status, theirs.status);
  EXPECT_EQ(ours.connections, theirs.connections);
}

INSTANTIATE_TEST_SUITE_P(Paths, DisableL7Retry, ::testing::Values("/on", "/off", "/off-in-backend"),
                         [](const auto& info) {
                           const std::string p = info.param;
                           return p == "/on"    ? std::string("Retried")
                                  : p == "/off" ? std::string("OffInFrontend")
                                                : std::string("OffInBackend");
                         });

}  // namespace
}  // namespace hearth::test::http
