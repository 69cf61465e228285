// option abortonclose in TCP mode, run through hearth and through HAProxy
// 2.6 on the same configuration: a client that closes (shutw) while its
// session waits in the server's queue or for the server's connect is
// aborted at once (CQ / CC, no server connection), where without the option
// it is served once a slot frees; without the option only a client that
// closes with nothing to send (or fails) is aborted.
#include <gtest/gtest.h>
#include <sys/socket.h>

#include <thread>

#include "integration/tcp_test_util.h"

namespace hearth::test::tcp {
namespace {

std::string queue_config(uint16_t port, uint16_t srv, bool abort) {
  return tcp_config(port, {.global = "    log stdout format raw daemon\n",
                           .defaults = "    log global\n    option tcplog\n"
                                       "    timeout connect 2s\n    timeout client 10s\n"
                                       "    timeout server 10s\n    timeout queue 5s\n",
                           .backend = std::string(abort ? "    option abortonclose\n" : "") +
                                      server_line("s", srv, "maxconn 1")});
}

TEST(AbortOnClose, ClientThatClosesInTheQueueIsAbortedWithCQ) {
  for (const std::string binary : kBinaries) {
    SCOPED_TRACE(name_of(binary));
    NameServer s("s");
    const uint16_t port = free_tcp_port();
    HearthProcess h(queue_config(port, s.port(), true), options_for(binary, port));
    ASSERT_TRUE(h.ready()) << h.describe();
    UniqueFd holder(connect_tcp(port, milliseconds{1000}));
    ASSERT_EQ(recv_line(holder.get(), milliseconds{3000}), "s");
    UniqueFd waiter(connect_tcp(port, milliseconds{1000}));
    ASSERT_TRUE(send_all(waiter.get(), "hello"));
    std::this_thread::sleep_for(milliseconds{100});  // queued
    ::shutdown(waiter.get(), SHUT_WR);
    Outcome o = drain(waiter.get(), milliseconds{3000});
    EXPECT_TRUE(o.closed);
    EXPECT_EQ(o.bytes, "");
    EXPECT_LT(o.ms, 1000);
    // The log line: no server, -1 for the wait in queue, CQ.
    std::string line = wait_log_line(h, {" fe be/<NOSRV> ", " CQ "});
    EXPECT_NE(line, "") << h.output();
    EXPECT_NE(line.find("/-1/"), std::string::npos) << line;
    holder.reset();
    std::this_thread::sleep_for(milliseconds{200});
    EXPECT_EQ(s.accepted(), 1u);  // the aborted session never reached the server
  }
}

TEST(AbortOnClose, WithoutTheOptionOnlyAClientWithNothingToSendIsAborted) {
  for (const std::string binary : kBinaries) {
    SCOPED_TRACE(name_of(binary));
    NameServer s("s");
    const uint16_t port = free_tcp_port();
    HearthProcess h(queue_config(port, s.port(), false), options_for(binary, port));
    ASSERT_TRUE(h.ready()) << h.describe();
    UniqueFd holder(connect_tcp(port, milliseconds{1000}));
    ASSERT_EQ(recv_line(holder.get(), milliseconds{3000}), "s");
    UniqueFd waiter(connect_tcp(port, milliseconds{1000}));
    ASSERT_TRUE(send_all(waiter.get(), "hello"));
    std::this_thread::sleep_for(milliseconds{100});
    ::shutdown(waiter.get(), SHUT_WR);
    EXPECT_EQ(recv_line(waiter.get(), milliseconds{400}), std::nullopt);  // still queued
    // A client that closes with nothing to send is aborted all the same.
    UniqueFd empty(connect_tcp(port, milliseconds{1000}));
    std::this_thread::sleep_for(milliseconds{100});
    ::shutdown(empty.get(), SHUT_WR);
    Outcome o = drain(empty.get(), milliseconds{3000});
    EXPECT_TRUE(o.closed);
    EXPECT_LT(o.ms, 1000);
    EXPECT_NE(wait_log_line(h, {" fe be/<NOSRV> ", " CQ "}), "") << h.output();
    holder.reset();
    EXPECT_EQ(recv_line(waiter.get(), milliseconds{3000}), "s");
    EXPECT_EQ(s.accepted(), 2u);
  }
}

TEST(AbortOnClose, ClientThatClosesWhileTheServerConnectHangsIsAbortedWithCC) {
  for (const std::string binary : kBinaries) {
    SCOPED_TRACE(name_of(binary));
    BlackholeListener hole;
    ASSERT_TRUE(hole.full());
    const uint16_t port = free_tcp_port();
    HearthProcess h(
        tcp_config(port, {.global = "    log stdout format raw daemon\n",
                          .defaults = "    log global\n    option tcplog\n"
                                      "    timeout connect 3s\n    timeout client 10s\n"
                                      "    timeout server 10s\n",
                          .backend = "    option abortonclose\n" + server_line("s", hole.port())}),
        options_for(binary, port));
    ASSERT_TRUE(h.ready()) << h.describe();
    UniqueFd c(connect_tcp(port, milliseconds{1000}));
    ASSERT_TRUE(send_all(c.get(), "hello"));
    std::this_thread::sleep_for(milliseconds{200});
    ::shutdown(c.get(), SHUT_WR);
    Outcome o = drain(c.get(), milliseconds{5000});
    EXPECT_TRUE(o.closed);
    EXPECT_LT(o.ms, 1000);  // not the 3 s connect timeout
    // The server was chosen, the connect never completed (Tc -1), CC.
    std::string line = wait_log_line(h, {" fe be/s ", " CC "});
    EXPECT_NE(line, "") << h.output();
    EXPECT_NE(line.find("/-1/"), std::string::npos) << line;
  }
}

}  // namespace
}  // namespace hearth::test::tcp
