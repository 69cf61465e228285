#pragma once
// Picking lines out of a process's captured output (hearth's log lines,
// configuration messages).
#include <string>
#include <vector>

namespace hearth::test {

// Returns: the lines of text that contain every one of needles.
inline std::vector<std::string> lines_with(const std::string& text,
                                           const std::vector<std::string>& needles) {
  std::vector<std::string> out;
  size_t pos = 0;
  while (pos < text.size()) {
    size_t end = text.find('\n', pos);
    if (end == std::string::npos) end = text.size();
    std::string line = text.substr(pos, end - pos);
    bool all = true;
    for (const std::string& n : needles) all = all && line.find(n) != std::string::npos;
    if (all) out.push_back(line);
    pos = end + 1;
  }
  return out;
}

}  // namespace hearth::test
