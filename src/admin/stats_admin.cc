#include "admin/stats_admin.h"

#include "admin/server_state_commands.h"
#include "admin/session_commands.h"
#include "backend/health_check.h"
#include "backend/health_log.h"
#include "backend/server.h"
#include "config/log_model.h"
#include "core/clock.h"
#include "http/chars.h"
#include "stream/live_stream.h"

namespace hearth::admin {
namespace {

// Returns: the backend named by the form's "b": "#ID" or a name; nullptr if none.
backend::Backend* find_backend(const std::string& b, const std::vector<backend::Backend*>& all) {
  for (backend::Backend* be : all)
    if ((b.size() > 1 && b[0] == '#' && b.substr(1) == std::to_string(be->id)) || b == be->name())
      return be;
  return nullptr;
}

// The form's actions on checks (HAProxy's names): health and agent checks
// disabled or enabled, the server forced UP, stopping (NOLB) or DOWN, the
// agent's word forced up or down.
bool check_action_known(const std::string& a) {
  for (const char* k : {"dhlth", "ehlth", "hrunn", "hnolb", "hdown", "dagent", "eagent", "arunn",
                        "adown", "shutdown"})
    if (a == k) return true;
  return false;
}

// As HAProxy: the agent actions need an enabled agent-check, enabling and
// disabling a configured check; forcing the health applies to any server.
bool check_action_applies(const backend::Server& s, const std::string& a) {
  if (a == "dhlth" || a == "ehlth") return s.check != nullptr;
  if (a == "dagent" || a == "eagent") return s.agent != nullptr;
  if (a == "arunn" || a == "adown") return s.agent && s.agent_health.enabled.load();
  return true;
}

// Ends every stream that holds s, each on its own worker, later.
void kill_server_streams(const StatSources& src, const backend::Server* s) {
  if (!src.post_all) return;
  src.post_all([s] {
    kill_local_streams([s](const stream::LiveStream& ls) { return ls.current_server() == s; });
  });
}

// On the check's thread, not waiting (the page runs on a worker).
void apply_check_action(const StatSources& src, backend::Backend& be, backend::Server& s,
                        const std::string& a) {
  using backend::AdminHealth;
  using backend::HealthCheck;
  if (a == "shutdown") return kill_server_streams(src, &s);
  if (a == "dhlth" || a == "ehlth") {
    const bool on = a == "ehlth";
    return s.check->post_admin([on](HealthCheck& c) { c.admin_enable(on); });
  }
  if (a == "dagent" || a == "eagent") {
    const bool on = a == "eagent";
    return s.agent->post_admin([on](HealthCheck& c) { c.admin_enable(on); });
  }
  if (a == "arunn" || a == "adown") {
    const bool up = a == "arunn";
    return s.agent->post_admin([up](HealthCheck& c) { c.admin_set_agent(up); });
  }
  const AdminHealth h = a == "hrunn"   ? AdminHealth::kUp
                        : a == "hnolb" ? AdminHealth::kStopping
                                       : AdminHealth::kDown;
  if (s.check) return s.check->post_admin([h](HealthCheck& c) { c.admin_set_health(h); });
  backend::apply_admin_health(be, s, h, MonotonicClock::instance()->now_ms());
}

}  // namespace

std::string form_decode(std::string_view s) {
  std::string out;
  for (size_t i = 0; i < s.size(); ++i) {
    if (s[i] == '+') {
      out.push_back(' ');
    } else if (s[i] == '%' && i + 2 < s.size() && http::is_hex(s[i + 1]) &&
               http::is_hex(s[i + 2])) {
      out.push_back(char(http::hex_value(s[i + 1]) * 16 + http::hex_value(s[i + 2])));
      i += 2;
    } else {
      out.push_back(s[i]);
    }
  }
  return out;
}

std::string apply_stats_form(std::string_view form, const StatSources& src,
                             const std::string& who) {
  std::string b, action;
  std::vector<std::string> servers;
  while (!form.empty()) {
    const size_t amp = form.find('&');
    const std::string_view pair = form.substr(0, amp);
    form = amp == std::string_view::npos ? std::string_view() : form.substr(amp + 1);
    const size_t eq = pair.find('=');
    if (eq == std::string_view::npos) continue;
    const std::string name = form_decode(pair.substr(0, eq));
    std::string value = form_decode(pair.substr(eq + 1));
    if (name == "b") b = value;
    if (name == "action") action = value;
    if (name == "s") servers.push_back(std::move(value));
  }
  backend::Backend* be = find_backend(b, src.backends);
  const bool state = action == "ready" || action == "drain" || action == "maint";
  if (!be || (!state && !check_action_known(action))) return "ERRP";
  if (servers.empty()) return "NONE";
  size_t done = 0;
  for (const std::string& name : servers) {
    backend::Server* s = be->server_named(name);
    if (!s) continue;
    if (!state && !check_action_applies(*s, action)) continue;
    backend::emit_backend_event(*be, "[NOTICE]", config::kLogNotice,
                                "stats page: " + who + " applies '" + action + "' to server " +
                                    be->name() + "/" + s->name + ".");
    if (state)
      set_server_admin_state(*be, *s, action);
    else
      apply_check_action(src, *be, *s, action);
    ++done;
  }
  return done == servers.size() ? "DONE" : done ? "PART" : "NONE";
}

}  // namespace hearth::admin
