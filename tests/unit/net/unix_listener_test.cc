#include "net/unix_listener.h"

#include <gtest/gtest.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <unistd.h>

#include <cstdlib>
#include <string>

#include "net/listen_set.h"
#include "net/socket.h"
#include "net/socket_match.h"

namespace hearth::net {
namespace {

class UnixListenerTest : public ::testing::Test {
 protected:
  void SetUp() override {
    char tmpl[] = "/tmp/hearth-ux-XXXXXX";
    ASSERT_NE(mkdtemp(tmpl), nullptr);
    dir_ = tmpl;
    path_ = dir_ + "/s.sock";
  }
  void TearDown() override {
    for (int fd : fds_) close(fd);
    std::system(("rm -rf " + dir_).c_str());
  }
  Address addr(const std::string& text) {
    std::string err;
    auto a = Address::parse(text, &err);
    EXPECT_TRUE(a.has_value()) << err;
    return a ? *a : Address{};
  }
  int listen_on(const std::string& text, UnixPerms p = {}, std::string* err = nullptr) {
    std::string e;
    const int fd = make_unix_listener(addr(text), p, 16, SOCK_NONBLOCK, err ? err : &e);
    if (fd >= 0) fds_.push_back(fd);
    return fd;
  }
  // Returns: true if a client reaches the socket at `text` and it is `fd`'s.
  bool reaches(const std::string& text, int fd) {
    const NativeAddr n = addr(text).native();
    const int c = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
    const bool connected = connect(c, n.sa(), n.len) == 0;
    bool accepted = false;
    if (connected) {
      const int a = accept(fd, nullptr, nullptr);
      accepted = a >= 0;
      if (a >= 0) close(a);
    }
    close(c);
    return accepted;
  }
  ino_t inode(const std::string& p) {
    struct stat st {};
    return stat(p.c_str(), &st) == 0 ? st.st_ino : 0;
  }

  std::string dir_, path_;
  std::vector<int> fds_;
};

TEST_F(UnixListenerTest, ReplacesALeftoverFileAndLeavesNoTemporaryName) {
  {  // a socket file whose process is gone
    std::string err;
    const int old = make_unix_listener(addr(path_), {}, 16, 0, &err);
    ASSERT_GE(old, 0) << err;
    close(old);
  }
  const ino_t before = inode(path_);
  ASSERT_NE(before, 0u);
  std::string err;
  const int fd = listen_on(path_, {}, &err);
  ASSERT_GE(fd, 0) << err;
  EXPECT_NE(inode(path_), before);
  EXPECT_TRUE(reaches(path_, fd));
  const std::string pid = std::to_string(getpid());
  EXPECT_EQ(access((path_ + "." + pid + ".tmp").c_str(), F_OK), -1);
  EXPECT_EQ(access((path_ + "." + pid + ".bak").c_str(), F_OK), -1);
}

TEST_F(UnixListenerTest, TakesThePathOfALiveSocketAsHAProxyDoes) {
  // A reload binds the path again while the old process still listens: the
  // path moves to the new socket; the old one keeps what it accepted.
  const int old = listen_on(path_);
  ASSERT_GE(old, 0);
  const int fd = listen_on(path_);
  ASSERT_GE(fd, 0);
  EXPECT_TRUE(reaches(path_, fd));
}

TEST_F(UnixListenerTest, SetsModeAndOwner) {
  std::string err;
  const int fd = listen_on(path_, UnixPerms{0640, int(getuid()), int(getgid())}, &err);
  ASSERT_GE(fd, 0) << err;
  struct stat st {};
  ASSERT_EQ(stat(path_.c_str(), &st), 0);
  EXPECT_TRUE(S_ISSOCK(st.st_mode));
  EXPECT_EQ(st.st_mode & 0777, 0640u);
  EXPECT_EQ(st.st_uid, getuid());
}

TEST_F(UnixListenerTest, AFailureKeepsTheFormerFile) {
  const int old = listen_on(path_);
  ASSERT_GE(old, 0);
  const ino_t before = inode(path_);
  std::string err;
  // chmod refuses nothing to root, so fail the bind instead: a directory
  // where the temporary name would go.
  const std::string temp = path_ + "." + std::to_string(getpid()) + ".tmp";
  ASSERT_EQ(mkdir(temp.c_str(), 0700), 0);
  ASSERT_EQ(mkdir((temp + "/x").c_str(), 0700), 0);  // not empty: unlink fails
  EXPECT_LT(listen_on(path_, {}, &err), 0);
  EXPECT_NE(err.find("cannot remove the former temporary socket"), std::string::npos) << err;
  EXPECT_EQ(inode(path_), before);
  EXPECT_TRUE(reaches(path_, old));
  EXPECT_LT(listen_on(dir_ + "/missing/s.sock", {}, &err), 0);
  EXPECT_NE(err.find("cannot bind UNIX socket '" + dir_ + "/missing/s.sock'"), std::string::npos)
      << err;
}

TEST_F(UnixListenerTest, AbstractNameInUseIsRefused) {
  const std::string name = "abns@hearth-test-" + std::to_string(getpid());
  const int fd = listen_on(name);
  ASSERT_GE(fd, 0);
  EXPECT_TRUE(reaches(name, fd));
  std::string err;
  EXPECT_LT(listen_on(name, {}, &err), 0);
  EXPECT_NE(err.find("already in use"), std::string::npos) << err;
}

TEST_F(UnixListenerTest, ListenSetKeepsOneSocketForAllThreadsAndMatchesItBack) {
  ListenSet set;
  ListenOptions o;
  std::string err;
  const int a = set.get(addr(path_), o, 0, &err);
  ASSERT_GE(a, 0) << err;
  EXPECT_EQ(set.get(addr(path_), o, 1, &err), a);  // another thread: the same socket
  EXPECT_EQ(set.find(addr(path_), o, 3), a);
  // As sent by -x: getsockname(2) still names the temporary file.
  EXPECT_TRUE(listener_matches(a, addr(path_), o));
  EXPECT_FALSE(listener_matches(a, addr(dir_ + "/other.sock"), o));
  set.commit();
  set.close_all();
}

}  // namespace
}  // namespace hearth::net
