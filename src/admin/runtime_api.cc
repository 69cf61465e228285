#include "admin/runtime_api.h"

#include <unistd.h>

#include <cstdio>
#include <mutex>
#include <sstream>

#include "admin/activity_commands.h"
#include "admin/cli_target.h"
#include "admin/cookie_commands.h"
#include "admin/counter_commands.h"
#include "admin/env_commands.h"
#include "admin/error_commands.h"
#include "admin/event_commands.h"
#include "admin/fd_commands.h"
#include "admin/frontend_commands.h"
#include "admin/map_commands.h"
#include "admin/peers_commands.h"
#include "admin/process_info.h"
#include "admin/prom_exporter.h"
#include "admin/resolver_commands.h"
#include "admin/schema_json.h"
#include "admin/server_edit_commands.h"
#include "admin/server_state_commands.h"
#include "admin/session_commands.h"
#include "admin/ssl_commands.h"
#include "admin/stat_query.h"
#include "admin/stats_json.h"
#include "admin/table_commands.h"
#include "admin/var_commands.h"
#include "admin/weight_commands.h"
#include "backend/health_check.h"
#include "core/clock.h"
#include "core/pool.h"
#include "core/task_profile.h"
#include "net/connection.h"
#include "net/pipe_pool.h"
#include "net/tls_stats.h"
#include "stream/log_sink.h"

namespace hearth::admin {
namespace {

// Splits a command into words at blanks; a backslash makes the next
// character part of the word ("Mon\\ Agent" is one word), as HAProxy's CLI.
std::vector<std::string> words(const std::string& line) {
  std::vector<std::string> out;
  std::string w;
  bool in_word = false;
  for (size_t i = 0; i < line.size(); ++i) {
    const char c = line[i];
    if (c == ' ' || c == '\t') {
      if (in_word) out.push_back(std::move(w));
      w.clear();
      in_word = false;
      continue;
    }
    in_word = true;
    if (c == '\\' && i + 1 < line.size()) {
      w.push_back(line[++i]);
      continue;
    }
    w.push_back(c);
  }
  if (in_word) out.push_back(std::move(w));
  return out;
}

std::string fmt_ms(int64_t v) { return v == kNever ? "-" : std::to_string(v); }

}  // namespace

RuntimeApi::RuntimeApi(std::vector<backend::Backend*> backends,
                       std::vector<stream::Frontend*> frontends, int nthreads, OnThreads on_threads)
    : backends_(std::move(backends)),
      frontends_(std::move(frontends)),
      nthreads_(nthreads),
      on_threads_(std::move(on_threads)),
      start_ms_(MonotonicClock::instance()->now_ms()),
      start_wall_s_(time(nullptr)) {}

const char* cli_level_name(config::CliLevel level) {
  return level == config::CliLevel::kAdmin      ? "admin"
         : level == config::CliLevel::kOperator ? "operator"
                                                : "user";
}

config::CliLevel cli_level_of(std::string_view name) {
  return name == "admin"      ? config::CliLevel::kAdmin
         : name == "operator" ? config::CliLevel::kOperator
                              : config::CliLevel::kUser;
}

std::string RuntimeApi::execute(const std::string& line, bool admin) {
  CliSession session;
  session.level = admin ? config::CliLevel::kAdmin : config::CliLevel::kOperator;
  return execute(line, session);
}

std::string RuntimeApi::execute(const std::string& line, CliSession& session) {
  std::lock_guard<std::mutex> lock(exec_mu_);
  const bool admin = session.level == config::CliLevel::kAdmin;
  const bool oper = session.level >= config::CliLevel::kOperator;
  std::vector<std::string> w = words(line);
  if (w.empty()) return "\n";
  auto is = [&](std::initializer_list<const char*> seq) {
    if (w.size() < seq.size()) return false;
    size_t i = 0;
    for (const char* s : seq)
      if (w[i++] != s) return false;
    return true;
  };
  // A command that takes no option refuses one (HAProxy's "show stat typed",
  // "show info json"...) rather than answer as if it had not been given.
  auto extra = [&](size_t words_taken) -> std::string {
    if (w.size() <= words_taken) return "";
    std::string cmd;
    for (size_t i = 0; i < words_taken; ++i) cmd += (i ? " " : "") + w[i];
    return "'" + cmd + "' does not support '" + w[words_taken] + "' in Hearth.\n\n";
  };
  if (is({"help"})) return w.size() > 1 ? extra(1) : help();
  // The session's level: shown, and lowered for the rest of the session.
  if (is({"show", "cli", "level"}))
    return w.size() > 3 ? extra(3) : std::string(cli_level_name(session.level)) + "\n\n";
  if (is({"operator"}) || is({"user"})) {
    if (w.size() > 1) return extra(1);
    const config::CliLevel to = cli_level_of(w[0]);
    if (to > session.level) return "Permission denied\n\n";  // never raised
    session.level = to;
    return "\n";
  }
  // As HAProxy: what the user level may not see (sessions, errors with their
  // bytes, the environment, variables, descriptors) nor clear.
  if ((is({"show", "sess"}) || is({"show", "errors"}) || is({"show", "env"}) ||
       is({"get", "var"}) || is({"show", "fd"}) || is({"clear", "counters"})) &&
      !oper)
    return "Permission denied\n\n";
  if (is({"show", "info"})) return show_info(w);
  if (is({"show", "servers", "conn"})) {
    if (w.size() > 4) return extra(4);
    return show_servers_conn(w.size() > 3 ? w[3] : "");
  }
  if (is({"show", "pools"})) return w.size() > 2 ? extra(2) : show_pools();
  if (is({"show", "stat"})) return show_stat(w);
  if (is({"show", "metrics"})) return w.size() > 2 ? extra(2) : show_metrics();
  if (is({"show", "events"})) return cli_show_events(w);
  if (is({"show", "errors"})) return cli_show_errors(w, frontends_, backends_);
  if (is({"show", "env"})) return cli_show_env(w);
  if (is({"show", "activity"}) || is({"show", "threads"}))
    return cli_activity_command(w, worker_loops());
  if (is({"show", "fd"})) return cli_show_fd(w, {&frontends_, &backends_, on_threads_});
  if (std::string out = cli_schema_command(w); !out.empty()) return out;
  if (std::string out = cli_session_command(w, backends_, on_threads_, admin); !out.empty())
    return out;
  if (is({"get", "var"})) return cli_get_var(w);
  if (is({"set", "var"})) return cli_set_var(w, session.experimental);
  if (is({"experimental-mode"})) {
    if (!admin) return "Permission denied\n\n";
    if (w.size() == 1)
      return std::string("experimental-mode is ") + (session.experimental ? "ON" : "OFF") + "\n\n";
    if (w[1] != "on" && w[1] != "off")
      return "'experimental-mode' only supports 'on' and 'off'.\n\n";
    session.experimental = w[1] == "on";
    return "\n";
  }
  if (is({"set", "profiling"})) {  // profiling.tasks at run time (memory profiling: none)
    if (!admin) return "Permission denied\n\n";
    ProfilingMode m;
    if (w.size() != 4 || w[2] != "tasks" || !profiling_mode_of(w[3], &m))
      return "Expects 'set profiling tasks on|off|auto' (Hearth has no memory profiling).\n\n";
    set_profiling_mode(m);
    return "\n";
  }
  if (is({"disable", "server"}) || is({"enable", "server"})) {
    if (!admin) return "Permission denied\n\n";
    return set_server_state(w.size() > 2 ? w[2] : "", w[0] == "enable");
  }
  if (std::string out = cli_server_edit_command(w, backends_, editor_, admin); !out.empty())
    return out;
  if (std::string out = cli_weight_command(w, backends_, admin); !out.empty()) return out;
  if (std::string out = cli_frontend_command(w, {&frontends_, info_.maxconn, on_threads_}, admin);
      !out.empty())
    return out;
  if (std::string out = cli_counter_command(w, {&frontends_, &backends_, on_threads_}, oper, admin);
      !out.empty())
    return out;
  if (std::string out = cli_pattern_command(w, session.payload, admin); !out.empty()) return out;
  if (std::string out = cli_show_resolvers(w); !out.empty()) return out;
  if (std::string out = cli_check_command(w, backends_, on_thread(), admin); !out.empty())
    return out;
  if (std::string out = cli_server_state_command(w, backends_, admin); !out.empty()) return out;
  if (std::string out = cli_tls_key_command(w, admin); !out.empty()) return out;
  if (std::string out = cli_ssl_cert_command(w, session.payload, admin); !out.empty()) return out;
  if (std::string out = cli_ca_file_command(w, session.payload, admin); !out.empty()) return out;
  if (std::string out = cli_crt_list_command(w, session.payload, admin); !out.empty()) return out;
  if (std::string out = cli_table_command(w, admin); !out.empty()) return out;
  if (std::string out = cli_peers_command(w, on_threads_); !out.empty()) return out;
  if (std::string out = cli_dynamic_cookie_command(w, backends_, admin); !out.empty()) return out;
  return "Unknown command: '" + line + "'. Try 'help'.\n\n";
}

OnThread RuntimeApi::on_thread() const {
  return [this](int thread, const std::function<void()>& fn) {
    // By value: a thread slower than the wait may run it after we return.
    on_threads_([thread, fn](int t) {
      if (t == thread) fn();
    });
  };
}

std::string RuntimeApi::help() const {
  return "The following commands are valid at this level:\n"
         "  help                          : this list\n"
         "  show cli level                : this session's level (user, operator, admin)\n"
         "  operator, user                : lower this session's level\n"
         "  show info [typed|json] [desc] [float] : process information\n"
         "  show stat [typed|json] [desc] [up|no-maint] : counters per frontend, server and "
         "backend\n"
         "  show servers conn [BACKEND]   : server connections: used, idle, safe, learned timeout\n"
         "  show pools                    : memory pools\n"
         "  show metrics                  : counters in Prometheus text format\n"
         "  show events [RING [-n]]       : list the rings, or the events one holds\n"
         "  show errors [PROXY] [request|response] : the last invalid request/response kept\n"
         "  show env [NAME]               : the process's environment, or one variable\n"
         "  show activity                 : per-thread counters of the worker loops\n"
         "  show threads                  : what each worker thread is doing\n"
         "  show fd [NUM]                 : the file descriptors in use, or one\n"
         "  show schema json              : the JSON schema of the typed JSON forms\n"
         "  show sess [all|ID]            : the live streams, or one\n"
         "  shutdown session ID           : end a stream (admin)\n"
         "  shutdown sessions server B/S  : end every stream on a server (admin)\n"
         "  get var proc.NAME             : the value of a process-wide variable\n"
         "  set var proc.NAME [expr|fmt] VALUE : set one (experimental mode)\n"
         "  show map|acl [@VER] [NAME]    : list the maps (ACLs), or one's entries\n"
         "  get map|acl NAME VALUE        : what each user of NAME finds for VALUE\n"
         "  add map [@VER] NAME KEY VALUE : add an entry (or a payload after '<<')\n"
         "  add acl [@VER] NAME PATTERN   : add a pattern (or a payload after '<<')\n"
         "  set map NAME KEY|#REF VALUE   : change the value of entries\n"
         "  del map|acl NAME KEY|#REF     : delete entries\n"
         "  clear map|acl [@VER] NAME     : delete every entry (of a version)\n"
         "  prepare map|acl NAME          : start a new version\n"
         "  commit map|acl @VER NAME      : make a version current\n"
         "  experimental-mode [on|off]    : allow experimental commands (admin)\n"
         "  set profiling tasks on|off|auto : task profiling (cpu_ns_*, lat_ns_*; admin)\n"
         "  disable server BACKEND/SERVER : stop sending traffic to a server (admin)\n"
         "  add server BE/SRV ADDR[:PORT] [OPTIONS] : a new server, in maintenance (admin)\n"
         "  del server BE/SRV             : delete a server in maintenance, unused (admin)\n"
         "  show servers state [BACKEND]  : server states, as a state file (version 1)\n"
         "  set server BE/SRV state ready|drain|maint : change a server's state (admin)\n"
         "  set server BE/SRV health up|stopping|down : force its checks' verdict (admin)\n"
         "  set server BE/SRV agent up|down : as its agent saying so (admin)\n"
         "  set server BE/SRV check-addr IP [port P] | check-port P : where checks go (admin)\n"
         "  set server BE/SRV agent-addr IP [port P] | agent-port P | agent-send S (admin)\n"
         "  enable|disable health|agent BE/SRV : run or stop its checks (admin)\n"
         "  get weight BE/SRV             : a server's weight now and as configured\n"
         "  set weight BE/SRV W[%]        : change it (also 'set server BE/SRV weight', admin)\n"
         "  set maxconn server BE/SRV N   : a server's connection limit (admin)\n"
         "  set maxconn frontend FE N     : a frontend's connection limit (admin)\n"
         "  set maxconn global N          : the process's, up to the initial one (admin)\n"
         "  disable|enable frontend FE    : stop or resume listening on its ports (admin)\n"
         "  shutdown frontend FE          : close its listening sockets for good (admin)\n"
         "  clear counters [all]          : reset the maximums [every counter, admin]\n"
         "  set server BE/SRV fqdn NAME   : resolve another name (admin)\n"
         "  set server BE/SRV ssl on|off  : TLS toward it for new connections (admin)\n"
         "  set server BE/SRV addr IP [port P] : change a server's address (admin)\n"
         "  show resolvers [NAME]         : the resolvers sections' counters\n"
         "  enable server BACKEND/SERVER  : resume sending traffic to a server (admin)\n"
         "  show tls-keys [ID|FILE|*]     : ticket key files, or their keys (admin)\n"
         "  set ssl tls-key ID|FILE KEY   : add a ticket key, the oldest goes (admin)\n"
         "  show ssl cert [[*]FILE]       : certificates loaded, or one's details\n"
         "  set ssl cert FILE <<          : replace a certificate (a transaction, admin)\n"
         "  commit|abort ssl cert FILE    : apply or drop that transaction (admin)\n"
         "  new|del ssl cert FILE         : add an empty certificate / remove an unused one (admin)\n"
         "  show ssl ca-file|crl-file [[*]FILE[:N]] : CA / CRL files, or one's contents\n"
         "  new|set|commit|abort|del ssl ca-file|crl-file FILE : as for certificates (admin)\n"
         "  show ssl crt-list [-n] [FILE] : crt-lists, or one's lines\n"
         "  add ssl crt-list FILE CERT|<< : add a line (admin)\n"
         "  del ssl crt-list FILE CERT[:LINE] : delete a line (admin)\n"
         "  show table [NAME [key K|data.TYPE OP V]] : stick tables, or one's entries\n"
         "  show peers [dict|-] [SECTION] : peers sections, their peers and sessions\n"
         "  clear table NAME [key K|data.TYPE OP V] : remove entries (admin)\n"
         "  set table NAME key K [data.TYPE V]... : create or change an entry (admin)\n"
         "  enable|disable dynamic-cookie backend BK : dynamic cookies on or off (admin)\n"
         "  set dynamic-cookie-key backend BK KEY : the key of dynamic cookies (admin)\n"
         "  set timeout cli DELAY         : this connection's idle timeout\n"
         "  prompt                        : interactive mode, each answer followed by '> '\n"
         "  quit                          : close this connection\n\n";
}

std::string RuntimeApi::show_info(const std::vector<std::string>& w) {
  InfoOptions opt;
  for (size_t i = 2; i < w.size(); ++i) {
    if (w[i] == "typed")
      opt.format = InfoFormat::kTyped;
    else if (w[i] == "json")
      opt.format = InfoFormat::kJson;
    else if (w[i] == "desc")
      opt.desc = true;
    else if (w[i] == "float")
      opt.floats = true;
  }
  const ProcessFigures p = gather_process_figures(frontends_, worker_loops(), nthreads_, start_ms_,
                                                  start_wall_s_, info_);
  return format_process_info(process_info_fields(p, info_), opt);
}

const std::vector<const EventLoop*>& RuntimeApi::worker_loops() {
  // The loops live as long as the process: learnt once, on their threads.
  if (loops_.empty() && on_threads_) {
    std::vector<const EventLoop*> found(size_t(nthreads_ > 0 ? nthreads_ : 1), nullptr);
    std::mutex mu;
    on_threads_([&](int t) {
      std::lock_guard<std::mutex> g(mu);
      if (t >= 0 && size_t(t) < found.size()) found[size_t(t)] = EventLoop::current();
    });
    for (const EventLoop* l : found)
      if (l) loops_.push_back(l);
  }
  return loops_;
}

std::vector<PoolThreadStats> RuntimeApi::collect_pool_stats(
    const std::vector<backend::Server*>& servers) {
  std::vector<PoolThreadStats> out(servers.size());
  std::mutex mu;
  on_threads_([&](int t) {
    std::vector<PoolThreadStats> mine(servers.size());
    for (size_t i = 0; i < servers.size(); ++i) {
      auto& pools = servers[i]->pools;
      if (t >= int(pools.size()) || !pools[t]) continue;
      mine[i] = {pools[t]->idle_count(), pools[t]->safe_count(), pools[t]->unsafe_count(),
                 pools[t]->stale_caught()};
    }
    std::lock_guard<std::mutex> g(mu);
    for (size_t i = 0; i < servers.size(); ++i) {
      out[i].idle += mine[i].idle;
      out[i].safe += mine[i].safe;
      out[i].unsafe += mine[i].unsafe;
      out[i].stale += mine[i].stale;
    }
  });
  // Also those caught dead when a request was about to reuse them, and private
  // ones that died while idle (counted on the server, not in a pool).
  for (size_t i = 0; i < servers.size(); ++i)
    out[i].stale += servers[i]->counters.sum(&backend::ServerTallies::stale_idle);
  return out;
}

namespace {

// A learned count: "-" while none.
std::string fmt_count(uint32_t n) { return n ? std::to_string(n) : "-"; }

// A rate in parts per million, as a percentage with two decimals.
std::string fmt_rate(uint32_t ppm) {
  char b[32];
  snprintf(b, sizeof b, "%u.%02u%%", ppm / 10000, (ppm % 10000) / 100);
  return b;
}

// "on" (requests that cannot be replayed take new connections), "off", or
// "disabled" (reuse-guard off).
const char* guard_state(const backend::ReuseGuard& g, int64_t now_ms) {
  if (!g.threshold_ppm()) return "disabled";
  return g.active(now_ms) ? "on" : "off";
}

}  // namespace

std::string RuntimeApi::show_servers_conn(const std::string& filter) {
  std::vector<backend::Server*> servers;
  std::vector<const backend::Backend*> owner;
  for (backend::Backend* b : backends_) {
    if (!filter.empty() && b->name() != filter) continue;
    for (auto& s : b->servers()) {
      servers.push_back(s.get());
      owner.push_back(b);
    }
  }
  if (!filter.empty() && servers.empty()) return "No such backend.\n\n";
  std::vector<PoolThreadStats> ps = collect_pool_stats(servers);
  std::ostringstream o;
  o << "# be_name/srv_name addr used_cur idle_cur safe_cur unsafe_cur purge_delay_ms "
       "pool_max_conn learned_ka_ms retire_age_ms proven_idle_ms conns_opened reused retries "
       "stale_idle connect_errors max_reuse learned_max_req proven_req reuse_death_rate "
       "reuse_guard guarded\n";
  const int64_t now_ms = MonotonicClock::instance()->now_ms();
  for (size_t i = 0; i < servers.size(); ++i) {
    backend::Server* s = servers[i];
    auto est = s->keepalive.estimate_ms();
    o << owner[i]->name() << "/" << s->name << " " << s->address().str() << " "
      << s->cur_sess.load() << " " << ps[i].idle << " " << ps[i].safe << " " << ps[i].unsafe << " "
      << s->pool_settings.purge_delay_ms << " " << s->pool_settings.max_conn << " "
      << (est ? std::to_string(*est) : "-") << " " << fmt_ms(s->keepalive.retire_age_ms()) << " "
      << s->keepalive.proven_idle_ms() << " "
      << s->counters.sum(&backend::ServerTallies::conns_opened) << " "
      << s->counters.sum(&backend::ServerTallies::reused) << " "
      << s->counters.sum(&backend::ServerTallies::retries) << " " << ps[i].stale << " "
      << s->counters.sum(&backend::ServerTallies::connect_errors) << " "
      << s->pool_settings.max_reuse << " " << fmt_count(s->reqlimit.limit()) << " "
      << s->reqlimit.proven() << " " << fmt_rate(s->reuse_guard.rate_ppm(now_ms)) << " "
      << guard_state(s->reuse_guard, now_ms) << " "
      << s->counters.sum(&backend::ServerTallies::guarded) << "\n";
  }
  o << "\n";
  return o.str();
}

std::string RuntimeApi::show_pools() const {
  std::ostringstream o;
  o << "Dumping pools usage.\n";
  uint64_t total = 0;
  for (const PoolStats& p : BlockPool::all_stats()) {
    o << "  - Pool " << p.name << " (" << p.object_size << " bytes) : " << p.allocated
      << " allocated (" << p.allocated * p.object_size << " bytes), " << p.used << " used, "
      << p.failures << " failures\n";
    total += p.allocated * p.object_size;
  }
  o << "Total: " << total << " bytes allocated\n\n";
  return o.str();
}

std::string RuntimeApi::show_stat(const std::vector<std::string>& w) {
  StatQuery q;
  if (std::string err = parse_stat_query(w, 2, &q); !err.empty()) return err;
  const StatSources src = stat_sources();
  if (!q.proxy.empty()) {
    bool found = false;
    for (const StatProxy& px : stat_proxies(src)) found = found || px.name == q.proxy;
    if (!found) return "No such proxy.\n\n";
  }
  std::vector<backend::Server*> servers;
  for (const StatProxy& px : stat_proxies(src))
    if (px.be)
      for (auto& s : px.be->servers()) servers.push_back(s.get());
  const std::vector<PoolThreadStats> pools = collect_pool_stats(servers);
  StatOptions opt;
  opt.pools = &pools;
  std::vector<StatRow> rows;
  size_t pool_index = 0;
  for (const StatProxy& px : stat_proxies(src))
    for (StatRow& r : stat_rows(px, src, opt, &pool_index))
      if (stat_row_selected(q, px, r)) rows.push_back(std::move(r));
  if (q.format == StatQuery::Format::kTyped) return stat_typed(rows, q.desc);
  if (q.format == StatQuery::Format::kJson) return stat_json(rows) + "\n";
  std::string out = stat_csv_header();
  for (const StatRow& r : rows) out += stat_csv_line(r);
  out += "\n";
  return out;
}

StatSources RuntimeApi::stat_sources() const {
  StatSources src;
  src.frontends = frontends_;
  src.backends = backends_;
  src.global_maxconn = stream::Frontend::global_maxconn();
  src.post_all = post_all_;
  src.loops = loops_;
  return src;
}

// The exporter's whole exposition, as "http-request use-service
// prometheus-exporter" serves it without a scope.
std::string RuntimeApi::show_metrics() {
  return PromExporter(stat_sources(), info_, nthreads_, start_ms_).render(PromQuery{}) + "\n";
}

std::string RuntimeApi::set_server_state(const std::string& target, bool enable) {
  const ServerTarget t = find_server_target(target, backends_);
  if (!t.srv) return t.error;
  backend::set_server_maintenance(*t.be, *t.srv, !enable);
  return "\n";
}

}  // namespace hearth::admin
