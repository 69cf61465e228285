#include "admin/cookie_commands.h"

#include "backend/backend.h"
#include "backend/dynamic_cookie.h"

namespace hearth::admin {
namespace {

backend::Backend* find_backend(const std::vector<backend::Backend*>& backends,
                               const std::string& name) {
  for (backend::Backend* be : backends)
    if (be->name() == name) return be;
  return nullptr;
}

// The warnings of a refresh, one line each, then the end of the answer.
std::string refresh(backend::Backend& be) {
  std::string out;
  for (const std::string& w : backend::refresh_dynamic_cookies(be)) out += w + "\n";
  return out + "\n";
}

}  // namespace

std::string cli_dynamic_cookie_command(const std::vector<std::string>& w,
                                       const std::vector<backend::Backend*>& backends, bool admin) {
  const bool toggle = w.size() >= 2 && (w[0] == "enable" || w[0] == "disable") &&
                      w[1] == "dynamic-cookie" && (w.size() < 3 || w[2] == "backend");
  const bool set_key = w.size() >= 2 && w[0] == "set" && w[1] == "dynamic-cookie-key" &&
                       (w.size() < 3 || w[2] == "backend");
  if (!toggle && !set_key) return "";
  if (!admin) return "Permission denied\n\n";
  if (w.size() < 4) return "A backend name is expected.\n\n";
  backend::Backend* be = find_backend(backends, w[3]);
  if (!be) return "No such backend.\n\n";
  if (set_key) {
    if (w.size() < 5 || w[4].empty()) return "String value expected.\n\n";
    be->dyn_cookie.key = w[4];
  } else {
    be->dyn_cookie.enabled = w[0] == "enable";
  }
  return refresh(*be);
}

}  // namespace hearth::admin
