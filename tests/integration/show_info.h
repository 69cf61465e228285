#pragma once
// "show info" through a stats socket, as a map from field name to value.
#include <map>
#include <sstream>
#include <string>

#include "http_test_util.h"

namespace hearth::test::http {

inline std::map<std::string, std::string> show_info(const std::string& sock) {
  std::map<std::string, std::string> out;
  std::istringstream in(stats_command(sock, "show info"));
  for (std::string line; std::getline(in, line);) {
    const size_t c = line.find(": ");
    if (c != std::string::npos) out[line.substr(0, c)] = line.substr(c + 2);
  }
  return out;
}

}  // namespace hearth::test::http
