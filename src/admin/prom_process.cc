// The exporter's process metrics ("global" scope): HAProxy 2.6's list, with
// the values Hearth has. A figure Hearth does not measure (SSL rates, tasks,
// run queue, idle time...) is NaN, as HAProxy prints what it cannot tell; a
// limit Hearth does not have (maxsslconn, compression) is 0, HAProxy's "no
// limit".
#include <algorithm>
#include <cstdio>
#include <functional>
#include <string_view>
#include <unordered_map>

#include "admin/process_info.h"
#include "admin/prom_exporter.h"
#include "admin/prom_metrics.h"
#include "config/build_info.h"
#include "core/clock.h"
#include "core/pool.h"
#include "net/connection.h"
#include "net/pipe_pool.h"
#include "net/tls_stats.h"
#include "stream/accept_rate.h"
#include "stream/log_sink.h"

namespace hearth::admin {
namespace {

using Value = std::function<std::string(const ProcessFigures&)>;

std::string n(uint64_t v) { return std::to_string(v); }
int64_t mono_now() { return MonotonicClock::instance()->now_ms(); }

const std::unordered_map<std::string_view, Value>& values() {
  static const std::unordered_map<std::string_view, Value> m = {
      {"nbthread", [](const ProcessFigures& p) { return n(uint64_t(p.nthreads)); }},
      {"nbproc", [](const ProcessFigures&) { return std::string("1"); }},
      {"relative_process_id", [](const ProcessFigures&) { return std::string("1"); }},
      {"uptime_seconds", [](const ProcessFigures& p) { return n(uint64_t(p.uptime_s)); }},
      {"pool_failures_total", [](const ProcessFigures& p) { return n(p.pool_failures); }},
      {"max_fds", [](const ProcessFigures& p) { return n(uint64_t(p.ulimit_n)); }},
      {"max_sockets", [](const ProcessFigures& p) { return n(uint64_t(p.ulimit_n)); }},
      {"max_connections", [](const ProcessFigures& p) { return n(uint64_t(p.maxconn)); }},
      {"hard_max_connections", [](const ProcessFigures& p) { return n(uint64_t(p.hard_maxconn)); }},
      {"current_connections",
       [](const ProcessFigures&) { return n(uint64_t(stream::Frontend::global_conns())); }},
      {"connections_total", [](const ProcessFigures& p) { return n(p.conns); }},
      {"requests_total", [](const ProcessFigures& p) { return n(p.requests); }},
      {"max_ssl_connections", [](const ProcessFigures&) { return std::string("0"); }},
      {"pipes_used_total", [](const ProcessFigures& p) { return n(uint64_t(p.pipes.used)); }},
      {"pipes_free_total", [](const ProcessFigures& p) { return n(uint64_t(p.pipes.free)); }},
      // The process's accept rates and limits, as show info's ConnRate ..
      // MaxSslRate.
      {"current_connection_rate",
       [](const ProcessFigures&) { return n(stream::process_rates().conns.rate(mono_now())); }},
      {"max_connection_rate",
       [](const ProcessFigures&) { return n(stream::process_rates().conns.max()); }},
      {"current_session_rate",
       [](const ProcessFigures&) { return n(stream::process_rates().sess.rate(mono_now())); }},
      {"max_session_rate",
       [](const ProcessFigures&) { return n(stream::process_rates().sess.max()); }},
      {"current_ssl_rate",
       [](const ProcessFigures&) {
         const net::TlsStats& t = net::tls_stats();
         return n(t.fe_conns.rate(t.since_origin(mono_now())));
       }},
      {"max_ssl_rate", [](const ProcessFigures&) { return n(net::tls_stats().fe_conns.max()); }},
      {"limit_connection_rate",
       [](const ProcessFigures&) { return n(stream::process_rates().conn_limit.load()); }},
      {"limit_session_rate",
       [](const ProcessFigures&) { return n(stream::process_rates().sess_limit.load()); }},
      {"limit_ssl_rate",
       [](const ProcessFigures&) { return n(stream::process_rates().ssl_limit.load()); }},
      {"http_comp_bytes_in_total", [](const ProcessFigures&) { return std::string("0"); }},
      {"http_comp_bytes_out_total", [](const ProcessFigures&) { return std::string("0"); }},
      {"limit_http_comp", [](const ProcessFigures&) { return std::string("0"); }},
      {"stopping", [](const ProcessFigures& p) { return std::string(p.stopping ? "1" : "0"); }},
      {"jobs", [](const ProcessFigures& p) { return n(p.jobs); }},
      {"unstoppable_jobs", [](const ProcessFigures&) { return std::string("0"); }},  // show info's
      {"listeners", [](const ProcessFigures& p) { return n(p.listeners); }},
      {"active_peers", [](const ProcessFigures& p) { return n(uint64_t(p.active_peers)); }},
      {"connected_peers", [](const ProcessFigures& p) { return n(uint64_t(p.connected_peers)); }},
      {"dropped_logs_total", [](const ProcessFigures&) { return n(stream::LogSink::dropped()); }},
      {"busy_polling_enabled", [](const ProcessFigures&) { return std::string("0"); }},
      {"bytes_out_total", [](const ProcessFigures& p) { return n(p.bytes_out); }},
      {"spliced_bytes_out_total", [](const ProcessFigures& p) { return n(p.pipes.spliced); }},
      {"pool_allocated_bytes", [](const ProcessFigures& p) { return n(p.pool_allocated); }},
      {"pool_used_bytes", [](const ProcessFigures& p) { return n(p.pool_used); }},
      {"start_time_seconds", [](const ProcessFigures& p) { return n(uint64_t(p.start_wall_s)); }},
  };
  return m;
}

}  // namespace

void PromExporter::render_process(std::string& out) const {
  const ProcessFigures p =
      gather_process_figures(src_.frontends, nthreads_, start_ms_, start_wall_s_, info_);
  const auto& v = values();
  for (size_t i = 0; i < kPromProcessMetricCount; ++i) {
    const PromProcessMetric& m = kPromProcessMetrics[i];
    const std::string name = std::string("haproxy_process_") + m.name;
    out += "# HELP " + name + " " + m.help + "\n# TYPE " + name +
           (m.type == PromType::kCounter ? " counter\n" : " gauge\n");
    if (std::string_view(m.name) == "build_info") {
      out += name + "{version=\"";
      prom_label(out, config::hearth_version());
      out += "\"} 1\n";
      continue;
    }
    const auto it = v.find(m.name);
    out += name + " " + (it == v.end() ? std::string("NaN") : it->second(p)) + "\n";
  }
}

}  // namespace hearth::admin
