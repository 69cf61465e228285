#pragma once
// A child process started with fork/execve (no shell), its stdout and stderr
// captured into one file.
#include <sys/types.h>

#include <chrono>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "support/temp_dir.h"

namespace hearth::test {

struct ChildPlan;  // process.cc

// Keep `fd` of the parent open in the child as fd number `target`
// (e.g. a listening socket for "bind fd@3"). Requires: target >= 3.
struct InheritedFd {
  int fd;
  int target;
};

struct ProcessOptions {
  // argv[0] is a path, or a bare name looked up in $PATH.
  std::vector<std::string> argv;
  // "NAME=value" entries added to (or overriding) the parent's environment.
  std::vector<std::string> extra_env;
  // At most 32 entries. Every other fd above 2 is closed in the child.
  std::vector<InheritedFd> inherited_fds;
  // Where stdout+stderr go; "" = "output.log" in a TempDir the Process owns.
  std::string output_path;
  // > 0: the child's RLIMIT_NOFILE, soft and hard (it cannot raise it).
  long nofile = 0;
};

// The child runs in its own process group with default signal dispositions,
// an empty signal mask and stdin from /dev/null. The destructor SIGKILLs the
// whole group if the child has not been reaped yet, then reaps it.
// Not thread-safe: use a Process from one thread.
class Process {
 public:
  explicit Process(ProcessOptions options);
  ~Process();
  Process(const Process&) = delete;
  Process& operator=(const Process&) = delete;

  // Returns: true if execve succeeded; if not, error() says why.
  bool started() const { return pid_ > 0; }
  const std::string& error() const { return error_; }
  pid_t pid() const { return pid_; }

  // Sends sig to the child (not its group). Returns: false if not running.
  bool send_signal(int sig);
  // Waits up to timeout for the child to exit and reaps it.
  // Returns: the exit code (>= 0), or -N if killed by signal N; nullopt if it
  // is still running at the deadline (or never started).
  std::optional<int> wait_exit(std::chrono::milliseconds timeout);
  // Returns: true while the child has not exited (reaps it if it has).
  bool running();

  // Returns: everything the child wrote to stdout and stderr so far.
  std::string output() const;
  const std::string& output_path() const { return output_path_; }
  // Waits until output() contains needle. Returns false at timeout, or as
  // soon as the child has exited without having printed it.
  bool wait_for_output(std::string_view needle, std::chrono::milliseconds timeout);

 private:
  void spawn(const ProcessOptions& options);
  // Sets pid_ if execve succeeded, else error_.
  void fork_and_exec(ChildPlan& plan);
  bool try_reap(int flags);

  std::unique_ptr<TempDir> own_dir_;
  std::string output_path_;
  std::string error_;
  pid_t pid_ = -1;
  std::optional<int> status_;  // set once reaped
};

}  // namespace hearth::test
