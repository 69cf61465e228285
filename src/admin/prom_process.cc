// The exporter's process metrics ("global" scope): HAProxy 2.6's list, with
// the values Hearth has. A figure Hearth does not measure (SSL rates, tasks,
// run queue, idle time...) is NaN, as HAProxy prints what it cannot tell; a
// limit Hearth does not have (connection rate, SSL rate, compression) is 0,
// HAProxy's "no limit".
#include <algorithm>
#include <cstdio>
#include <functional>
#include <string_view>
#include <unordered_map>

#include "admin/prom_exporter.h"
#include "admin/prom_metrics.h"
#include "config/build_info.h"
#include "core/clock.h"
#include "core/pool.h"
#include "net/connection.h"
#include "net/pipe_pool.h"
#include "stream/log_sink.h"

namespace hearth::admin {
namespace {

// What the process metrics read, gathered once per scrape.
struct ProcessFigures {
  int nthreads = 1;
  int64_t uptime_s = 0, start_wall_s = 0;
  long ulimit_n = 0;
  int maxconn = 0;
  uint64_t conns = 0, requests = 0, bytes_out = 0;
  uint64_t conn_rate = 0;
  uint64_t pool_failures = 0, pool_allocated = 0, pool_used = 0;
  size_t listeners = 0;
  net::PipeStats pipes;
};

using Value = std::function<std::string(const ProcessFigures&)>;

std::string n(uint64_t v) { return std::to_string(v); }

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
      {"hard_max_connections", [](const ProcessFigures& p) { return n(uint64_t(p.maxconn)); }},
      {"current_connections",
       [](const ProcessFigures&) { return n(uint64_t(stream::Frontend::global_conns())); }},
      {"connections_total", [](const ProcessFigures& p) { return n(p.conns); }},
      {"requests_total", [](const ProcessFigures& p) { return n(p.requests); }},
      {"max_ssl_connections", [](const ProcessFigures&) { return std::string("0"); }},
      {"pipes_used_total", [](const ProcessFigures& p) { return n(uint64_t(p.pipes.used)); }},
      {"pipes_free_total", [](const ProcessFigures& p) { return n(uint64_t(p.pipes.free)); }},
      {"current_connection_rate", [](const ProcessFigures& p) { return n(p.conn_rate); }},
      {"current_session_rate", [](const ProcessFigures& p) { return n(p.conn_rate); }},
      {"limit_connection_rate", [](const ProcessFigures&) { return std::string("0"); }},
      {"limit_session_rate", [](const ProcessFigures&) { return std::string("0"); }},
      {"limit_ssl_rate", [](const ProcessFigures&) { return std::string("0"); }},
      {"http_comp_bytes_in_total", [](const ProcessFigures&) { return std::string("0"); }},
      {"http_comp_bytes_out_total", [](const ProcessFigures&) { return std::string("0"); }},
      {"limit_http_comp", [](const ProcessFigures&) { return std::string("0"); }},
      {"stopping", [](const ProcessFigures&) { return std::string("0"); }},
      {"listeners", [](const ProcessFigures& p) { return n(p.listeners); }},
      {"active_peers", [](const ProcessFigures&) { return std::string("0"); }},
      {"connected_peers", [](const ProcessFigures&) { return std::string("0"); }},
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
  ProcessFigures p;
  p.nthreads = nthreads_;
  p.uptime_s = (MonotonicClock::instance()->now_ms() - start_ms_) / 1000;
  p.start_wall_s = start_wall_s_;
  p.ulimit_n = info_.ulimit_n;
  p.maxconn = info_.maxconn;
  const int64_t now = MonotonicClock::instance()->now_ms();
  for (stream::Frontend* f : src_.frontends) {
    using T = stream::FrontendTallies;
    p.conns += f->counters.sum(&T::sessions);
    p.requests += f->counters.sum(&T::http_requests);
    p.bytes_out += f->counters.sum(&T::bytes_out);
    p.conn_rate += backend::rate_sum(f->counters.t, &T::sess_rate, f->counters.sess_rate_max, now);
    size_t binds = 0;  // every thread has a socket of each bind line it serves
    for (const auto& per_thread : f->listeners_by_thread)
      binds = std::max(binds, per_thread.size());
    p.listeners += binds;
  }
  for (const PoolStats& s : BlockPool::all_stats()) {
    p.pool_failures += s.failures;
    p.pool_allocated += s.allocated * s.object_size;
    p.pool_used += s.used * s.object_size;
  }
  p.pipes = net::pipe_stats();
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
