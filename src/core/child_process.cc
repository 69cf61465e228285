#include "core/child_process.h"

#include <signal.h>
#include <spawn.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>

namespace hearth {
namespace {

std::vector<char*> c_strings(const std::vector<std::string>& v) {
  std::vector<char*> out;
  out.reserve(v.size() + 1);
  for (const std::string& s : v) out.push_back(const_cast<char*>(s.c_str()));
  out.push_back(nullptr);
  return out;
}

// A SIGCHLD ignored by the process (inherited so) would have the kernel reap
// children at once, and nothing could be waited for: it is set back to the
// default (which ignores the signal too, but keeps the exit status).
void keep_exit_statuses() {
  struct sigaction sa {};
  if (sigaction(SIGCHLD, nullptr, &sa) == 0 && sa.sa_handler == SIG_IGN) signal(SIGCHLD, SIG_DFL);
}

}  // namespace

ChildProcess::~ChildProcess() { unwatch(); }

int ChildProcess::spawn(EventLoop* loop, const std::string& file,
                        const std::vector<std::string>& argv, const std::vector<std::string>& env,
                        void (*on_exit)(void*), void* ctx) {
  keep_exit_statuses();
  posix_spawnattr_t attr;
  posix_spawnattr_init(&attr);
  sigset_t none;
  sigemptyset(&none);
  posix_spawnattr_setsigmask(&attr, &none);
  posix_spawnattr_setflags(&attr, POSIX_SPAWN_SETSIGMASK);
  posix_spawn_file_actions_t fa;
  posix_spawn_file_actions_init(&fa);
  posix_spawn_file_actions_addclosefrom_np(&fa, 3);
  std::vector<char*> args = c_strings(argv), envp = c_strings(env);
  pid_t pid = -1;
  const int rc = posix_spawn(&pid, file.c_str(), &fa, &attr, args.data(), envp.data());
  posix_spawn_file_actions_destroy(&fa);
  posix_spawnattr_destroy(&attr);
  if (rc != 0) return rc;
  // (glibc 2.36's <sys/pidfd.h> declares pidfd_open without C linkage.)
  const int fd = int(syscall(SYS_pidfd_open, pid, 0));
  if (fd < 0 || !loop->add_fd(fd, EPOLLIN, this)) {
    // Cannot be watched: it must not run unwatched.
    const int err = errno;
    if (fd >= 0) close(fd);
    ::kill(pid, SIGKILL);
    waitpid(pid, nullptr, 0);
    return err ? err : EMFILE;
  }
  loop_ = loop;
  pid_ = pid;
  pidfd_ = fd;
  on_exit_ = on_exit;
  ctx_ = ctx;
  state_ = State::kRunning;
  return 0;
}

bool ChildProcess::try_reap() {
  if (state_ != State::kRunning) return state_ == State::kReaped;
  siginfo_t info{};
  const int rc = waitid(P_PIDFD, id_t(pidfd_), &info, WEXITED | WNOHANG);
  if (rc == 0 && info.si_pid == 0) return false;  // still running
  if (rc == 0) {
    exited_ = info.si_code == CLD_EXITED;
    code_ = info.si_status;
  } else {  // already reaped by someone else: the status is lost
    exited_ = false;
    code_ = 0;
  }
  unwatch();
  state_ = State::kReaped;
  return true;
}

bool ChildProcess::kill(int sig) const {
  if (state_ != State::kRunning) return false;
  // The pid cannot have been reused: it is not reaped yet.
  return ::kill(pid_, sig) == 0;
}

void ChildProcess::on_fd_event(uint32_t) {
  if (try_reap() && on_exit_) on_exit_(ctx_);
}

void ChildProcess::unwatch() {
  if (pidfd_ < 0) return;
  loop_->del_fd(pidfd_);
  close(pidfd_);
  pidfd_ = -1;
}

}  // namespace hearth
