// The servers' "track" links, and the servers sample fetches name.
// The "track" links, made once every backend is built (a server may
// track one of a later section). config::validate() already refused what
// HAProxy refuses, so every link found here is made.
#include "app/runtime.h"
#include "backend/backend.h"
#include "backend/server_track.h"

namespace hearth::app {

void Runtime::link_tracks(const config::Config& cfg) {
  for (const config::ProxyConfig& p : cfg.proxies) {
    if (p.kind == config::ProxyKind::kFrontend) continue;
    backend::Backend* be = find_backend(p.name);
    if (!be) continue;
    for (const config::ServerConfig& sc : p.servers) {
      if (sc.track.empty()) continue;
      backend::Server* s = be->server_named(sc.name);
      const size_t slash = sc.track.find('/');
      backend::Backend* tbe =
          slash == std::string::npos ? be : find_backend(sc.track.substr(0, slash));
      backend::Server* target =
          tbe ? tbe->server_named(slash == std::string::npos ? sc.track
                                                             : sc.track.substr(slash + 1))
              : nullptr;
      if (s && target) backend::link_track(*be, *s, *tbe, *target);
    }
  }
}

void Runtime::mark_fetch_references(const config::Config& cfg) {
  for (const std::string& r : cfg.fetch_server_refs) {
    const size_t slash = r.find('/');
    backend::Backend* be = find_backend(r.substr(0, slash));
    backend::Server* s = be ? be->server_named(r.substr(slash + 1)) : nullptr;
    if (s) s->referenced = true;
  }
}

}  // namespace hearth::app
