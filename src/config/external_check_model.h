#pragma once
// "option external-check", "external-check command CMD" and "external-check
// path PATH" of a proxy (HAProxy 2.6): the health of each server is the exit
// status of a command run once per check (backend/external_check.h). The
// global section must say "external-check" for it to be allowed at all.
#include <optional>
#include <string>

namespace hearth::config {

struct ExternalCheckConfig {
  std::string command;  // as written; "": not set
  std::string command_file;
  int command_line = 0;
  // The PATH of the command's environment (and where a command without a
  // '/' is looked for); unset: "" (HAProxy's default).
  std::optional<std::string> path;
  std::string path_file;
  int path_line = 0;
};

}  // namespace hearth::config
