#include "admin/env_commands.h"

#include <unistd.h>

#include <cstring>

extern char** environ;

namespace hearth::admin {

std::string cli_show_env(const std::vector<std::string>& w) {
  if (w.size() < 2 || w[0] != "show" || w[1] != "env") return "";
  std::string out;
  for (char** e = environ; e && *e; ++e) {
    const char* eq = std::strchr(*e, '=');
    if (!eq) continue;
    if (w.size() > 2 &&
        (size_t(eq - *e) != w[2].size() || w[2].compare(0, w[2].size(), *e, w[2].size()) != 0))
      continue;
    out += std::string(*e) + "\n";
    if (w.size() > 2) break;
  }
  if (w.size() > 2 && out.empty()) return "Variable not found\n\n";
  return out + "\n";
}

}  // namespace hearth::admin
