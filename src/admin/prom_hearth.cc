// Hearth's own metrics, after HAProxy's, under "hearth_": what its connection
// layer does that HAProxy's exposition has no name for. Process-wide ones
// follow the "global" scope, per-server ones the "server" scope.
#include "admin/prom_exporter.h"
#include "net/pipe_pool.h"
#include "stream/frontend.h"
#include "stream/log_sink.h"

namespace hearth::admin {
namespace {

struct ServerRef {
  const backend::Backend* be;
  const backend::Server* srv;
};

void head(std::string& out, const char* name, const char* type, const char* help) {
  out += std::string("# HELP ") + name + " " + help + "\n# TYPE " + name + " " + type + "\n";
}

// Appends `name{proxy="..",server=".."[,extra]} value`.
void server_line(std::string& out, const char* name, const ServerRef& s, const std::string& v,
                 const char* extra = nullptr) {
  out += name;
  out += "{proxy=\"";
  prom_label(out, s.be->name());
  out += "\",server=\"";
  prom_label(out, s.srv->name);
  out += '"';
  if (extra) out += std::string(",") + extra;
  out += "} " + v + "\n";
}

}  // namespace

void PromExporter::render_hearth(std::string& out, const PromQuery& q) const {
  if (q.scopes & kScopeGlobal) {
    head(out, "hearth_spliced_bytes_total", "counter",
         "Bytes moved by splice(2) from sockets into pipes since the process started");
    out += "hearth_spliced_bytes_total " + std::to_string(net::pipe_stats().spliced) + "\n";
    head(out, "hearth_dropped_logs_total", "counter",
         "Log lines dropped because a target's buffer was full");
    out += "hearth_dropped_logs_total " + std::to_string(stream::LogSink::dropped()) + "\n";
    head(out, "hearth_log_send_errors_total", "counter",
         "Log lines lost to other send errors (nobody listening on a unix socket)");
    out += "hearth_log_send_errors_total " + std::to_string(stream::LogSink::send_errors()) + "\n";
  }
  if (q.scopes & kScopeFrontend) {
    head(out, "hearth_frontend_failed_proxy_headers_total", "counter",
         "PROXY protocol headers refused: malformed, truncated, late, or never sent");
    for (const stream::Frontend* f : src_.frontends) {
      out += "hearth_frontend_failed_proxy_headers_total{proxy=\"";
      prom_label(out, f->name);
      out += "\"} " +
             std::to_string(f->counters.sum(&stream::FrontendTallies::failed_proxy_headers)) + "\n";
    }
  }
  if (!(q.scopes & kScopeServer)) return;
  std::vector<ServerRef> refs;
  std::vector<backend::Server*> servers;
  for (const backend::Backend* b : src_.backends)
    for (const auto& s : b->servers()) {
      if (q.no_maint && (s->in_maintenance() || !s->has_addr)) continue;
      refs.push_back({b, s.get()});
      servers.push_back(s.get());
    }
  if (refs.empty()) return;
  const std::vector<PoolThreadStats> pools = read_pool_stats(servers);
  using T = backend::ServerTallies;
  auto each = [&](const char* name, const char* type, const char* help, auto value) {
    head(out, name, type, help);
    for (size_t i = 0; i < refs.size(); ++i) server_line(out, name, refs[i], value(i));
  };
  each("hearth_server_up", "gauge",
       "1 while the server takes traffic: UP (or not checked) and not in maintenance",
       [&](size_t i) { return std::string(refs[i].srv->serving() ? "1" : "0"); });
  head(out, "hearth_server_idle_connections", "gauge",
       "Idle connections parked in the server's pools, over the threads, by kind");
  for (size_t i = 0; i < refs.size(); ++i) {
    server_line(out, "hearth_server_idle_connections", refs[i], std::to_string(pools[i].safe),
                "kind=\"safe\"");
    server_line(out, "hearth_server_idle_connections", refs[i], std::to_string(pools[i].unsafe),
                "kind=\"unsafe\"");
  }
  each("hearth_server_reused_total", "counter", "Requests sent on a reused idle connection",
       [&](size_t i) { return std::to_string(refs[i].srv->counters.sum(&T::reused)); });
  each("hearth_server_stale_idle_total", "counter",
       "Idle connections found closed, reset or sent stray bytes while parked, never used",
       [&](size_t i) { return std::to_string(pools[i].stale); });
  each("hearth_server_learned_keepalive_seconds", "gauge",
       "The server's keep-alive timeout as learned from the connections it closed (NaN: not "
       "learned yet)",
       [&](size_t i) {
         const auto est = refs[i].srv->keepalive.estimate_ms();
         if (!est) return std::string("NaN");
         char b[48];
         snprintf(b, sizeof b, "%f", double(*est) / 1000.0);
         return std::string(b);
       });
  each("hearth_server_learned_request_limit", "gauge",
       "The requests per connection after which the server silently closes its connections, as "
       "learned from the counts they died at (NaN: not learned); max-reuse overrides it",
       [&](size_t i) {
         const uint32_t n = refs[i].srv->reqlimit.limit();
         return n ? std::to_string(n) : std::string("NaN");
       });
  const int64_t now_ms = MonotonicClock::instance()->now_ms();
  each("hearth_server_reuse_death_rate", "gauge",
       "Recent share of reused connections that died before any response byte, for a reason "
       "the learned keep-alive timeout and request limit do not explain",
       [&](size_t i) {
         char b[48];
         snprintf(b, sizeof b, "%f", double(refs[i].srv->reuse_guard.rate_ppm(now_ms)) / 1e6);
         return std::string(b);
       });
  each("hearth_server_reuse_guard", "gauge",
       "1 while requests that cannot be replayed take only new connections (reuse-guard)",
       [&](size_t i) { return std::string(refs[i].srv->reuse_guard.active(now_ms) ? "1" : "0"); });
  each("hearth_server_reuse_guarded_total", "counter",
       "Non-idempotent requests the reuse guard sent on a new connection",
       [&](size_t i) { return std::to_string(refs[i].srv->counters.sum(&T::guarded)); });
  head(out, "hearth_server_reused_deaths_total", "counter",
       "Reused connections that died before any response byte, by cause: explained (the learned "
       "keep-alive timeout or request limit) or unexplained");
  for (size_t i = 0; i < refs.size(); ++i) {
    const backend::ReuseGuard& g = refs[i].srv->reuse_guard;
    server_line(out, "hearth_server_reused_deaths_total", refs[i],
                std::to_string(g.explained_deaths()), "cause=\"explained\"");
    server_line(out, "hearth_server_reused_deaths_total", refs[i],
                std::to_string(g.unexplained_deaths()), "cause=\"unexplained\"");
  }
  head(out, "hearth_server_retries_total", "counter",
       "Retries toward the server, by reason: connect-failure, reuse-race (a reused connection "
       "died before any response byte), retry-on (the other retry-on conditions)");
  for (size_t i = 0; i < refs.size(); ++i) {
    const backend::ServerCounters& c = refs[i].srv->counters;
    server_line(out, "hearth_server_retries_total", refs[i],
                std::to_string(c.sum(&T::retries_connect)), "reason=\"connect-failure\"");
    server_line(out, "hearth_server_retries_total", refs[i],
                std::to_string(c.sum(&T::retries_reuse_race)), "reason=\"reuse-race\"");
    server_line(out, "hearth_server_retries_total", refs[i], std::to_string(c.sum(&T::retries_l7)),
                "reason=\"retry-on\"");
  }
  each("hearth_server_fresh_non_idempotent_total", "counter",
       "Non-idempotent requests sent on a new connection (never on one that might be closing)",
       [&](size_t i) {
         return std::to_string(refs[i].srv->counters.sum(&T::fresh_non_idempotent));
       });
}

}  // namespace hearth::admin
