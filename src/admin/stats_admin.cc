#include "admin/stats_admin.h"

#include "admin/server_state_commands.h"
#include "backend/health_log.h"
#include "config/log_model.h"
#include "http/chars.h"

namespace hearth::admin {
namespace {

// Returns: the backend named by the form's "b": "#ID" or a name; nullptr if none.
backend::Backend* find_backend(const std::string& b, const std::vector<backend::Backend*>& all) {
  for (backend::Backend* be : all)
    if ((b.size() > 1 && b[0] == '#' && b.substr(1) == std::to_string(be->id)) || b == be->name())
      return be;
  return nullptr;
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

std::string apply_stats_form(std::string_view form, const std::vector<backend::Backend*>& backends,
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
  backend::Backend* be = find_backend(b, backends);
  if (!be || (action != "ready" && action != "drain" && action != "maint")) return "ERRP";
  if (servers.empty()) return "NONE";
  size_t done = 0;
  for (const std::string& name : servers) {
    backend::Server* s = be->server_named(name);
    if (!s) continue;
    backend::emit_backend_event(*be, "[NOTICE]", config::kLogNotice,
                                "stats page: " + who + " sets server " + be->name() + "/" +
                                    s->name + " state " + action + ".");
    set_server_admin_state(*be, *s, action);
    ++done;
  }
  return done == servers.size() ? "DONE" : done ? "PART" : "NONE";
}

}  // namespace hearth::admin
