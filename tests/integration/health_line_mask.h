#pragma once
// Health-check syslog lines made comparable between haproxy and hearth: the
// date, the program name and pid, and the check's duration are masked.
#include <regex>
#include <string>

namespace hearth::test {

inline std::string masked(std::string line) {
  static const std::regex date(R"([A-Z][a-z]{2} [ 1-3]\d \d\d:\d\d:\d\d)");
  static const std::regex pid(R"((haproxy|hearth)\[\d+\])");
  static const std::regex took(R"(check duration: \d+ms)");
  line = std::regex_replace(line, date, "DATE");
  line = std::regex_replace(line, pid, "PROC");
  return std::regex_replace(line, took, "check duration: Nms");
}

}  // namespace hearth::test
