#include "admin/cli_line.h"

namespace hearth::admin {

std::vector<std::string> split_commands(const std::string& line) {
  std::vector<std::string> out(1);
  for (size_t i = 0; i < line.size(); ++i) {
    if (line[i] == '\\' && i + 1 < line.size()) {
      out.back() += line.substr(i, 2);
      ++i;
    } else if (line[i] == ';') {
      out.emplace_back();
    } else {
      out.back() += line[i];
    }
  }
  return out;
}

}  // namespace hearth::admin
