#include "app/programs.h"

#include <grp.h>
#include <signal.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <cstring>

#include "app/exit_status.h"

namespace hearth::app {
namespace {

// In the forked child: nothing of the master's but stdio, default signals,
// the program's identity, then the command. Never returns.
[[noreturn]] void exec_program(const config::ProgramConfig& p) {
  close_range(3, ~0U, 0);
  sigset_t none;
  sigemptyset(&none);
  sigprocmask(SIG_SETMASK, &none, nullptr);
  signal(SIGPIPE, SIG_DFL);
  if (p.gid >= 0 && (setgroups(0, nullptr), setgid(gid_t(p.gid))) != 0) {
    fprintf(stderr, "[ALERT] program '%s': cannot change to group %d: %s\n", p.name.c_str(), p.gid,
            strerror(errno));
    _exit(1);
  }
  if (p.uid >= 0 && setuid(uid_t(p.uid)) != 0) {
    fprintf(stderr, "[ALERT] program '%s': cannot change to user %d: %s\n", p.name.c_str(), p.uid,
            strerror(errno));
    _exit(1);
  }
  std::vector<char*> argv;
  for (const std::string& a : p.command) argv.push_back(const_cast<char*>(a.c_str()));
  argv.push_back(nullptr);
  execvp(argv[0], argv.data());
  fprintf(stderr, "[ALERT] program '%s': cannot execute '%s': %s\n", p.name.c_str(), argv[0],
          strerror(errno));
  _exit(1);
}

}  // namespace

void Programs::launch(const config::ProgramConfig& p) {
  fflush(stdout);
  fflush(stderr);
  const pid_t pid = fork();
  if (pid < 0) {
    fprintf(stderr, "[ALERT] hearth master: cannot fork program '%s': %s\n", p.name.c_str(),
            strerror(errno));
    return;
  }
  if (pid == 0) exec_program(p);
  procs_.push_back({p.name, pid, 0, time(nullptr), false});
  if (!quiet_)
    fprintf(stderr, "[NOTICE] hearth master: new program '%s' (%d) forked\n", p.name.c_str(),
            int(pid));
}

void Programs::start(const std::vector<config::ProgramConfig>& programs) {
  for (const config::ProgramConfig& p : programs) launch(p);
}

void Programs::reload(const std::vector<config::ProgramConfig>& programs) {
  std::vector<std::string> had;
  for (ProgramProc& pr : procs_) {
    ++pr.reloads;
    if (pr.leaving) continue;
    had.push_back(pr.name);
    kill(pr.pid, SIGUSR1);
    pr.leaving = true;
  }
  for (const config::ProgramConfig& p : programs) {
    bool ran = false;
    for (const std::string& n : had) ran = ran || n == p.name;
    if (p.start_on_reload || !ran) launch(p);
  }
}

bool Programs::reaped(pid_t pid, int status, bool stopping, bool* failed) {
  *failed = false;
  for (size_t i = 0; i < procs_.size(); ++i) {
    if (procs_[i].pid != pid) continue;
    const ProgramProc p = procs_[i];
    procs_.erase(procs_.begin() + long(i));
    const int code = exit_code(status);
    *failed = !p.leaving && failed_exit(code);
    fprintf(stderr, "[%s] hearth master: %s program '%s' (%d) exited with code %d (%s)\n",
            p.leaving || stopping ? "WARNING" : "ALERT", p.leaving ? "former" : "current",
            p.name.c_str(), int(pid), code, exit_reason(status));
    return true;
  }
  return false;
}

void Programs::signal_all(int sig) {
  for (const ProgramProc& p : procs_) kill(p.pid, sig);
}

}  // namespace hearth::app
