// make_listener applies a bind line's socket options: read back from the
// listening socket with getsockopt (the tests run as root, which
// "transparent" and "interface" need).
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <sys/socket.h>
#include <unistd.h>

#include <gtest/gtest.h>

#include <string>

#include "net/address.h"
#include "net/socket.h"

namespace hearth::net {
namespace {

int int_opt(int fd, int level, int name) {
  int v = -1;
  socklen_t len = sizeof v;
  EXPECT_EQ(getsockopt(fd, level, name, &v, &len), 0) << name;
  return v;
}

int listen_on(const std::string& addr, const ListenOptions& o) {
  std::string err;
  auto a = Address::parse(addr, &err);
  EXPECT_TRUE(a.has_value()) << err;
  const int fd = make_listener(*a, o, &err);
  EXPECT_GE(fd, 0) << err;
  return fd;
}

TEST(ListenOptions, TcpOptionsAreSetOnTheListeningSocket) {
  ListenOptions o;
  o.backlog = 64;
  o.tfo = true;
  o.defer_accept = true;
  o.mss = 1200;
  o.tcp_ut_ms = 3000;
  o.transparent = true;
  o.interface = "lo";
  const int fd = listen_on("127.0.0.1:0", o);
  ASSERT_GE(fd, 0);
  EXPECT_EQ(int_opt(fd, IPPROTO_TCP, TCP_FASTOPEN), 64);
  EXPECT_GT(int_opt(fd, IPPROTO_TCP, TCP_DEFER_ACCEPT), 0);
  EXPECT_EQ(int_opt(fd, IPPROTO_TCP, TCP_MAXSEG), 1200);
  EXPECT_EQ(int_opt(fd, IPPROTO_TCP, TCP_USER_TIMEOUT), 3000);
  EXPECT_EQ(int_opt(fd, IPPROTO_IP, IP_TRANSPARENT), 1);
  char dev[16] = {};
  socklen_t len = sizeof dev;
  ASSERT_EQ(getsockopt(fd, SOL_SOCKET, SO_BINDTODEVICE, dev, &len), 0);
  EXPECT_STREQ(dev, "lo");
  close(fd);
}

TEST(ListenOptions, DefaultsLeaveTheOptionsOff) {
  const int fd = listen_on("127.0.0.1:0", ListenOptions{});
  ASSERT_GE(fd, 0);
  EXPECT_EQ(int_opt(fd, IPPROTO_TCP, TCP_FASTOPEN), 0);
  EXPECT_EQ(int_opt(fd, IPPROTO_TCP, TCP_DEFER_ACCEPT), 0);
  EXPECT_EQ(int_opt(fd, IPPROTO_TCP, TCP_USER_TIMEOUT), 0);
  EXPECT_EQ(int_opt(fd, IPPROTO_IP, IP_TRANSPARENT), 0);
  close(fd);
}

TEST(ListenOptions, V6onlyAndV4v6) {
  ListenOptions o;
  o.v6only = 1;
  int fd = listen_on("[::]:0", o);
  ASSERT_GE(fd, 0);
  EXPECT_EQ(int_opt(fd, IPPROTO_IPV6, IPV6_V6ONLY), 1);
  close(fd);
  o.v6only = 0;
  fd = listen_on("[::]:0", o);
  ASSERT_GE(fd, 0);
  EXPECT_EQ(int_opt(fd, IPPROTO_IPV6, IPV6_V6ONLY), 0);
  close(fd);
}

TEST(ListenOptions, NegativeMssReducesTheDefault) {
  const int plain = listen_on("127.0.0.1:0", ListenOptions{});
  ListenOptions o;
  o.mss = -20;
  const int fd = listen_on("127.0.0.1:0", o);
  ASSERT_GE(fd, 0);
  EXPECT_EQ(int_opt(fd, IPPROTO_TCP, TCP_MAXSEG), int_opt(plain, IPPROTO_TCP, TCP_MAXSEG) - 20);
  close(fd);
  close(plain);
}

TEST(ListenOptions, AnUnknownInterfaceIsAnError) {
  ListenOptions o;
  o.interface = "nosuchif0";
  std::string err;
  auto a = Address::parse("127.0.0.1:0", &err);
  ASSERT_TRUE(a);
  EXPECT_LT(make_listener(*a, o, &err), 0);
  EXPECT_NE(err.find("nosuchif0"), std::string::npos) << err;
}

}  // namespace
}  // namespace hearth::net
