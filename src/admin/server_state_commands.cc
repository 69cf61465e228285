#include "admin/server_state_commands.h"

#include "admin/cli_target.h"
#include "admin/resolver_commands.h"
#include "backend/backend.h"
#include "backend/health_check.h"
#include "backend/health_log.h"
#include "backend/server.h"
#include "backend/server_state_apply.h"
#include "backend/server_state_lock.h"
#include "backend/server_track.h"
#include "config/log_model.h"
#include "core/clock.h"
#include "net/transport.h"

namespace hearth::admin {
namespace {

std::string show_servers_state(const std::vector<std::string>& w,
                               const std::vector<backend::Backend*>& backends) {
  const backend::Backend* only = nullptr;
  if (w.size() > 3) {
    for (const backend::Backend* b : backends)
      if (b->name() == w[3]) only = b;
    if (!only) return "Can't find backend.\n\n";
  }
  return backend::server_states_text(backends, only, MonotonicClock::instance()->now_ms()) + "\n";
}

std::string set_server_state(backend::Backend& be, backend::Server& s, const std::string& state) {
  if (state != "ready" && state != "drain" && state != "maint")
    return "'set server <srv> state' expects 'ready', 'drain' and 'maint'.\n\n";
  set_server_admin_state(be, s, state);
  return "\n";
}

// "set server B/S ssl on|off" (HAProxy 2.6, deprecated there): TLS toward
// the server switched, for the connections opened from now on (the pooled
// ones are dropped: set_xprt); checks keep their transport.
std::string set_server_ssl(backend::Server& s, const std::string& arg) {
  if (s.dynamic) return "'set server <srv> ssl' not supported on dynamic servers\n\n";
  if (!s.tls_xprt)
    return "'set server <srv> ssl' cannot be set.  default-server should define ssl settings\n\n";
  if (arg != "on" && arg != "off") return "'set server <srv> ssl' expects 'on' or 'off'.\n\n";
  const bool on = arg == "on";
  s.use_ssl = on ? 1 : 0;
  s.set_xprt(on ? s.tls_xprt.get() : net::raw_transport());
  return "server ssl setting updated.\n\n";
}

}  // namespace

void set_server_admin_state(backend::Backend& be, backend::Server& s, const std::string& state) {
  backend::ServerStateGuard guard;  // drain and maintenance as one step
  const bool drain = state == "drain";
  if (s.drain.exchange(drain) != drain) {
    be.servers_changed();
    // As HAProxy: a line unless maintenance speaks instead (entering it, or in it).
    if (!s.in_maintenance() && state != "maint") {
      backend::emit_backend_event(be, "[WARNING]", config::kLogNotice,
                                  backend::drain_text(be, s, drain));
      if (drain) backend::log_if_no_server(be);
    }
    backend::propagate_to_trackers(s, MonotonicClock::instance()->now_ms());
  }
  backend::set_server_maintenance(be, s, state == "maint");
}

std::string cli_server_state_command(const std::vector<std::string>& w,
                                     const std::vector<backend::Backend*>& backends, bool admin) {
  if (w.size() >= 3 && w[0] == "show" && w[1] == "servers" && w[2] == "state")
    return show_servers_state(w, backends);
  if (w.size() < 2 || w[0] != "set" || w[1] != "server") return "";
  if (!admin) return "Permission denied\n\n";
  const ServerTarget t = find_server_target(w.size() > 2 ? w[2] : "", backends);
  if (!t.srv) return t.error;
  backend::Backend* be = t.be;
  backend::Server* s = t.srv;
  if (w.size() > 3 && w[3] == "state") return set_server_state(*be, *s, w.size() > 4 ? w[4] : "");
  if (w.size() > 3 && w[3] == "fqdn") return cli_set_server_fqdn(w, *be, *s);
  if (w.size() > 3 && w[3] == "addr") return cli_set_server_addr(w, *be, *s);
  if (w.size() > 3 && w[3] == "ssl") return set_server_ssl(*s, w.size() > 4 ? w[4] : "");
  return "usage: set server <backend>/<server> addr | agent | agent-addr | agent-port | "
         "agent-send | check-addr | check-port | fqdn | health | ssl | state | weight\n\n";
}

}  // namespace hearth::admin
