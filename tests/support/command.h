#pragma once
// Running a command to completion (curl, nginx -t, ...), without a shell.
#include <chrono>
#include <string>
#include <vector>

namespace hearth::test {

struct CommandResult {
  // Exit code (>= 0), or -N if killed by signal N. 127 if it could not start;
  // -SIGKILL if it ran past the timeout (and was killed).
  int exit_code = 127;
  std::string output;  // stdout and stderr, interleaved as written
};

// Runs argv (argv[0] looked up in $PATH if it has no '/') with stdin from
// /dev/null and waits for it up to timeout.
CommandResult run_command(const std::vector<std::string>& argv,
                          std::chrono::milliseconds timeout = std::chrono::milliseconds{30000});

}  // namespace hearth::test
