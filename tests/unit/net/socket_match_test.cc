// A socket received from another process is used by a bind only if its
// address and its options, read back from the socket, are the bind's.
#include "net/socket_match.h"

#include <fcntl.h>
#include <gtest/gtest.h>
#include <sys/socket.h>
#include <unistd.h>

#include "net/adopted_sockets.h"
#include "net/listen_set.h"
#include "support/ports.h"

namespace hearth::net {
namespace {

Address addr(const std::string& text) {
  std::string err;
  return *Address::parse(text, &err);
}

Address loopback(uint16_t port) { return addr("127.0.0.1:" + std::to_string(port)); }

bool is_open(int fd) { return fcntl(fd, F_GETFD) != -1; }

// The backlog cannot be read back: a taken socket is seen still listening.
int listening(int fd) {
  int v = 0;
  socklen_t len = sizeof v;
  getsockopt(fd, SOL_SOCKET, SO_ACCEPTCONN, &v, &len);
  return v;
}

TEST(SocketMatch, SameAddressAndOptionsMatch) {
  const Address a = loopback(test::free_tcp_port());
  ListenOptions o;
  std::string err;
  const int fd = make_listener(a, o, &err);
  ASSERT_GE(fd, 0) << err;
  EXPECT_TRUE(listener_matches(fd, a, o));
  o.backlog = 5;  // the backlog is not part of the socket's identity
  EXPECT_TRUE(listener_matches(fd, a, o));
  o.delay_ack = true;  // nor tcp-smart-accept (set again after listen)
  EXPECT_TRUE(listener_matches(fd, a, o));
  close(fd);
}

TEST(SocketMatch, AnotherAddressDoesNotMatch) {
  const uint16_t port = test::free_tcp_port();
  ListenOptions o;
  std::string err;
  const int fd = make_listener(loopback(port), o, &err);
  ASSERT_GE(fd, 0) << err;
  EXPECT_FALSE(listener_matches(fd, loopback(test::free_tcp_port()), o));
  EXPECT_FALSE(listener_matches(fd, addr("127.0.0.2:" + std::to_string(port)), o));
  EXPECT_FALSE(listener_matches(fd, addr("[::1]:" + std::to_string(port)), o));
  close(fd);
}

TEST(SocketMatch, EachSocketOptionCounts) {
  const Address a = loopback(test::free_tcp_port());
  std::string err;
  auto check = [&](void (*change)(ListenOptions*)) {
    ListenOptions plain, changed;
    change(&changed);
    const int p = make_listener(a, plain, &err);
    const int c = make_listener(a, changed, &err);
    ASSERT_GE(p, 0) << err;
    ASSERT_GE(c, 0) << err;
    EXPECT_TRUE(listener_matches(c, a, changed));
    EXPECT_FALSE(listener_matches(p, a, changed));
    EXPECT_FALSE(listener_matches(c, a, plain));
    close(p);
    close(c);
  };
  check([](ListenOptions* o) { o->tfo = true; });
  check([](ListenOptions* o) { o->defer_accept = true; });
  check([](ListenOptions* o) { o->mss = 1200; });
  check([](ListenOptions* o) { o->mss = -100; });
  check([](ListenOptions* o) { o->tcp_ut_ms = 3000; });
  // Without SO_REUSEPORT the other socket could not bind: the reverse order.
  ListenOptions no_reuse;
  no_reuse.reuseport = false;
  const int fd = make_listener(a, no_reuse, &err);
  ASSERT_GE(fd, 0) << err;
  EXPECT_TRUE(listener_matches(fd, a, no_reuse));
  EXPECT_FALSE(listener_matches(fd, a, ListenOptions{}));
  close(fd);
}

TEST(SocketMatch, V6OnlyComparesWithTheSystemDefault) {
  const Address a = addr("[::1]:" + std::to_string(test::free_tcp_port()));
  std::string err;
  ListenOptions only;
  only.v6only = 1;
  const int fd = make_listener(a, only, &err);
  if (fd < 0) GTEST_SKIP() << "no IPv6 loopback: " << err;
  EXPECT_TRUE(listener_matches(fd, a, only));
  ListenOptions both;
  both.v6only = 0;
  EXPECT_FALSE(listener_matches(fd, a, both));
  close(fd);
}

TEST(SocketMatch, NotAListeningSocket) {
  const int s = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
  EXPECT_FALSE(listener_matches(s, loopback(1), ListenOptions{}));
  close(s);
  int sv[2];
  ASSERT_EQ(socketpair(AF_UNIX, SOCK_STREAM, 0, sv), 0);
  EXPECT_FALSE(listener_matches(sv[0], loopback(1), ListenOptions{}));
  close(sv[0]);
  close(sv[1]);
}

TEST(AdoptedSockets, BindsTakeMatchingSocketsOnceAndTheRestIsClosed) {
  const Address a = loopback(test::free_tcp_port());
  const Address b = loopback(test::free_tcp_port());
  ListenOptions o;
  std::string err;
  const int a0 = make_listener(a, o, &err), a1 = make_listener(a, o, &err);
  const int b0 = make_listener(b, o, &err);
  ASSERT_TRUE(a0 >= 0 && a1 >= 0 && b0 >= 0) << err;
  AdoptedSockets set;
  set.add(a0, "", "");
  set.add(b0, "", "");
  set.add(a1, "", "");
  o.backlog = 3;
  EXPECT_EQ(set.take(a, o), a0);  // two threads of one bind: one socket each
  EXPECT_EQ(set.take(a, o), a1);
  EXPECT_EQ(set.take(a, o), -1);
  EXPECT_EQ(listening(a0), 1);
  EXPECT_EQ(set.taken(), 2u);
  EXPECT_EQ(set.close_rest(), 1u);
  EXPECT_FALSE(is_open(b0));
  EXPECT_TRUE(is_open(a0));
  EXPECT_EQ(set.received(), 3u);
  close(a0);
  close(a1);
}

TEST(AdoptedSockets, TheSendersNamespaceAndInterfaceCount) {
  const Address a = loopback(test::free_tcp_port());
  ListenOptions o;
  std::string err;
  const int fd = make_listener(a, o, &err);
  ASSERT_GE(fd, 0) << err;
  AdoptedSockets set;
  set.add(fd, "blue", "");  // a namespace Hearth cannot have asked for
  EXPECT_EQ(set.take(a, o), -1);
  EXPECT_EQ(set.close_rest(), 1u);
  EXPECT_FALSE(is_open(fd));
}

TEST(AdoptedSockets, AListenSetTakesThemBeforeBindingAndClosesTheRestAtCommit) {
  const Address a = loopback(test::free_tcp_port());
  const Address b = loopback(test::free_tcp_port());
  ListenOptions o;
  std::string err;
  const int old_a = make_listener(a, o, &err), old_b = make_listener(b, o, &err);
  ASSERT_TRUE(old_a >= 0 && old_b >= 0) << err;
  AdoptedSockets adopted;
  adopted.add(old_a, "", "");
  adopted.add(old_b, "", "");
  ListenSet set;
  set.set_adopted(&adopted);
  EXPECT_EQ(set.get(a, o, 0, &err), old_a);
  const int fresh = set.get(a, o, 1, &err);  // a second thread: a new socket
  EXPECT_GE(fresh, 0);
  EXPECT_NE(fresh, old_a);
  set.commit();
  EXPECT_FALSE(is_open(old_b));  // nobody asked for it
  EXPECT_TRUE(is_open(old_a));
  EXPECT_EQ(adopted.taken(), 1u);
  set.close_all();
}

}  // namespace
}  // namespace hearth::net
