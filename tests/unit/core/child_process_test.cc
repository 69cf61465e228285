// ChildProcess on a real event loop: the exit status arrives through the
// pidfd without blocking, a killed child reports its signal, an exec that
// fails is reported at once, the environment is exactly the one given, and
// no other child of the process is ever reaped by it.
#include "core/child_process.h"

#include <gtest/gtest.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <fstream>
#include <functional>
#include <sstream>
#include <string>

#include "support/temp_dir.h"

namespace hearth {
namespace {

using std::chrono::milliseconds;

class ChildProcessTest : public ::testing::Test {
 protected:
  ChildProcessTest() { loop_.make_current(); }

  bool run_until(const std::function<bool()>& pred, int ms = 5000) {
    const auto deadline = std::chrono::steady_clock::now() + milliseconds(ms);
    while (!pred()) {
      if (std::chrono::steady_clock::now() > deadline) return false;
      loop_.run_once(5);
    }
    return true;
  }

  static void count_exit(void* ctx) { ++*static_cast<int*>(ctx); }

  EventLoop loop_;
  int exits_ = 0;
};

TEST_F(ChildProcessTest, ExitCodeArrivesThroughTheLoop) {
  ChildProcess c;
  ASSERT_EQ(c.spawn(&loop_, "/bin/sh", {"sh", "-c", "exit 3"}, {}, &count_exit, &exits_), 0);
  EXPECT_EQ(c.state(), ChildProcess::State::kRunning);
  EXPECT_GT(c.pid(), 0);
  ASSERT_TRUE(run_until([&] { return exits_ == 1; }));
  EXPECT_EQ(c.state(), ChildProcess::State::kReaped);
  EXPECT_TRUE(c.exited());
  EXPECT_EQ(c.code(), 3);
  // Reaped: the pid is no longer ours to wait for.
  EXPECT_EQ(waitpid(c.pid(), nullptr, WNOHANG), -1);
  EXPECT_FALSE(c.kill(SIGTERM));
}

TEST_F(ChildProcessTest, AKilledChildReportsItsSignal) {
  ChildProcess c;
  ASSERT_EQ(c.spawn(&loop_, "/bin/sleep", {"sleep", "30"}, {}, &count_exit, &exits_), 0);
  loop_.run_once(20);
  EXPECT_EQ(exits_, 0);
  EXPECT_FALSE(c.try_reap());
  EXPECT_TRUE(c.kill(SIGTERM));
  ASSERT_TRUE(run_until([&] { return exits_ == 1; }));
  EXPECT_FALSE(c.exited());
  EXPECT_EQ(c.code(), SIGTERM);
}

TEST_F(ChildProcessTest, AFailedExecIsReportedAtOnce) {
  ChildProcess c;
  EXPECT_EQ(c.spawn(&loop_, "/nonexistent/cmd", {"cmd"}, {}, &count_exit, &exits_), ENOENT);
  EXPECT_EQ(c.state(), ChildProcess::State::kIdle);
}

TEST_F(ChildProcessTest, TheEnvironmentIsExactlyTheOneGivenAndNoDescriptorLeaks) {
  test::TempDir dir;
  const std::string out = dir.file("env");
  // A descriptor of this process without CLOEXEC must not reach the child.
  const int leak = dup(1);
  ASSERT_GT(leak, 2);
  ChildProcess c;
  ASSERT_EQ(c.spawn(&loop_, "/bin/sh",
                    {"sh", "-c", "/usr/bin/env > " + out + "; ls /proc/$$/fd >> " + out},
                    {"A=1", "B=two words"}, &count_exit, &exits_),
            0);
  ASSERT_TRUE(run_until([&] { return exits_ == 1; }));
  close(leak);
  std::ifstream in(out);
  std::stringstream text;
  text << in.rdbuf();
  // dash adds PWD itself; nothing else of this process's environment.
  std::string env = text.str();
  EXPECT_NE(env.find("A=1\n"), std::string::npos) << env;
  EXPECT_NE(env.find("B=two words\n"), std::string::npos) << env;
  EXPECT_EQ(env.find("HOME="), std::string::npos) << env;
  EXPECT_EQ(env.find("\n" + std::to_string(leak) + "\n"), std::string::npos) << env;
}

TEST_F(ChildProcessTest, OtherChildrenAreLeftToTheirOwners) {
  const pid_t other = fork();
  ASSERT_GE(other, 0);
  if (other == 0) _exit(7);
  ChildProcess c;
  ASSERT_EQ(c.spawn(&loop_, "/bin/sh", {"sh", "-c", "sleep 0.2"}, {}, &count_exit, &exits_), 0);
  ASSERT_TRUE(run_until([&] { return exits_ == 1; }));
  int status = 0;
  ASSERT_EQ(waitpid(other, &status, 0), other);  // still there for us
  EXPECT_TRUE(WIFEXITED(status));
  EXPECT_EQ(WEXITSTATUS(status), 7);
}

TEST_F(ChildProcessTest, DestroyedWhileRunningStopsWatching) {
  pid_t pid = -1;
  {
    ChildProcess c;
    ASSERT_EQ(c.spawn(&loop_, "/bin/sleep", {"sleep", "30"}, {}, &count_exit, &exits_), 0);
    pid = c.pid();
    int n = 0;
    loop_.for_each_fd([&](const FdSlot& s) { n += std::string(s.handler->fd_kind()) == "child"; });
    EXPECT_EQ(n, 1);
  }
  int n = 0;
  loop_.for_each_fd([&](const FdSlot& s) { n += std::string(s.handler->fd_kind()) == "child"; });
  EXPECT_EQ(n, 0);
  kill(pid, SIGKILL);
  EXPECT_EQ(waitpid(pid, nullptr, 0), pid);
  EXPECT_EQ(exits_, 0);
}

}  // namespace
}  // namespace hearth
