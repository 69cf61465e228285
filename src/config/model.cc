#include "config/model.h"

namespace hearth::config {

// A listen section is both a frontend and a backend, so it matches either way.
const ProxyConfig* Config::find(const std::string& name, bool want_backend) const {
  for (const ProxyConfig& p : proxies) {
    if (p.name != name) continue;
    if (p.kind == ProxyKind::kListen) return &p;
    if (want_backend && p.kind == ProxyKind::kBackend) return &p;
    if (!want_backend && p.kind == ProxyKind::kFrontend) return &p;
  }
  return nullptr;
}

std::shared_ptr<const expr::Userlist> Config::find_userlist(const std::string& name) const {
  for (const auto& l : userlists)
    if (l->name() == name) return l;
  return nullptr;
}

}  // namespace hearth::config

namespace hearth::config {

bool parse_log_level(std::string_view s, bool silent_ok, LogLevel* out) {
  static constexpr std::string_view kNames[] = {"emerg",   "alert",  "crit", "err",
                                                "warning", "notice", "info", "debug"};
  for (size_t i = 0; i < std::size(kNames); ++i) {
    if (s == kNames[i]) {
      *out = LogLevel(i);
      return true;
    }
  }
  if (!silent_ok || s != "silent") return false;
  *out = kLogSilent;
  return true;
}

}  // namespace hearth::config
