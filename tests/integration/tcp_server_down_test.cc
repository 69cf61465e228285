// TCP mode: servers that refuse connections, retries and redispatch.
#include <gtest/gtest.h>
#include <poll.h>
#include <sys/socket.h>

#include <thread>

#include "integration/tcp_test_util.h"

namespace hearth::test::tcp {
namespace {

// Refused connects are retried after min(timeout connect, 1s): keep it short.
const std::string kFastRetry =
    "    timeout connect 200ms\n    timeout client 10s\n    timeout server 10s\n";

TEST(TcpServerDown, RedispatchMovesSessionsToTheLiveServer) {
  NameServer live("live");
  TcpProxy proxy({.defaults = kFastRetry,
                  .backend = "    balance roundrobin\n    retries 2\n    option redispatch\n" +
                             server_line("dead", dead_port()) + server_line("live", live.port())});
  ASSERT_TRUE(proxy.hearth.ready()) << proxy.hearth.describe();

  // Round robin sends every other session to the dead server first.
  std::map<std::string, int> seen = tally(proxy.port, 10);
  EXPECT_EQ(seen, (std::map<std::string, int>{{"live", 10}}));
  EXPECT_EQ(live.accepted(), 10u);
}

TEST(TcpServerDown, WithoutRedispatchTheClientIsClosedWithoutData) {
  uint16_t dead = dead_port();
  TcpProxy proxy(
      {.defaults = kFastRetry, .backend = "    retries 2\n" + server_line("dead", dead)});
  ASSERT_TRUE(proxy.hearth.ready()) << proxy.hearth.describe();

  for (int i = 0; i < 2; ++i) {
    UniqueFd fd(proxy.connect());
    ASSERT_TRUE(fd.valid());
    auto start = SteadyClock::now();
    bool closed = false;
    EXPECT_EQ(recv_until_eof(fd.get(), milliseconds{5000}, &closed), "");
    EXPECT_TRUE(closed) << "session " << i << " left open";
    // Three attempts, 200 ms apart.
    EXPECT_GE(ms_since(start), 350) << "retries did not wait";
    EXPECT_LT(ms_since(start), 3000);
  }
  // Hearth keeps running and serving.
  EXPECT_TRUE(proxy.hearth.process().running());
}

TEST(TcpServerDown, WithoutRedispatchADeadServerIsNotAvoided) {
  NameServer live("live");
  TcpProxy proxy({.defaults = kFastRetry,
                  .backend = "    balance roundrobin\n    retries 1\n    no option redispatch\n" +
                             server_line("dead", dead_port()) + server_line("live", live.port())});
  ASSERT_TRUE(proxy.hearth.ready()) << proxy.hearth.describe();

  std::map<std::string, int> seen = tally(proxy.port, 10);
  EXPECT_EQ(seen, (std::map<std::string, int>{{"", 5}, {"live", 5}}));
}

// A server that starts listening a moment after the first attempt is reached
// by a later retry: retries wait min(timeout connect, 1s) after a refusal.
TEST(TcpServerDown, RetryReachesAServerThatStartsLate) {
  uint16_t port = dead_port();
  TcpProxy proxy({.defaults = "    timeout connect 250ms\n    timeout client 10s\n"
                              "    timeout server 10s\n",
                  .backend = "    retries 3\n" + server_line("late", port)});
  ASSERT_TRUE(proxy.hearth.ready()) << proxy.hearth.describe();

  UniqueFd fd(proxy.connect());
  ASSERT_TRUE(fd.valid());
  std::this_thread::sleep_for(milliseconds{300});
  UniqueFd listener(listen_loopback(port, nullptr));
  ASSERT_TRUE(listener.valid()) << "port " << port << " was taken meanwhile";
  ASSERT_TRUE(send_all(fd.get(), "hello"));
  // The retry lands in the listener's accept queue.
  pollfd p{listener.get(), POLLIN, 0};
  ASSERT_EQ(poll(&p, 1, 3000), 1) << "no retry reached the server";
  UniqueFd conn(accept(listener.get(), nullptr, nullptr));
  ASSERT_TRUE(conn.valid());
  EXPECT_EQ(recv_n(conn.get(), 5, milliseconds{2000}), "hello");
  ASSERT_TRUE(send_all(conn.get(), "world"));
  EXPECT_EQ(recv_n(fd.get(), 5, milliseconds{2000}), "world");
}

}  // namespace
}  // namespace hearth::test::tcp
