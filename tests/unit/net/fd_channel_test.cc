#include "net/fd_channel.h"

#include <fcntl.h>
#include <gtest/gtest.h>
#include <unistd.h>

#include <string>

namespace hearth::net {
namespace {

TEST(FdChannel, CarriesWholeMessagesAndDescriptors) {
  int sp[2];
  std::string err;
  ASSERT_TRUE(channel_pair(sp, &err)) << err;
  int pipefd[2];
  ASSERT_EQ(pipe(pipefd), 0);
  ASSERT_TRUE(channel_send(sp[0], "ready"));
  ASSERT_TRUE(channel_send(sp[0], "fds", &pipefd[1], 1));
  ChannelMessage m;
  ASSERT_EQ(channel_recv(sp[1], &m), ChannelRead::kMessage);
  EXPECT_EQ(m.text, "ready");  // one message per read, never merged
  EXPECT_TRUE(m.fds.empty());
  ASSERT_EQ(channel_recv(sp[1], &m), ChannelRead::kMessage);
  EXPECT_EQ(m.text, "fds");
  ASSERT_EQ(m.fds.size(), 1u);
  // The received descriptor is the same pipe: what is written comes out.
  ASSERT_EQ(write(m.fds[0], "x", 1), 1);
  char c = 0;
  ASSERT_EQ(read(pipefd[0], &c, 1), 1);
  EXPECT_EQ(c, 'x');
  EXPECT_TRUE(fcntl(m.fds[0], F_GETFD) & FD_CLOEXEC);
  for (int fd : {m.fds[0], pipefd[0], pipefd[1], sp[0], sp[1]}) close(fd);
}

TEST(FdChannel, ReportsThePeersClose) {
  int sp[2];
  std::string err;
  ASSERT_TRUE(channel_pair(sp, &err)) << err;
  close(sp[0]);
  ChannelMessage m;
  EXPECT_EQ(channel_recv(sp[1], &m), ChannelRead::kClosed);
  close(sp[1]);
}

TEST(FdChannel, RefusesEmptyAndOversizedMessages) {
  int sp[2];
  std::string err;
  ASSERT_TRUE(channel_pair(sp, &err)) << err;
  EXPECT_FALSE(channel_send(sp[0], ""));  // would read as the close
  EXPECT_FALSE(channel_send(sp[0], std::string(kChannelMaxMessage + 1, 'a')));
  fcntl(sp[1], F_SETFL, O_NONBLOCK);
  ChannelMessage m;
  EXPECT_EQ(channel_recv(sp[1], &m), ChannelRead::kAgain);  // nothing was sent
  close(sp[0]);
  close(sp[1]);
}

}  // namespace
}  // namespace hearth::net
