#pragma once
// Starting the real hearth binary on a config written to a temp file.
#include <chrono>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "support/process.h"
#include "support/temp_dir.h"

namespace hearth::test {

// Returns: the hearth binary built with these tests (HEARTH_BINARY).
const char* hearth_binary();
// Returns: the repository root (HEARTH_SOURCE_DIR).
const char* hearth_source_dir();

// Returns: tmpl with every "${NAME}" replaced by its value from vars; unknown
// names are left as written. Handy for configs: GCC 12 has no std::format.
std::string expand(std::string_view tmpl,
                   const std::vector<std::pair<std::string, std::string>>& vars);

struct HearthOptions {
  std::vector<std::string> extra_args;  // appended after "-f <config>"
  // Ready when every port is in LISTEN state (checked without connecting, so
  // backends see no probe connection) ...
  std::vector<uint16_t> wait_ports;
  // ... and the output contains this ("" = no output condition).
  std::string wait_output;
  std::chrono::milliseconds timeout{10000};
  std::vector<InheritedFd> inherited_fds;
  std::vector<std::string> extra_env;
  std::string binary;  // "" = hearth_binary()
  long nofile = 0;     // > 0: the process's fd limit, soft and hard
};

// Result of a run to completion, e.g. `hearth -c`.
struct RunResult {
  int exit_code = 127;  // as Process::wait_exit; -SIGKILL after a timeout
  std::string output;
  std::string config_path;  // already deleted when returned; for messages
};

// A running hearth: `<binary> -f <dir>/hearth.cfg <extra_args>`, its output in
// <dir>/output.log, where dir is a fresh /tmp/hearth-test-XXXXXX removed by the
// destructor (after the process is killed and reaped).
class HearthProcess {
 public:
  // Writes the config, starts the binary and waits for readiness (see
  // HearthOptions). Never fails hard: check ready().
  explicit HearthProcess(std::string_view config_text, HearthOptions options = {});

  // Returns: true if the process started, stayed up, and met every ready
  // condition before the timeout.
  bool ready() const { return ready_; }
  // Returns: a description for assertion messages: why it is not ready, and
  // the output so far.
  std::string describe() const;

  Process& process() { return *process_; }
  std::string output() const { return process_->output(); }
  const std::string& config_path() const { return config_path_; }
  const TempDir& dir() const { return dir_; }

  // Replaces the config file's contents (for reload tests).
  bool rewrite_config(std::string_view config_text);
  // Sends SIGTERM and waits; SIGKILLs if still running at the deadline.
  // Returns: the exit status as Process::wait_exit (nullopt if never started).
  std::optional<int> stop(std::chrono::milliseconds timeout = std::chrono::milliseconds{5000});

  // Runs `<binary> -c -f <file> <extra_args>` on config_text to completion.
  static RunResult check_config(std::string_view config_text,
                                std::vector<std::string> extra_args = {}, std::string binary = {});

 private:
  bool wait_ready(const HearthOptions& options);

  TempDir dir_;  // declared first: outlives the process
  std::string config_path_;
  std::unique_ptr<Process> process_;
  bool ready_ = false;
  std::string not_ready_reason_;
};

}  // namespace hearth::test
