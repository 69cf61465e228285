// Server state files: the global server-state-file and server-state-base, and
// the proxy keywords load-server-state-from-file and server-state-file-name.
#include "config/keywords.h"

namespace hearth::config::detail {

void parse_global_server_state(const Directive& d, GlobalConfig& g, Reporter& rep) {
  const std::string& kw = d[0];
  const bool base = kw == "server-state-base";
  if (!check_arity(d, kw, 2, 2, kw + (base ? " DIRECTORY" : " FILE"), rep)) return;
  std::string& slot = base ? g.server_state_base : g.server_state_file;
  // As HAProxy: a second line is reported and the first one kept.
  if (!slot.empty()) {
    rep.warning(d.loc, kw, "already specified; keeping '" + slot + "'");
    return;
  }
  slot = d[1];
}

void parse_load_server_state(const Directive& d, ProxySection& s, Reporter& rep) {
  const std::string kw = "load-server-state-from-file";
  if (!check_arity(d, kw, 2, 2, kw + " global|local|none", rep)) return;
  ServerStateLoad& v = s.proxy.load_server_state;
  if (d[1] == "global")
    v = ServerStateLoad::kGlobal;
  else if (d[1] == "local")
    v = ServerStateLoad::kLocal;
  else if (d[1] == "none")
    v = ServerStateLoad::kNone;
  else
    rep.error(d.loc, kw, "expects 'global', 'local' or 'none', not '" + d[1] + "'");
}

void parse_server_state_file_name(const Directive& d, ProxySection& s, Reporter& rep) {
  const std::string kw = "server-state-file-name";
  if (!check_arity(d, kw, 1, 2, kw + " [use-backend-name|FILE]", rep)) return;
  // Empty stands for the backend's own name.
  s.proxy.server_state_file_name = d.size() == 1 || d[1] == "use-backend-name" ? "" : d[1];
}

}  // namespace hearth::config::detail
