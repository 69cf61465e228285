// TCP mode: server maxconn with its queue, and frontend maxconn.
#include <gtest/gtest.h>

#include <thread>

#include "integration/tcp_test_util.h"

namespace hearth::test::tcp {
namespace {

TEST(TcpQueue, ServerMaxconnQueuesExtraSessionsInOrder) {
  NameServer s("s");
  TcpProxy proxy({.defaults = "    timeout connect 2s\n    timeout client 10s\n"
                              "    timeout server 10s\n    timeout queue 5s\n",
                  .backend = server_line("s", s.port(), "maxconn 2")});
  ASSERT_TRUE(proxy.hearth.ready()) << proxy.hearth.describe();

  std::vector<UniqueFd> fds;
  for (int i = 0; i < 4; ++i) {
    fds.emplace_back(proxy.connect());
    ASSERT_TRUE(fds.back().valid());
  }
  EXPECT_EQ(recv_line(fds[0].get(), milliseconds{3000}), "s");
  EXPECT_EQ(recv_line(fds[1].get(), milliseconds{3000}), "s");
  // The other two wait in hearth's queue: no backend connection, no data.
  std::this_thread::sleep_for(milliseconds{300});
  EXPECT_EQ(s.accepted(), 2u);
  EXPECT_EQ(s.active(), 2);
  EXPECT_EQ(recv_line(fds[2].get(), milliseconds{50}), std::nullopt);
  EXPECT_EQ(recv_line(fds[3].get(), milliseconds{50}), std::nullopt);

  // Ending one session lets the oldest waiter in, and only that one.
  fds[0].reset();
  EXPECT_EQ(recv_line(fds[2].get(), milliseconds{3000}), "s");
  EXPECT_TRUE(s.wait_accepted(3, milliseconds{3000}));
  std::this_thread::sleep_for(milliseconds{200});
  EXPECT_EQ(s.accepted(), 3u);
  EXPECT_EQ(s.active(), 2);
  EXPECT_EQ(recv_line(fds[3].get(), milliseconds{50}), std::nullopt);

  fds[1].reset();
  EXPECT_EQ(recv_line(fds[3].get(), milliseconds{3000}), "s");
  EXPECT_EQ(s.accepted(), 4u);
}

TEST(TcpQueue, QueuedSessionIsClosedAtTimeoutQueue) {
  NameServer s("s");
  TcpProxy proxy({.global = "    log stdout format raw daemon\n",
                  .defaults = "    log global\n    option tcplog\n    timeout connect 2s\n"
                              "    timeout client 10s\n    timeout server 10s\n"
                              "    timeout queue 300ms\n",
                  .backend = server_line("s", s.port(), "maxconn 1")});
  ASSERT_TRUE(proxy.hearth.ready()) << proxy.hearth.describe();

  UniqueFd holder(proxy.connect());
  ASSERT_TRUE(holder.valid());
  ASSERT_EQ(recv_line(holder.get(), milliseconds{3000}), "s");

  UniqueFd waiter(proxy.connect());
  ASSERT_TRUE(waiter.valid());
  auto start = SteadyClock::now();
  bool closed = false;
  EXPECT_EQ(recv_until_eof(waiter.get(), milliseconds{5000}, &closed), "");
  int64_t waited = ms_since(start);
  EXPECT_TRUE(closed);
  EXPECT_GE(waited, 250);
  EXPECT_LT(waited, 2000);
  EXPECT_EQ(s.accepted(), 1u);
  EXPECT_NE(wait_log_line(proxy.hearth, {" fe be/", " sQ "}), "") << proxy.hearth.output();

  // The session that held the slot is unaffected.
  EXPECT_FALSE(peer_closed(holder.get(), milliseconds{100}));
}

TEST(TcpQueue, FrontendMaxconnHoldsTheExtraConnectionUntilOneCloses) {
  EchoServer echo;
  TcpProxy proxy({.frontend = "    maxconn 3\n", .backend = server_line("echo", echo.port())});
  ASSERT_TRUE(proxy.hearth.ready()) << proxy.hearth.describe();

  std::vector<UniqueFd> fds;
  for (int i = 0; i < 3; ++i) {
    fds.emplace_back(proxy.connect());
    ASSERT_TRUE(fds.back().valid());
    ASSERT_TRUE(send_all(fds.back().get(), "ping\n"));
    ASSERT_EQ(recv_line(fds.back().get(), milliseconds{3000}), "ping");
  }
  // The kernel completes the 4th handshake, but hearth does not accept it.
  UniqueFd fourth(proxy.connect());
  ASSERT_TRUE(fourth.valid());
  ASSERT_TRUE(send_all(fourth.get(), "late\n"));
  EXPECT_EQ(recv_line(fourth.get(), milliseconds{400}), std::nullopt);
  EXPECT_EQ(echo.accepted(), 3u);

  fds[0].reset();
  EXPECT_EQ(recv_line(fourth.get(), milliseconds{3000}), "late");
  EXPECT_EQ(echo.accepted(), 4u);
  // Still at most three at once.
  UniqueFd fifth(proxy.connect());
  ASSERT_TRUE(send_all(fifth.get(), "fifth\n"));
  EXPECT_EQ(recv_line(fifth.get(), milliseconds{300}), std::nullopt);
  fds[1].reset();
  EXPECT_EQ(recv_line(fifth.get(), milliseconds{3000}), "fifth");
}

TEST(TcpQueue, GlobalMaxconnLimitsEveryFrontend) {
  EchoServer echo;
  TcpProxy proxy({.global = "    maxconn 2\n", .backend = server_line("echo", echo.port())});
  ASSERT_TRUE(proxy.hearth.ready()) << proxy.hearth.describe();

  std::vector<UniqueFd> fds;
  for (int i = 0; i < 2; ++i) {
    fds.emplace_back(proxy.connect());
    ASSERT_TRUE(send_all(fds.back().get(), "x\n"));
    ASSERT_EQ(recv_line(fds.back().get(), milliseconds{3000}), "x");
  }
  UniqueFd third(proxy.connect());
  ASSERT_TRUE(third.valid());
  ASSERT_TRUE(send_all(third.get(), "third\n"));
  EXPECT_EQ(recv_line(third.get(), milliseconds{400}), std::nullopt);
  fds[1].reset();
  EXPECT_EQ(recv_line(third.get(), milliseconds{3000}), "third");
}

// Without `timeout queue`, a queued session waits at most `timeout connect`.
TEST(TcpQueue, QueueTimeoutDefaultsToConnectTimeout) {
  NameServer s("s");
  TcpProxy proxy({.defaults = "    timeout connect 300ms\n    timeout client 10s\n"
                              "    timeout server 10s\n",
                  .backend = server_line("s", s.port(), "maxconn 1")});
  ASSERT_TRUE(proxy.hearth.ready()) << proxy.hearth.describe();
  UniqueFd holder;
  ASSERT_EQ(reach(proxy.port, &holder), "s");

  UniqueFd waiter(proxy.connect());
  ASSERT_TRUE(waiter.valid());
  auto start = SteadyClock::now();
  EXPECT_TRUE(peer_closed(waiter.get(), milliseconds{5000}));
  EXPECT_GE(ms_since(start), 250);
  EXPECT_LT(ms_since(start), 2000);
  EXPECT_EQ(s.accepted(), 1u);
}

// What a client sent (and its FIN) while queued is delivered once a slot frees.
TEST(TcpQueue, DataAndFinSentWhileQueuedAreDelivered) {
  EchoServer echo;
  TcpProxy proxy({.defaults = "    timeout connect 2s\n    timeout client 10s\n"
                              "    timeout server 10s\n    timeout queue 5s\n",
                  .backend = server_line("echo", echo.port(), "maxconn 1")});
  ASSERT_TRUE(proxy.hearth.ready()) << proxy.hearth.describe();
  UniqueFd holder(proxy.connect());
  ASSERT_TRUE(send_all(holder.get(), "holder\n"));
  ASSERT_EQ(recv_line(holder.get(), milliseconds{3000}), "holder");

  UniqueFd queued(proxy.connect());
  ASSERT_TRUE(queued.valid());
  ASSERT_TRUE(send_all(queued.get(), "sent while queued"));
  ASSERT_TRUE(shutdown_write(queued.get()));
  std::this_thread::sleep_for(milliseconds{200});
  EXPECT_EQ(echo.accepted(), 1u);
  holder.reset();
  bool closed = false;
  EXPECT_EQ(recv_until_eof(queued.get(), milliseconds{5000}, &closed), "sent while queued");
  EXPECT_TRUE(closed);
}

}  // namespace
}  // namespace hearth::test::tcp
