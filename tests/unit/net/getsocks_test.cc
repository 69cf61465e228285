// _getsocks over a real UNIX stream socket: HAProxy's wire format (a count,
// then batches of descriptors with their records, acknowledged), descriptors
// passed over a stream socket, and the refusals.
#include "net/getsocks.h"

#include <fcntl.h>
#include <gtest/gtest.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <thread>

#include "net/scm_rights.h"
#include "net/socket_export.h"
#include "support/temp_dir.h"

namespace hearth::net {
namespace {

// A UNIX listening socket at dir/name answering one connection with `fn`.
class OneShotServer {
 public:
  template <typename Fn>
  OneShotServer(const std::string& path, Fn fn) {
    fd_ = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
    sockaddr_un sa{};
    sa.sun_family = AF_UNIX;
    std::strncpy(sa.sun_path, path.c_str(), sizeof sa.sun_path - 1);
    EXPECT_EQ(bind(fd_, reinterpret_cast<sockaddr*>(&sa), sizeof sa), 0);
    EXPECT_EQ(listen(fd_, 4), 0);
    thread_ = std::thread([this, fn] {
      const int c = accept(fd_, nullptr, nullptr);
      char line[16] = {};
      size_t got = 0;  // the request line, byte by byte up to its newline
      while (got < sizeof line - 1 && recv(c, line + got, 1, 0) == 1 && line[got] != '\n') ++got;
      request = std::string(line, got);
      fn(c);
      close(c);
    });
  }
  ~OneShotServer() {
    thread_.join();
    close(fd_);
  }
  std::string request;

 private:
  int fd_;
  std::thread thread_;
};

ino_t inode(int fd) {
  struct stat st {};
  fstat(fd, &st);
  return st.st_ino;
}

std::vector<int> make_pipes(size_t n) {
  std::vector<int> fds;
  for (size_t i = 0; i < n; ++i) {
    int p[2];
    EXPECT_EQ(pipe2(p, O_CLOEXEC), 0);
    fds.push_back(p[0]);
    close(p[1]);
  }
  return fds;
}

TEST(Getsocks, ParsesRecordsOnlyWhenWhole) {
  std::string bytes;
  bytes += '\0';
  bytes += char(4);
  bytes += "eth0";
  bytes.append(4, '\0');
  std::vector<ExportedSocket> out;
  EXPECT_TRUE(getsocks_parse(bytes, 1, &out));
  ASSERT_EQ(out.size(), 1u);
  EXPECT_EQ(out[0].iface, "eth0");
  EXPECT_EQ(out[0].ns, "");
  EXPECT_FALSE(getsocks_parse(bytes.substr(0, bytes.size() - 1), 1, &out));
  EXPECT_FALSE(getsocks_parse(bytes, 2, &out));
  EXPECT_TRUE(getsocks_parse("", 0, &out));
}

// More than one batch: the sender waits for the acknowledgement after the
// first 253, and every descriptor arrives with its own record, in order.
TEST(Getsocks, SendsEveryDescriptorInBatches) {
  test::TempDir dir;
  const std::vector<int> fds = make_pipes(300);
  std::vector<ExportedSocket> socks;
  for (size_t i = 0; i < fds.size(); ++i)
    socks.push_back({fds[i], "", i % 2 ? "if" + std::to_string(i) : ""});
  std::string send_err;
  bool sent = false;
  {
    OneShotServer srv(dir.file("s"), [&](int c) { sent = getsocks_send(c, socks, &send_err); });
    AdoptedSockets got;
    std::string err;
    ASSERT_TRUE(getsocks_fetch(dir.file("s"), 5000, &got, &err)) << err;
    EXPECT_EQ(got.received(), 300u);
    got.close_rest();
  }
  EXPECT_TRUE(sent) << send_err;
  for (int fd : fds) close(fd);
}

// The records name the interface of each descriptor: checked on the raw
// protocol, as HAProxy's client would read it.
TEST(Getsocks, WireFormatIsHaproxys) {
  test::TempDir dir;
  const std::vector<int> fds = make_pipes(2);
  const std::vector<ExportedSocket> socks{{fds[0], "", ""}, {fds[1], "", "lo"}};
  OneShotServer srv(dir.file("s"), [&](int c) {
    std::string err;
    EXPECT_TRUE(getsocks_send(c, socks, &err)) << err;
  });
  const int c = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
  sockaddr_un sa{};
  sa.sun_family = AF_UNIX;
  std::strncpy(sa.sun_path, dir.file("s").c_str(), sizeof sa.sun_path - 1);
  ASSERT_EQ(connect(c, reinterpret_cast<sockaddr*>(&sa), sizeof sa), 0);
  ASSERT_EQ(send(c, "_getsocks\n", 10, 0), 10);
  int32_t count = 0;
  ASSERT_EQ(recv(c, &count, sizeof count, MSG_WAITALL), 4);
  EXPECT_EQ(count, 2);
  std::string bytes;
  std::vector<int> got;
  char buf[512];
  while (bytes.size() < 2 * 6 + 2) {
    const long n = stream_recv_rights(c, buf, sizeof buf, 8, &got);
    ASSERT_GT(n, 0);
    bytes.append(buf, size_t(n));
  }
  EXPECT_EQ(bytes, std::string("\0\0\0\0\0\0\0\2lo\0\0\0\0", 14));
  ASSERT_EQ(got.size(), 2u);
  EXPECT_EQ(inode(got[0]), inode(fds[0]));
  EXPECT_EQ(inode(got[1]), inode(fds[1]));
  EXPECT_EQ(fcntl(got[0], F_GETFD) & FD_CLOEXEC, FD_CLOEXEC);
  for (int fd : got) close(fd);
  for (int fd : fds) close(fd);
  close(c);
  EXPECT_EQ(srv.request, "_getsocks");
}

TEST(Getsocks, AServerThatClosesAtOnceIsARefusal) {
  test::TempDir dir;
  OneShotServer srv(dir.file("s"), [](int) {});
  AdoptedSockets got;
  std::string err;
  EXPECT_FALSE(getsocks_fetch(dir.file("s"), 5000, &got, &err));
  EXPECT_NE(err.find("expose-fd listeners"), std::string::npos) << err;
  EXPECT_EQ(got.received(), 0u);
}

TEST(Getsocks, NoServerAtThePath) {
  test::TempDir dir;
  AdoptedSockets got;
  std::string err;
  EXPECT_FALSE(getsocks_fetch(dir.file("none"), 1000, &got, &err));
  EXPECT_NE(err.find("cannot connect to"), std::string::npos) << err;
}

TEST(SocketExport, WithdrawnSendsNone) {
  test::TempDir dir;
  const std::vector<int> fds = make_pipes(1);
  SocketExport e;
  e.publish({{fds[0], "", ""}});
  e.withdraw();
  OneShotServer srv(dir.file("s"), [&](int c) {
    std::string err;
    EXPECT_TRUE(e.send_to(c, &err)) << err;
  });
  AdoptedSockets got;
  std::string err;
  EXPECT_TRUE(getsocks_fetch(dir.file("s"), 5000, &got, &err)) << err;
  EXPECT_EQ(got.received(), 0u);
  close(fds[0]);
}

TEST(ScmRights, StreamSendCarriesDescriptorsWithTheFirstByte) {
  int sv[2];
  ASSERT_EQ(socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, sv), 0);
  const std::vector<int> fds = make_pipes(3);
  ASSERT_TRUE(stream_send_rights(sv[0], "hello", fds.data(), fds.size()));
  ASSERT_TRUE(stream_send_rights(sv[0], "world", nullptr, 0));
  std::vector<int> got;
  char buf[3];
  EXPECT_EQ(stream_recv_rights(sv[1], buf, sizeof buf, 8, &got), 3);  // "hel" and the fds
  ASSERT_EQ(got.size(), 3u);
  EXPECT_EQ(inode(got[2]), inode(fds[2]));
  std::string text(buf, 3);
  while (text.size() < 10) {
    const long n = stream_recv_rights(sv[1], buf, sizeof buf, 8, &got);
    ASSERT_GT(n, 0);
    text.append(buf, size_t(n));
  }
  EXPECT_EQ(text, "helloworld");
  EXPECT_EQ(got.size(), 3u);
  // Too many descriptors for the reader: refused, none leaked.
  ASSERT_TRUE(stream_send_rights(sv[0], "x", fds.data(), fds.size()));
  std::vector<int> few;
  char rest[16];
  EXPECT_EQ(stream_recv_rights(sv[1], rest, sizeof rest, 1, &few), -1);
  EXPECT_EQ(errno, EMSGSIZE);
  EXPECT_TRUE(few.empty());
  EXPECT_FALSE(stream_send_rights(sv[0], "", fds.data(), 1));
  for (int fd : got) close(fd);
  for (int fd : fds) close(fd);
  close(sv[0]);
  close(sv[1]);
}

}  // namespace
}  // namespace hearth::net
