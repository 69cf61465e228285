#pragma once
// The commands the master CLI runs itself, and where it sends the others
// (app/master_cli.h). Pure functions of the master's state: no I/O.
#include <sys/types.h>

#include <ctime>
#include <string>
#include <string_view>

#include "app/master_cli.h"
#include "config/enums.h"

namespace hearth::app {

using CliLevel = config::CliLevel;

// Requires: `name` is admin, operator or user (checked by the -S parse).
CliLevel parse_cli_level(const std::string& name);
const char* cli_level_name(CliLevel level);

// What one master CLI connection carries from a command to the next.
struct CliContext {
  CliLevel level = CliLevel::kAdmin;
  bool prompt = false;
  pid_t target = 0;  // where commands without a prefix go: 0 the master, else a worker's pid
};

struct CliAction {
  // kFail: an unknown prefix, which ends the session (HAProxy 2.6 does so, prompt or not).
  enum Kind { kDone, kForward, kFail, kQuit, kReload } kind = kDone;
  int channel = -1;     // kForward: the worker's CLI channel
  std::string command;  // kForward: what to run there
};

// Runs one command of a line (prefix included), appending its answer to *out.
// Returns: what the session must do next.
CliAction run_master_command(const std::string& command, const MasterState& state, CliContext* ctx,
                             std::string* out);

// Returns: the prompt: "master> " ("master[ReloadFailed]> " after a failed
// reload) or the target worker's "PID> ".
std::string prompt(const MasterState& state, const CliContext& ctx);

// Returns: the "show proc" table, as HAProxy 2.6 lays it out.
std::string show_proc(const MasterState& state, time_t now, std::string_view version);

}  // namespace hearth::app
