#pragma once
// "program NAME" sections (HAProxy manual 3.7): external commands the master
// of the master-worker mode starts, stops and lists next to its workers.
#include <string>
#include <vector>

// SourceLoc: included by config/model.h, after its definition (as log_model.h).

namespace hearth::config {

struct ProgramConfig {
  SourceLoc loc;  // the section's header line
  std::string name;
  std::vector<std::string> command;  // "command CMD [ARG...]": argv, looked up in PATH
  int uid = -1, gid = -1;            // "user NAME" / "group NAME"; -1: the master's
  // "option start-on-reload" (the default) / "no option start-on-reload":
  // whether a reload starts a new instance.
  bool start_on_reload = true;
};

}  // namespace hearth::config
