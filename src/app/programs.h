#pragma once
// The programs of the master-worker mode ("program" sections, HAProxy manual
// 3.7): external commands the master starts, signals on reload and stop, and
// lists in the master CLI's "show proc" (docs/architecture.md, "Programs").
#include <sys/types.h>

#include <ctime>
#include <string>
#include <vector>

#include "config/model.h"

namespace hearth::app {

struct ProgramProc {
  std::string name;
  pid_t pid = -1;
  int reloads = 0;  // reloads this instance lived through
  time_t started = 0;
  bool leaving = false;  // told to stop by a reload (SIGUSR1)
};

class Programs {
 public:
  explicit Programs(bool quiet) : quiet_(quiet) {}
  // Starts one instance of each program (the master's start).
  void start(const std::vector<config::ProgramConfig>& programs);
  // After a successful reload: every running instance gets SIGUSR1; then each
  // program of the new configuration is started if it says start-on-reload
  // (the default) or had no instance running.
  void reload(const std::vector<config::ProgramConfig>& programs);
  // A child ended (`stopping`: the master is stopping everything). Returns:
  // false if it was no program; else true, reported, and *failed set if a
  // current instance ended with a failure code.
  bool reaped(pid_t pid, int status, bool stopping, bool* failed);
  void signal_all(int sig);
  bool empty() const { return procs_.empty(); }
  const std::vector<ProgramProc>& procs() const { return procs_; }

 private:
  void launch(const config::ProgramConfig& p);

  bool quiet_;
  std::vector<ProgramProc> procs_;
};

}  // namespace hearth::app
