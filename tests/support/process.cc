#include "support/process.h"

#include <fcntl.h>
#include <signal.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <utility>

#include "support/wait.h"

extern char** environ;

namespace hearth::test {

namespace {

constexpr int kMaxInherited = 32;

}  // namespace

// Everything the child needs, prepared before fork: after fork the child of a
// multi-threaded parent may only make async-signal-safe calls.
struct ChildPlan {
  const char* path;
  char* const* argv;
  char* const* envp;
  int null_fd;
  int out_fd;
  int err_fd;  // CLOEXEC pipe: receives errno if execve fails
  int count;
  int src[kMaxInherited];
  int target[kMaxInherited];
  int max_fd;   // fallback bound when close_range is unavailable
  long nofile;  // > 0: RLIMIT_NOFILE to set (after the fds are placed)
};

namespace {

// Returns: name if it holds a '/', else the first executable in $PATH, or "".
std::string resolve(const std::string& name) {
  if (name.find('/') != std::string::npos) return name;
  const char* env = std::getenv("PATH");
  std::string path = env != nullptr ? env : "/usr/bin:/bin";
  size_t start = 0;
  while (start <= path.size()) {
    size_t end = path.find(':', start);
    if (end == std::string::npos) end = path.size();
    std::string dir = end > start ? path.substr(start, end - start) : ".";
    std::string candidate = dir + "/" + name;
    if (access(candidate.c_str(), X_OK) == 0) return candidate;
    start = end + 1;
  }
  return {};
}

// Returns: the parent's environment with each extra "NAME=value" overriding.
std::vector<std::string> build_env(const std::vector<std::string>& extra) {
  std::vector<std::string> env;
  for (char** e = environ; *e != nullptr; ++e) env.emplace_back(*e);
  for (const std::string& kv : extra) {
    std::string key = kv.substr(0, kv.find('=') + 1);
    std::erase_if(env, [&](const std::string& s) { return s.compare(0, key.size(), key) == 0; });
    env.push_back(kv);
  }
  return env;
}

std::vector<char*> c_strings(std::vector<std::string>& strings) {
  std::vector<char*> out;
  for (std::string& s : strings) out.push_back(s.data());
  out.push_back(nullptr);
  return out;
}

// Closes fds lo..hi (inclusive); loops up to max_fd if close_range fails.
void close_fds(unsigned lo, unsigned hi, int max_fd) {
  if (close_range(lo, hi, 0) == 0) return;
  unsigned end = hi < static_cast<unsigned>(max_fd) ? hi : static_cast<unsigned>(max_fd);
  for (unsigned fd = lo; fd <= end; ++fd) close(static_cast<int>(fd));
}

// Closes every fd >= 3 except those in keep (sorted ascending).
void close_other_fds(const int* keep, int n, int max_fd) {
  unsigned next = 3;
  for (int i = 0; i < n; ++i) {
    unsigned k = static_cast<unsigned>(keep[i]);
    if (k > next) close_fds(next, k - 1, max_fd);
    if (k >= next) next = k + 1;
  }
  close_fds(next, ~0U, max_fd);
}

// Default dispositions (ignored ones survive execve) and an empty mask.
void reset_signals() {
  sigset_t none;
  sigemptyset(&none);
  sigprocmask(SIG_SETMASK, &none, nullptr);
  for (int sig = 1; sig < NSIG; ++sig) {
    struct sigaction old {};
    if (sigaction(sig, nullptr, &old) == 0 && old.sa_handler == SIG_IGN) signal(sig, SIG_DFL);
  }
}

// Installs stdin/stdout/stderr and the inherited fds, closes every other fd.
// Returns: the (CLOEXEC) fd of the exec-error pipe.
int place_fds(const ChildPlan& p) {
  int low = 3;
  for (int i = 0; i < p.count; ++i) low = p.target[i] >= low ? p.target[i] + 1 : low;
  // Move sources above every target first, so no dup2 clobbers a source.
  int null_fd = fcntl(p.null_fd, F_DUPFD, low);
  int out_fd = fcntl(p.out_fd, F_DUPFD, low);
  int err_fd = fcntl(p.err_fd, F_DUPFD_CLOEXEC, low);
  int src[kMaxInherited];
  for (int i = 0; i < p.count; ++i) src[i] = fcntl(p.src[i], F_DUPFD, low);
  dup2(null_fd, 0);
  dup2(out_fd, 1);
  dup2(out_fd, 2);
  for (int i = 0; i < p.count; ++i) dup2(src[i], p.target[i]);  // dup2 clears CLOEXEC
  int keep[kMaxInherited + 1];
  int n = 0;
  for (int i = 0; i < p.count; ++i) keep[n++] = p.target[i];
  keep[n++] = err_fd;
  for (int i = 1; i < n; ++i) {  // insertion sort
    for (int j = i; j > 0 && keep[j - 1] > keep[j]; --j) std::swap(keep[j - 1], keep[j]);
  }
  close_other_fds(keep, n, p.max_fd);
  return err_fd;
}

// Runs in the forked child: async-signal-safe calls only.
[[noreturn]] void child_exec(const ChildPlan& p) {
  setpgid(0, 0);
  reset_signals();
  int err_fd = place_fds(p);
  if (p.nofile > 0) {
    const rlimit l{rlim_t(p.nofile), rlim_t(p.nofile)};
    setrlimit(RLIMIT_NOFILE, &l);
  }
  execve(p.path, p.argv, p.envp);
  int err = errno;
  ssize_t ignored = write(err_fd, &err, sizeof err);
  (void)ignored;
  _exit(127);
}

int max_fd_bound() {
  rlimit rl{};
  if (getrlimit(RLIMIT_NOFILE, &rl) != 0 || rl.rlim_cur == RLIM_INFINITY) return 65536;
  return rl.rlim_cur > 1048576 ? 1048576 : static_cast<int>(rl.rlim_cur);
}

}  // namespace

Process::Process(ProcessOptions options) {
  if (options.output_path.empty()) {
    own_dir_ = std::make_unique<TempDir>();
    options.output_path = own_dir_->file("output.log");
  }
  output_path_ = options.output_path;
  spawn(options);
}

Process::~Process() {
  if (started() && !status_) {
    kill(-pid_, SIGKILL);  // the group: workers the child may have forked
    kill(pid_, SIGKILL);
    try_reap(0);
  }
}

void Process::spawn(const ProcessOptions& options) {
  if (options.argv.empty() || options.inherited_fds.size() > size_t{kMaxInherited}) {
    error_ = options.argv.empty() ? "empty argv" : "too many inherited fds";
    return;
  }
  std::string path = resolve(options.argv[0]);
  if (path.empty()) {
    error_ = options.argv[0] + ": not found in PATH";
    return;
  }
  std::vector<std::string> argv_strings = options.argv;
  std::vector<std::string> env_strings = build_env(options.extra_env);
  std::vector<char*> argv = c_strings(argv_strings);
  std::vector<char*> envp = c_strings(env_strings);
  ChildPlan plan{};
  plan.path = path.c_str();
  plan.argv = argv.data();
  plan.envp = envp.data();
  plan.count = static_cast<int>(options.inherited_fds.size());
  for (int i = 0; i < plan.count; ++i) {
    plan.src[i] = options.inherited_fds[i].fd;
    plan.target[i] = options.inherited_fds[i].target;
  }
  plan.max_fd = max_fd_bound();
  plan.nofile = options.nofile;
  fork_and_exec(plan);
}

void Process::fork_and_exec(ChildPlan& plan) {
  plan.out_fd =
      open(output_path_.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_APPEND | O_CLOEXEC, 0644);
  plan.null_fd = open("/dev/null", O_RDONLY | O_CLOEXEC);
  int err_pipe[2] = {-1, -1};
  if (plan.out_fd < 0 || plan.null_fd < 0 || pipe2(err_pipe, O_CLOEXEC) != 0) {
    error_ = std::string("cannot prepare child: ") + std::strerror(errno);
    if (plan.out_fd >= 0) close(plan.out_fd);
    if (plan.null_fd >= 0) close(plan.null_fd);
    return;
  }
  plan.err_fd = err_pipe[1];
  pid_t pid = fork();
  if (pid == 0) child_exec(plan);
  int fork_errno = errno;
  close(plan.out_fd);
  close(plan.null_fd);
  close(err_pipe[1]);
  if (pid < 0) {
    close(err_pipe[0]);
    error_ = std::string("fork: ") + std::strerror(fork_errno);
    return;
  }
  setpgid(pid, pid);  // also done by the child; whichever runs first wins
  int child_errno = 0;
  ssize_t n;
  do {  // EOF: execve succeeded and closed the CLOEXEC pipe
    n = read(err_pipe[0], &child_errno, sizeof child_errno);
  } while (n < 0 && errno == EINTR);
  close(err_pipe[0]);
  if (n == static_cast<ssize_t>(sizeof child_errno)) {
    error_ = std::string("execve ") + plan.path + ": " + std::strerror(child_errno);
    waitpid(pid, nullptr, 0);
    return;
  }
  pid_ = pid;
}

bool Process::try_reap(int flags) {
  if (status_) return true;
  for (;;) {
    int st = 0;
    pid_t r = waitpid(pid_, &st, flags);
    if (r == pid_) {
      status_ = WIFEXITED(st) ? WEXITSTATUS(st) : -WTERMSIG(st);
      return true;
    }
    if (r < 0 && errno == EINTR) continue;
    return false;
  }
}

bool Process::send_signal(int sig) {
  if (!started() || status_) return false;
  return kill(pid_, sig) == 0;
}

std::optional<int> Process::wait_exit(std::chrono::milliseconds timeout) {
  if (!started()) return std::nullopt;
  wait_until([this] { return try_reap(WNOHANG); }, timeout);
  return status_;
}

bool Process::running() { return started() && !try_reap(WNOHANG); }

std::string Process::output() const { return read_file(output_path_); }

bool Process::wait_for_output(std::string_view needle, std::chrono::milliseconds timeout) {
  wait_until([&] { return output().find(needle) != std::string::npos || !running(); }, timeout);
  return output().find(needle) != std::string::npos;
}

}  // namespace hearth::test
