// load-server-state-from-file: the state files read at start-up, before the
// health checks start, so that a restarted process resumes where the previous
// one was (maintenance, drain, weights, ports, UP/DOWN).
#include <cerrno>
#include <cstring>
#include <fstream>
#include <map>
#include <set>
#include <sstream>

#include "app/runtime.h"
#include "backend/backend.h"
#include "backend/server.h"
#include "backend/server_state_apply.h"

namespace hearth::app {
namespace {

std::string state_path(const std::string& file, const std::string& base) {
  if (file.empty() || file[0] == '/' || base.empty()) return file;
  return base.back() == '/' ? base + file : base + "/" + file;
}

struct StateFile {
  bool usable = false;
  std::vector<backend::ServerStateRow> rows;
};

// Returns: the file's rows, or usable = false with a warning added.
StateFile read_state_file(const std::string& path, std::vector<std::string>* warnings) {
  StateFile out;
  std::ifstream in(path, std::ios::binary);
  if (!in) {
    warnings->push_back("server state file '" + path +
                        "' cannot be opened: " + std::strerror(errno));
    return out;
  }
  std::ostringstream text;
  text << in.rdbuf();
  int bad_line = 0;
  switch (backend::parse_server_state(text.str(), &out.rows, &bad_line)) {
    case backend::StateFileStatus::kOk:
      out.usable = true;
      break;
    case backend::StateFileStatus::kNoVersion:
      warnings->push_back("server state file '" + path +
                          "' does not start with a known version (1); not applied");
      break;
    case backend::StateFileStatus::kCorrupted:
      warnings->push_back("server state file '" + path + "' is corrupted at line " +
                          std::to_string(bad_line) + " (after the version line); not applied");
      break;
  }
  return out;
}

}  // namespace

const std::vector<backend::ServerStateRow>* Runtime::state_rows(const config::Config& cfg,
                                                                const config::ProxyConfig& p) {
  if (p.load_server_state == config::ServerStateLoad::kNone) return nullptr;
  const config::GlobalConfig& g = cfg.global;
  std::string path;
  if (p.load_server_state == config::ServerStateLoad::kGlobal) {
    if (g.server_state_file.empty()) return nullptr;  // nothing names a file
    path = state_path(g.server_state_file, g.server_state_base);
  } else {
    path = state_path(p.server_state_file_name.empty() ? p.name : p.server_state_file_name,
                      g.server_state_base);
  }
  auto it = state_files_.find(path);  // each file read once
  if (it == state_files_.end()) {
    StateFile f = read_state_file(path, &warnings);
    it = state_files_
             .emplace(path, f.usable ? std::move(f.rows) : std::vector<backend::ServerStateRow>{})
             .first;
    if (!f.usable) unusable_files_.insert(path);
  }
  return unusable_files_.count(path) ? nullptr : &it->second;
}

const std::string* Runtime::last_addr(const config::Config& cfg, const config::ProxyConfig& p,
                                      const std::string& srv) {
  const std::vector<backend::ServerStateRow>* rows = state_rows(cfg, p);
  if (!rows) return nullptr;
  for (const backend::ServerStateRow& row : *rows)
    if (row.be_name == p.name && row.srv_name == srv && !row.addr.empty() && row.addr != "-")
      return &row.addr;
  return nullptr;
}

void Runtime::load_server_states(const config::Config& cfg) {
  for (const config::ProxyConfig& p : cfg.proxies) {
    backend::Backend* be = find_backend(p.name);
    if (!be) continue;  // a frontend: the keyword was already reported as ignored
    const std::vector<backend::ServerStateRow>* rows = state_rows(cfg, p);
    if (!rows) continue;
    apply_state_rows(*rows, be, /*same_address_only=*/false);
  }
}

void Runtime::apply_state_rows(const std::vector<backend::ServerStateRow>& rows,
                               backend::Backend* only, bool same_address_only) {
  for (const backend::ServerStateRow& row : rows) {
    // Rows are matched by names; ids may differ between the two configurations.
    backend::Backend* be = only ? only : find_backend(row.be_name);
    if (!be || row.be_name != be->name()) continue;
    backend::Server* s = be->server_named(row.srv_name);
    if (!s) continue;
    if (same_address_only) {  // a server moved by the new configuration is another server
      char ip[64];
      const net::Address cur = s->address();
      const std::string_view addr = cur.is_unix() ? "" : cur.ip_str(ip, sizeof ip);
      if (s->client_dependent() || row.addr != addr || row.port != cur.port()) continue;
    }
    const std::string who = be->name() + "/" + s->name;
    PendingCheck* pc = nullptr;
    for (PendingCheck& c : pending_checks_)
      if (c.server == s) pc = &c;
    backend::AppliedState applied;
    std::string msg;
    if (!backend::apply_server_state(row, pc != nullptr, *s, &applied, &msg)) {
      warnings.push_back("server state of '" + who + "' not applied: " + msg);
      continue;
    }
    if (!msg.empty()) warnings.push_back("server " + who + " " + msg);
    if (pc && applied.check_start) pc->spec.first_start = applied.check_start;
    if (!pc && !s->disabled.load())  // restored UP: fully so, as HAProxy shows it
      s->health.health.store(s->health.rise + s->health.fall - 1);
    restored_since_s_.emplace_back(s, applied.since_change_s);
  }
}

}  // namespace hearth::app
