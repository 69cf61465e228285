#pragma once
// The command line of HAProxy's CLIs (stats socket and master CLI): several
// commands on one line are separated by ';', and a backslash escapes the
// next character ("\;" is no separator and stays as written).
#include <string>
#include <vector>

namespace hearth::admin {

// Returns: the commands of one line, split at each ';' that no backslash
// escapes, escapes kept.
std::vector<std::string> split_commands(const std::string& line);

}  // namespace hearth::admin
