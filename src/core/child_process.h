#pragma once
// A child process started without blocking the calling loop (posix_spawn)
// and reaped through its pidfd, which the loop's poller watches: only this
// child is ever waited for (no waitpid(-1), no SIGCHLD handler), so other
// children of the process (programs, workers) are left to their owners.
//
//   IDLE --spawn()--> RUNNING --pidfd readable--> REAPED (exit status known)
//   RUNNING --destroyed--> the pidfd is closed; the child is not waited for
//                          (a zombie until the process exits)
#include <sys/types.h>

#include <string>
#include <vector>

#include "core/event_loop.h"

namespace hearth {

class ChildProcess final : public FdHandler {
 public:
  enum class State { kIdle, kRunning, kReaped };

  ChildProcess() = default;
  ~ChildProcess() override;
  ChildProcess(const ChildProcess&) = delete;
  ChildProcess& operator=(const ChildProcess&) = delete;

  // Runs `file` with `argv` and exactly the environment `env` ("NAME=value"),
  // no signal blocked, the descriptors above 2 closed, the current
  // directory and the ignored signals of the process. `on_exit(ctx)` runs on
  // `loop`'s thread once the child is reaped (may be null).
  // Requires: state() == kIdle; called on `loop`'s thread.
  // Returns: 0, or the error that kept it from running (the fork's or the
  // exec's: EAGAIN, ENOMEM, ENOENT, EACCES, ENOEXEC...).
  int spawn(EventLoop* loop, const std::string& file, const std::vector<std::string>& argv,
            const std::vector<std::string>& env, void (*on_exit)(void*), void* ctx);

  State state() const { return state_; }
  pid_t pid() const { return pid_; }
  // Reaps the child if it has ended (the poller may not have told yet).
  // Returns: true if it is (now) REAPED.
  bool try_reap();
  // Once REAPED: whether it exited (rather than died of a signal), and its
  // exit code (its signal's number otherwise).
  bool exited() const { return exited_; }
  int code() const { return code_; }
  // Sends `sig` to a RUNNING child. Returns: false if it is not running.
  bool kill(int sig) const;

  void on_fd_event(uint32_t events) override;
  const char* fd_kind() const override { return "child"; }

 private:
  void unwatch();

  State state_ = State::kIdle;
  EventLoop* loop_ = nullptr;
  pid_t pid_ = -1;
  int pidfd_ = -1;
  bool exited_ = false;
  int code_ = 0;
  void (*on_exit_)(void*) = nullptr;
  void* ctx_ = nullptr;
};

}  // namespace hearth
