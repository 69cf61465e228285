#include "support/command.h"

#include <signal.h>

#include "support/process.h"

namespace hearth::test {

CommandResult run_command(const std::vector<std::string>& argv, std::chrono::milliseconds timeout) {
  CommandResult result;
  Process proc(ProcessOptions{.argv = argv});
  if (!proc.started()) {
    result.output = proc.error();
    return result;
  }
  std::optional<int> code = proc.wait_exit(timeout);
  if (!code) {
    proc.send_signal(SIGKILL);
    code = proc.wait_exit(std::chrono::milliseconds{5000});
  }
  result.exit_code = code.value_or(-SIGKILL);
  result.output = proc.output();
  return result;
}

}  // namespace hearth::test
