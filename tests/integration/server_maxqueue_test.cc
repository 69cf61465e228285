// Server maxqueue, run through hearth and through HAProxy 2.6: sessions sent
// to a full server by use-server wait for it at most maxqueue at a time; one
// more gets a 503 logged SQ, or with option redispatch goes to another server.
#include <gtest/gtest.h>

#include <future>
#include <thread>

#include "http_test_util.h"
#include "integration/tcp_test_util.h"

namespace hearth::test::http {
namespace {

using tcp::kBinaries;
using tcp::name_of;
using tcp::options_for;

std::string config(uint16_t port, uint16_t s1, uint16_t s2, bool redispatch) {
  return "global\n  log stdout format raw local0\n"
         "defaults\n  mode http\n  log global\n  option httplog\n  timeout connect 2s\n"
         "  timeout client 5s\n  timeout server 5s\n  timeout queue 5s\n"
         "frontend fe\n  bind 127.0.0.1:" +
         std::to_string(port) + "\n  default_backend be\nbackend be\n" +
         (redispatch ? "  option redispatch\n" : "") +
         "  use-server s1 if TRUE\n"
         "  server s1 127.0.0.1:" +
         std::to_string(s1) + " maxconn 1 maxqueue 1\n  server s2 127.0.0.1:" + std::to_string(s2) +
         "\n";
}

int get_status(uint16_t port, const std::string& path) {
  HttpClient c(port);
  if (!c.send("GET " + path + " HTTP/1.1\r\nhost: x\r\n\r\n")) return -1;
  return c.read_response().status;
}

TEST(ServerMaxqueue, OneSessionMoreThanTheQueueTakesIsRefusedOrRedispatched) {
  for (const std::string binary : kBinaries) {
    for (bool redispatch : {false, true}) {
      SCOPED_TRACE(name_of(binary) + (redispatch ? " redispatch" : ""));
      HttpBackend s1, s2;
      const uint16_t port = free_tcp_port();
      HearthProcess h(config(port, s1.port(), s2.port(), redispatch), options_for(binary, port));
      ASSERT_TRUE(h.ready()) << h.describe();
      // One on s1 (its maxconn), one waiting for it (its maxqueue).
      auto first = std::async(std::launch::async, [&] { return get_status(port, "/slow/800"); });
      std::this_thread::sleep_for(milliseconds{150});
      auto second = std::async(std::launch::async, [&] { return get_status(port, "/slow/1"); });
      std::this_thread::sleep_for(milliseconds{150});
      const auto start = tcp::SteadyClock::now();
      const int third = get_status(port, "/third");
      EXPECT_LT(tcp::ms_since(start), 400);  // not queued behind the others
      EXPECT_EQ(first.get(), 200);
      EXPECT_EQ(second.get(), 200);
      if (redispatch) {
        EXPECT_EQ(third, 200);
        EXPECT_EQ(s2.request_count(), 1u);
      } else {
        EXPECT_EQ(third, 503);
        EXPECT_EQ(s2.request_count(), 0u);
        EXPECT_NE(tcp::wait_log_line(h, {" fe be/s1 ", " 503 ", " SQ-- "}), "") << h.output();
      }
      EXPECT_EQ(s1.request_count(), 2u);
    }
  }
}

}  // namespace
}  // namespace hearth::test::http
