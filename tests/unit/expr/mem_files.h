#pragma once
// Pattern files held in memory, for tests that parse ACLs and maps.
#include <map>
#include <string>
#include <vector>

#include "expr/acl.h"

namespace hearth::expr::testing {

class MemFiles : public PatternSource {
 public:
  std::map<std::string, std::vector<std::string>> files;
  bool read_lines(const std::string& path, std::vector<std::string>* lines,
                  std::string* err) override {
    auto it = files.find(path);
    if (it == files.end()) {
      *err = "failed to open pattern file '" + path + "'";
      return false;
    }
    *lines = it->second;
    return true;
  }
};

}  // namespace hearth::expr::testing
