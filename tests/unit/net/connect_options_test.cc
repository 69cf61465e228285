// start_connect applies a server's socket options (source, tfo, buffer
// sizes) and Listener applies tune.maxaccept and the client buffer sizes.
#include <gtest/gtest.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <sys/socket.h>
#include <unistd.h>

#include <vector>

#include "core/event_loop.h"
#include "net/address.h"
#include "net/listener.h"
#include "net/socket.h"

namespace hearth::net {
namespace {

int int_opt(int fd, int level, int name) {
  int v = -1;
  socklen_t len = sizeof v;
  EXPECT_EQ(getsockopt(fd, level, name, &v, &len), 0) << name;
  return v;
}

Address addr(const std::string& text) {
  std::string err;
  auto a = Address::parse(text, &err);
  EXPECT_TRUE(a.has_value()) << err;
  return a.value_or(Address{});
}

Address local_of(int fd) {
  sockaddr_storage ss{};
  socklen_t len = sizeof ss;
  EXPECT_EQ(getsockname(fd, reinterpret_cast<sockaddr*>(&ss), &len), 0);
  return Address::from(reinterpret_cast<sockaddr*>(&ss), len);
}

TEST(ConnectOptions, SourceTfoAndBuffersAreSetBeforeConnecting) {
  std::string err;
  const int lfd = make_listener(addr("127.0.0.1:0"), ListenOptions{}, &err);
  ASSERT_GE(lfd, 0) << err;
  ConnectOptions o;
  o.has_source = true;
  o.source = addr("127.0.0.7:0");
  o.tfo = true;
  o.sndbuf = 8192;
  o.rcvbuf = 4096;
  int e = 0;
  const int fd = start_connect(local_of(lfd), &e, o);
  ASSERT_GE(fd, 0) << e;
  char ip[64];
  EXPECT_STREQ(local_of(fd).ip_str(ip, sizeof ip), "127.0.0.7");
  EXPECT_EQ(int_opt(fd, IPPROTO_TCP, TCP_FASTOPEN_CONNECT), 1);
  EXPECT_EQ(int_opt(fd, SOL_SOCKET, SO_SNDBUF), 2 * 8192);  // the kernel doubles it
  EXPECT_EQ(int_opt(fd, SOL_SOCKET, SO_RCVBUF), 2 * 4096);
  close(fd);
  close(lfd);
}

TEST(ConnectOptions, DefaultsLeaveTheSocketAlone) {
  std::string err;
  const int lfd = make_listener(addr("127.0.0.1:0"), ListenOptions{}, &err);
  ASSERT_GE(lfd, 0) << err;
  int e = 0;
  const int fd = start_connect(local_of(lfd), &e);
  ASSERT_GE(fd, 0) << e;
  char ip[64];
  EXPECT_STREQ(local_of(fd).ip_str(ip, sizeof ip), "127.0.0.1");
  EXPECT_EQ(int_opt(fd, IPPROTO_TCP, TCP_FASTOPEN_CONNECT), 0);
  EXPECT_NE(int_opt(fd, SOL_SOCKET, SO_SNDBUF), 2 * 8192);
  close(fd);
  close(lfd);
}

TEST(ConnectOptions, ASourceThatCannotBeBoundFailsTheConnect) {
  ConnectOptions o;
  o.has_source = true;
  o.source = addr("192.0.2.1:0");  // not an address of this host
  int e = 0;
  EXPECT_EQ(start_connect(addr("127.0.0.1:9"), &e, o), -1);
  EXPECT_EQ(e, EADDRNOTAVAIL);
}

struct Accepted {
  std::vector<int> fds;
};
void on_accept(Listener*, int fd, const Address&, void* ctx) {
  static_cast<Accepted*>(ctx)->fds.push_back(fd);
}

TEST(ListenerTuning, MaxAcceptBoundsOneWakeUpAndBuffersAreSet) {
  EventLoop loop;
  loop.make_current();
  std::string err;
  const int lfd = make_listener(addr("127.0.0.1:0"), ListenOptions{}, &err);
  ASSERT_GE(lfd, 0) << err;
  const Address target = local_of(lfd);
  Accepted acc;
  Listener l(&loop, lfd, /*owns_fd=*/true, &on_accept, nullptr, &acc);
  l.set_max_accept(2);
  l.set_buffers(/*sndbuf=*/16384, /*rcvbuf=*/8192);
  ASSERT_TRUE(l.start(/*exclusive=*/false));
  std::vector<int> clients;
  for (int i = 0; i < 5; ++i) {
    int e = 0;
    clients.push_back(start_connect(target, &e));
    ASSERT_GE(clients.back(), 0) << e;
  }
  // Loopback connects complete in the kernel at once: all five wait in the
  // backlog, and one readiness event takes two.
  l.on_fd_event(EPOLLIN);
  EXPECT_EQ(acc.fds.size(), 2u);
  l.on_fd_event(EPOLLIN);
  l.on_fd_event(EPOLLIN);
  EXPECT_EQ(acc.fds.size(), 5u);
  for (int fd : acc.fds) {
    EXPECT_EQ(int_opt(fd, SOL_SOCKET, SO_SNDBUF), 2 * 16384);
    EXPECT_EQ(int_opt(fd, SOL_SOCKET, SO_RCVBUF), 2 * 8192);
    close(fd);
  }
  for (int fd : clients) close(fd);
}

TEST(ListenerTuning, MinusOneAcceptsTheWholeBacklog) {
  EventLoop loop;
  loop.make_current();
  std::string err;
  const int lfd = make_listener(addr("127.0.0.1:0"), ListenOptions{}, &err);
  ASSERT_GE(lfd, 0) << err;
  const Address target = local_of(lfd);
  Accepted acc;
  Listener l(&loop, lfd, /*owns_fd=*/true, &on_accept, nullptr, &acc);
  l.set_max_accept(-1);
  ASSERT_TRUE(l.start(/*exclusive=*/false));
  std::vector<int> clients;
  for (int i = 0; i < 70; ++i) {  // more than the default batch of 64
    int e = 0;
    clients.push_back(start_connect(target, &e));
    ASSERT_GE(clients.back(), 0) << e;
  }
  l.on_fd_event(EPOLLIN);
  EXPECT_EQ(acc.fds.size(), 70u);
  for (int fd : acc.fds) close(fd);
  for (int fd : clients) close(fd);
}

}  // namespace
}  // namespace hearth::net
