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

}  // namespace hearth::config
