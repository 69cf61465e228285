// TCP mode: each timeout ends the session it should, when it should. Every
// timeout under test is short (200-1000 ms) and the others are long (10 s),
// so a session closed within the bounds was closed by the one under test.
#include <gtest/gtest.h>
#include <sys/socket.h>

#include <future>
#include <thread>

#include "integration/tcp_test_util.h"
#include "support/scripted_server.h"

namespace hearth::test::tcp {
namespace {

const std::string kLog = "    log stdout format raw daemon\n";

// Returns: defaults with logging and the given timeout lines.
std::string defaults_with(std::string_view timeouts) {
  return "    log global\n    option tcplog\n" + std::string(timeouts);
}

TEST(TcpTimeout, ClientTimeoutClosesAnIdleSession) {
  EchoServer echo;
  TcpProxy proxy({.global = kLog,
                  .defaults = defaults_with("    timeout connect 2s\n    timeout client 300ms\n"
                                            "    timeout server 10s\n"),
                  .backend = server_line("echo", echo.port())});
  ASSERT_TRUE(proxy.hearth.ready()) << proxy.hearth.describe();

  UniqueFd fd(proxy.connect());
  ASSERT_TRUE(fd.valid());
  ASSERT_TRUE(send_all(fd.get(), "hi\n"));
  ASSERT_EQ(recv_line(fd.get(), milliseconds{3000}), "hi");
  auto idle_since = SteadyClock::now();
  EXPECT_TRUE(peer_closed(fd.get(), milliseconds{5000}));
  EXPECT_GE(ms_since(idle_since), 250);
  EXPECT_LT(ms_since(idle_since), 2000);
  EXPECT_TRUE(echo.wait_active(0, milliseconds{2000})) << "server side left open";
  EXPECT_NE(wait_log_line(proxy.hearth, {" fe be/echo ", " cD "}), "") << proxy.hearth.output();
}

TEST(TcpTimeout, ClientTimeoutCountsInactivityNotSessionAge) {
  EchoServer echo;
  TcpProxy proxy({.defaults = "    timeout connect 2s\n    timeout client 300ms\n"
                              "    timeout server 10s\n",
                  .backend = server_line("echo", echo.port())});
  ASSERT_TRUE(proxy.hearth.ready()) << proxy.hearth.describe();

  UniqueFd fd(proxy.connect());
  ASSERT_TRUE(fd.valid());
  // 9 exchanges 100 ms apart: the session lives well past 300 ms.
  for (int i = 0; i < 9; ++i) {
    std::string line = "line " + std::to_string(i);
    ASSERT_TRUE(send_all(fd.get(), line + "\n")) << i;
    ASSERT_EQ(recv_line(fd.get(), milliseconds{2000}), line) << i;
    std::this_thread::sleep_for(milliseconds{100});
  }
  EXPECT_TRUE(peer_closed(fd.get(), milliseconds{3000}));
}

TEST(TcpTimeout, ServerTimeoutClosesWhenTheServerNeverAnswers) {
  ScriptedServer mute(scripted::never_answer());
  TcpProxy proxy({.global = kLog,
                  .defaults = defaults_with("    timeout connect 2s\n    timeout client 10s\n"
                                            "    timeout server 300ms\n"),
                  .backend = server_line("mute", mute.port())});
  ASSERT_TRUE(proxy.hearth.ready()) << proxy.hearth.describe();

  UniqueFd fd(proxy.connect());
  ASSERT_TRUE(fd.valid());
  ASSERT_TRUE(send_all(fd.get(), "anyone there?"));
  auto start = SteadyClock::now();
  bool closed = false;
  EXPECT_EQ(recv_until_eof(fd.get(), milliseconds{5000}, &closed), "");
  EXPECT_TRUE(closed);
  EXPECT_GE(ms_since(start), 250);
  EXPECT_LT(ms_since(start), 2000);
  EXPECT_TRUE(mute.wait_active(0, milliseconds{2000})) << "server side left open";
  EXPECT_NE(wait_log_line(proxy.hearth, {" fe be/mute ", " sD "}), "") << proxy.hearth.output();
}

// The server's accept queue is full, so hearth's SYN is never answered: each
// attempt ends by `timeout connect`, and a timed-out attempt is retried at once.
TEST(TcpTimeout, ConnectTimeoutEndsEachAttempt) {
  BlackholeListener hole;
  ASSERT_TRUE(hole.full()) << "could not fill the accept queue";
  TcpProxy proxy({.global = kLog,
                  .defaults = defaults_with("    timeout connect 300ms\n    timeout client 10s\n"
                                            "    timeout server 10s\n"),
                  .backend = "    retries 1\n" + server_line("hole", hole.port())});
  ASSERT_TRUE(proxy.hearth.ready()) << proxy.hearth.describe();

  UniqueFd fd(proxy.connect());
  ASSERT_TRUE(fd.valid());
  auto start = SteadyClock::now();
  bool closed = false;
  EXPECT_EQ(recv_until_eof(fd.get(), milliseconds{5000}, &closed), "");
  EXPECT_TRUE(closed);
  EXPECT_GE(ms_since(start), 550) << "two attempts of 300 ms each";
  EXPECT_LT(ms_since(start), 2500);
  EXPECT_NE(wait_log_line(proxy.hearth, {" fe be/hole ", " sC "}), "") << proxy.hearth.output();
}

TEST(TcpTimeout, TunnelTimeoutOverridesClientAndServer) {
  EchoServer echo;
  TcpProxy proxy({.defaults = "    timeout connect 2s\n    timeout client 200ms\n"
                              "    timeout server 200ms\n    timeout tunnel 1s\n",
                  .backend = server_line("echo", echo.port())});
  ASSERT_TRUE(proxy.hearth.ready()) << proxy.hearth.describe();

  UniqueFd fd(proxy.connect());
  ASSERT_TRUE(fd.valid());
  ASSERT_TRUE(send_all(fd.get(), "a\n"));
  ASSERT_EQ(recv_line(fd.get(), milliseconds{2000}), "a");
  std::this_thread::sleep_for(milliseconds{500});  // past client and server timeouts
  ASSERT_TRUE(send_all(fd.get(), "b\n"));
  ASSERT_EQ(recv_line(fd.get(), milliseconds{2000}), "b") << "closed before timeout tunnel";
  auto idle_since = SteadyClock::now();
  EXPECT_TRUE(peer_closed(fd.get(), milliseconds{5000}));
  EXPECT_GE(ms_since(idle_since), 800);
  EXPECT_LT(ms_since(idle_since), 3000);
}

// The client half-closes; the server neither answers nor closes. Only
// `timeout client-fin` can end the session early.
TEST(TcpTimeout, ClientFinTimeoutEndsAHalfClosedSession) {
  ScriptedServer server([](int fd) {
    recv_until_eof(fd, milliseconds{5000});
    hold_until_shutdown(fd);
  });
  TcpProxy proxy({.global = kLog,
                  .defaults = defaults_with("    timeout connect 2s\n    timeout client 10s\n"
                                            "    timeout server 10s\n"
                                            "    timeout client-fin 300ms\n"),
                  .backend = server_line("s", server.port())});
  ASSERT_TRUE(proxy.hearth.ready()) << proxy.hearth.describe();

  UniqueFd fd(proxy.connect());
  ASSERT_TRUE(fd.valid());
  ASSERT_TRUE(send_all(fd.get(), "bye"));
  ASSERT_TRUE(shutdown_write(fd.get()));
  auto start = SteadyClock::now();
  bool closed = false;
  EXPECT_EQ(recv_until_eof(fd.get(), milliseconds{5000}, &closed), "");
  EXPECT_TRUE(closed);
  EXPECT_GE(ms_since(start), 250);
  EXPECT_LT(ms_since(start), 2500);
  EXPECT_NE(wait_log_line(proxy.hearth, {" fe be/s ", " cD "}), "") << proxy.hearth.output();
}

// The server sends data then FIN and waits; the client stays open and silent.
// Only `timeout server-fin` can end the session early; the server sees it as
// hearth closing the connection.
TEST(TcpTimeout, ServerFinTimeoutEndsAHalfClosedSession) {
  std::promise<int64_t> closed_after;
  auto closed_after_result = closed_after.get_future();
  ScriptedServer server([&](int fd) {
    send_all(fd, "last words");
    shutdown(fd, SHUT_WR);
    auto fin_sent = SteadyClock::now();
    bool closed = false;
    recv_until_eof(fd, milliseconds{5000}, &closed);
    closed_after.set_value(closed ? ms_since(fin_sent) : -1);
  });
  TcpProxy proxy({.global = kLog,
                  .defaults = defaults_with("    timeout connect 2s\n    timeout client 10s\n"
                                            "    timeout server 10s\n"
                                            "    timeout server-fin 300ms\n"),
                  .backend = server_line("s", server.port())});
  ASSERT_TRUE(proxy.hearth.ready()) << proxy.hearth.describe();

  UniqueFd fd(proxy.connect());
  ASSERT_TRUE(fd.valid());
  bool closed = false;
  EXPECT_EQ(recv_until_eof(fd.get(), milliseconds{3000}, &closed), "last words");
  EXPECT_TRUE(closed);
  ASSERT_EQ(closed_after_result.wait_for(milliseconds{6000}), std::future_status::ready);
  int64_t after = closed_after_result.get();
  EXPECT_GE(after, 250);
  EXPECT_LT(after, 2500);
  EXPECT_NE(wait_log_line(proxy.hearth, {" fe be/s ", " sD "}), "") << proxy.hearth.output();
}

}  // namespace
}  // namespace hearth::test::tcp
