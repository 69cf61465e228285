#include "net/listen_set.h"

#include <fcntl.h>
#include <gtest/gtest.h>
#include <sys/socket.h>
#include <unistd.h>

#include "support/ports.h"

namespace hearth::net {
namespace {

Address loopback(uint16_t port) {
  std::string err;
  return *Address::parse("127.0.0.1:" + std::to_string(port), &err);
}

bool is_open(int fd) { return fcntl(fd, F_GETFD) != -1; }

TEST(ListenSet, AnUnchangedKeyKeepsItsSocketAcrossGenerations) {
  ListenSet set;
  ListenOptions o;
  const Address a = loopback(test::free_tcp_port());
  std::string err;
  const int s0 = set.get(a, o, 0, &err);
  const int s1 = set.get(a, o, 1, &err);  // another thread: its own socket
  ASSERT_GE(s0, 0) << err;
  ASSERT_GE(s1, 0) << err;
  EXPECT_NE(s0, s1);
  EXPECT_EQ(set.get(a, o, 0, &err), s0);  // asked twice in one generation
  set.commit();
  EXPECT_EQ(set.find(a, o, 0), s0);
  // The next generation asks for slot 0 only, with another backlog.
  o.backlog = 7;
  EXPECT_EQ(set.get(a, o, 0, &err), s0);  // the same socket
  EXPECT_EQ(set.find(a, o, 1), -1);       // not asked again in this generation
  set.commit();
  EXPECT_TRUE(is_open(s0));
  EXPECT_FALSE(is_open(s1));  // closed with the generation that dropped it
  EXPECT_EQ(set.size(), 1u);
  set.close_all();
  EXPECT_FALSE(is_open(s0));
}

TEST(ListenSet, AbortClosesOnlyWhatTheGenerationAdded) {
  ListenSet set;
  ListenOptions o;
  const Address a = loopback(test::free_tcp_port());
  const Address b = loopback(test::free_tcp_port());
  std::string err;
  const int sa = set.get(a, o, 0, &err);
  set.commit();
  EXPECT_EQ(set.get(a, o, 0, &err), sa);
  const int sb = set.get(b, o, 0, &err);
  ASSERT_GE(sb, 0) << err;
  set.abort();
  EXPECT_TRUE(is_open(sa));
  EXPECT_FALSE(is_open(sb));
  EXPECT_EQ(set.find(a, o, 0), sa);
  set.close_all();
}

TEST(ListenSet, ASocketOptionChangeMeansANewSocket) {
  ListenSet set;
  ListenOptions o;
  const Address a = loopback(test::free_tcp_port());
  std::string err;
  const int first = set.get(a, o, 0, &err);
  set.commit();
  o.defer_accept = true;
  const int second = set.get(a, o, 0, &err);
  ASSERT_GE(second, 0) << err;  // SO_REUSEPORT: both bound at once
  EXPECT_NE(second, first);
  set.commit();
  EXPECT_FALSE(is_open(first));
  set.close_all();
}

TEST(ListenSet, ReportsABindFailure) {
  ListenSet set;
  ListenOptions o;
  o.reuseport = false;
  const Address a = loopback(test::free_tcp_port());
  std::string err;
  ASSERT_GE(set.get(a, o, 0, &err), 0) << err;
  EXPECT_EQ(set.get(a, o, 1, &err), -1);  // same port, no SO_REUSEPORT
  EXPECT_NE(err.find("cannot bind"), std::string::npos) << err;
  set.close_all();
}

}  // namespace
}  // namespace hearth::net
