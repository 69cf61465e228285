#include "admin/check_commands.h"

#include <optional>

#include "admin/cli_target.h"
#include "backend/backend.h"
#include "backend/health_check.h"
#include "backend/server.h"
#include "config/units.h"
#include "core/clock.h"

namespace hearth::admin {
namespace {

using backend::HealthCheck;

// An enabled check of the kind asked for (health or agent), or null.
HealthCheck* enabled_check(backend::Server& s, bool agent) {
  HealthCheck* c = agent ? s.agent : s.check;
  const backend::ServerHealth& h = agent ? s.agent_health : s.health;
  return c && h.enabled.load() ? c : nullptr;
}

// A port word as HAProxy's CLI reads it: 0 to 65535. Returns: the port, or
// nullopt with *err set.
std::optional<int> cli_port(const std::string& word, std::string* err) {
  const std::optional<int64_t> p = config::parse_int(word);
  if (!p) {
    *err = "provided port is not an integer\n\n";
    return std::nullopt;
  }
  if (*p < 0 || *p > 65535) {
    *err = "provided port is invalid\n\n";
    return std::nullopt;
  }
  return int(*p);
}

// "IP [port P]" at w[4]: the address and the optional port. Returns: false
// with *err set.
bool addr_and_port(const std::vector<std::string>& w, const char* what, net::Address* addr,
                   std::optional<int>* port, std::string* err) {
  if (w.size() < 5) {
    *err = std::string("set server <b>/<s> ") + what +
           " requires an address and optionally a port.\n\n";
    return false;
  }
  const std::optional<net::Address> a = parse_cli_ip(w[4]);
  if (!a) {
    *err = "invalid addr '" + w[4] + "'\n\n";
    return false;
  }
  *addr = *a;
  if (w.size() == 5) return true;
  if (w[5] != "port" || w.size() != 7) {
    *err = std::string("set server <b>/<s> ") + what + " expects an address then 'port' and " +
           "a port, nothing else.\n\n";
    return false;
  }
  *port = cli_port(w[6], err);
  return port->has_value();
}

std::string set_health(const std::vector<std::string>& w, backend::Backend& be, backend::Server& s,
                       const OnThread& on_thread) {
  const std::string arg = w.size() > 4 ? w[4] : "";
  backend::AdminHealth h;
  if (arg == "up")
    h = backend::AdminHealth::kUp;
  else if (arg == "stopping")
    h = backend::AdminHealth::kStopping;
  else if (arg == "down")
    h = backend::AdminHealth::kDown;
  else
    return "'set server <srv> health' expects 'up', 'stopping', or 'down'.\n\n";
  // A health check owns the counter: the change is made on its thread.
  if (HealthCheck* c = s.check)
    on_thread(c->thread(), [c, h] { c->admin_set_health(h); });
  else
    backend::apply_admin_health(be, s, h, MonotonicClock::instance()->now_ms());
  return "\n";
}

std::string set_agent(const std::vector<std::string>& w, backend::Server& s,
                      const OnThread& on_thread) {
  const std::string arg = w.size() > 4 ? w[4] : "";
  if (arg != "up" && arg != "down") return "'set server <srv> agent' expects 'up' or 'down'.\n\n";
  HealthCheck* c = enabled_check(s, true);
  if (!c) return "agent checks are not enabled on this server.\n\n";
  const bool up = arg == "up";
  on_thread(c->thread(), [c, up] { c->admin_set_agent(up); });
  return "\n";
}

std::string set_check_target(const std::vector<std::string>& w, backend::Server& s,
                             const OnThread& on_thread) {
  const bool port_only = w[3] == "check-port";
  HealthCheck* c = enabled_check(s, false);
  if (!c) return "health checks are not enabled on this server\n\n";
  std::string err;
  std::optional<int> port;
  net::Address addr;
  if (port_only) {
    if (w.size() < 5) return "set server <b>/<s> check-port requires a port.\n\n";
    if (w.size() > 5) return "set server <b>/<s> check-port expects one port.\n\n";
    if (!(port = cli_port(w[4], &err))) return err;
  } else if (!addr_and_port(w, "check-addr", &addr, &port, &err)) {
    return err;
  }
  // By value: the thread may run it after a slow answer gave up waiting.
  on_thread(c->thread(), [c, addr, port_only, port] {
    c->admin_set_check_target(port_only ? nullptr : &addr, port);
  });
  return "\n";
}

std::string set_agent_param(const std::vector<std::string>& w, backend::Server& s,
                            const OnThread& on_thread) {
  const std::string& what = w[3];
  HealthCheck* c = enabled_check(s, true);
  if (!c)
    return what == "agent-send" ? "agent checks are not enabled on this server.\n\n"
                                : "agent checks are not enabled on this server\n\n";
  std::string err;
  std::optional<int> port;
  net::Address addr;
  std::string send;
  if (what == "agent-port") {
    if (w.size() < 5) return "set server <b>/<s> agent-port requires a port.\n\n";
    if (w.size() > 5) return "set server <b>/<s> agent-port expects one port.\n\n";
    if (!(port = cli_port(w[4], &err))) return err;
  } else if (what == "agent-addr") {
    if (!addr_and_port(w, "agent-addr", &addr, &port, &err)) return err;
  } else {  // agent-send: one word (quote or escape its spaces), or none: send nothing
    if (w.size() > 5) return "set server <b>/<s> agent-send expects one word.\n\n";
    if (w.size() == 5) send = w[4];
  }
  backend::Server* sp = &s;
  on_thread(c->thread(), [c, sp, what, send, addr, port] {
    if (what == "agent-send") sp->agent_send = send;
    if (what == "agent-addr") {
      char ip[64];
      sp->agent_addr = addr.ip_str(ip, sizeof ip);
    }
    if (port) sp->agent_port = *port;
    c->admin_agent_changed();
  });
  return "\n";
}

// enable|disable health|agent BE/SRV
std::string enable_check(const std::vector<std::string>& w,
                         const std::vector<backend::Backend*>& backends,
                         const OnThread& on_thread) {
  const bool on = w[0] == "enable";
  const bool agent = w[1] == "agent";
  const ServerTarget t = find_server_target(w.size() > 2 ? w[2] : "", backends);
  if (!t.srv) return t.error;
  HealthCheck* c = agent ? t.srv->agent : t.srv->check;
  if (!c) {  // as HAProxy: disabling what is not there is no error
    if (!on) return "\n";
    return agent ? "Agent was not configured on this server, cannot enable.\n\n"
                 : "Health check was not configured on this server, cannot enable.\n\n";
  }
  on_thread(c->thread(), [c, on] { c->admin_enable(on); });
  return "\n";
}

}  // namespace

std::string cli_check_command(const std::vector<std::string>& w,
                              const std::vector<backend::Backend*>& backends,
                              const OnThread& on_thread, bool admin) {
  if (w.size() >= 2 && (w[0] == "enable" || w[0] == "disable") &&
      (w[1] == "health" || w[1] == "agent")) {
    if (!admin) return "Permission denied\n\n";
    return enable_check(w, backends, on_thread);
  }
  if (w.size() < 4 || w[0] != "set" || w[1] != "server") return "";
  const std::string& what = w[3];
  if (what != "health" && what != "agent" && what != "check-addr" && what != "check-port" &&
      what != "agent-addr" && what != "agent-port" && what != "agent-send")
    return "";
  if (!admin) return "Permission denied\n\n";
  const ServerTarget t = find_server_target(w[2], backends);
  if (!t.srv) return t.error;
  if (what == "health") return set_health(w, *t.be, *t.srv, on_thread);
  if (what == "agent") return set_agent(w, *t.srv, on_thread);
  if (what == "check-addr" || what == "check-port") return set_check_target(w, *t.srv, on_thread);
  return set_agent_param(w, *t.srv, on_thread);
}

}  // namespace hearth::admin
