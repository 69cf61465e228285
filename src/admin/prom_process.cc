// The exporter's process metrics ("global" scope): each is one field of
// "show info", as HAProxy 2.6's exporter reads them, so both always agree. A
// metric whose field "show info" leaves out (the zlib figures, Hearth
// compresses nothing) is NaN, as HAProxy prints what it cannot tell.
#include <string_view>
#include <unordered_map>

#include "admin/process_info.h"
#include "admin/prom_exporter.h"
#include "admin/prom_metrics.h"
#include "config/build_info.h"

namespace hearth::admin {
namespace {

// Metric name (after "haproxy_process_") -> the "show info" field it reports.
const std::unordered_map<std::string_view, std::string_view>& info_fields() {
  static const std::unordered_map<std::string_view, std::string_view> m = {
      {"nbthread", "Nbthread"},
      {"nbproc", "Nbproc"},
      {"relative_process_id", "Process_num"},
      {"uptime_seconds", "Uptime_sec"},
      {"pool_failures_total", "PoolFailed"},
      {"max_fds", "Ulimit-n"},
      {"max_sockets", "Maxsock"},
      {"max_connections", "Maxconn"},
      {"hard_max_connections", "Hard_maxconn"},
      {"current_connections", "CurrConns"},
      {"connections_total", "CumConns"},
      {"requests_total", "CumReq"},
      {"max_ssl_connections", "MaxSslConns"},
      {"current_ssl_connections", "CurrSslConns"},
      {"ssl_connections_total", "CumSslConns"},
      {"max_pipes", "Maxpipes"},
      {"pipes_used_total", "PipesUsed"},
      {"pipes_free_total", "PipesFree"},
      {"current_connection_rate", "ConnRate"},
      {"limit_connection_rate", "ConnRateLimit"},
      {"max_connection_rate", "MaxConnRate"},
      {"current_session_rate", "SessRate"},
      {"limit_session_rate", "SessRateLimit"},
      {"max_session_rate", "MaxSessRate"},
      {"current_ssl_rate", "SslRate"},
      {"limit_ssl_rate", "SslRateLimit"},
      {"max_ssl_rate", "MaxSslRate"},
      {"current_frontend_ssl_key_rate", "SslFrontendKeyRate"},
      {"max_frontend_ssl_key_rate", "SslFrontendMaxKeyRate"},
      {"frontend_ssl_reuse", "SslFrontendSessionReuse_pct"},
      {"current_backend_ssl_key_rate", "SslBackendKeyRate"},
      {"max_backend_ssl_key_rate", "SslBackendMaxKeyRate"},
      {"ssl_cache_lookups_total", "SslCacheLookups"},
      {"ssl_cache_misses_total", "SslCacheMisses"},
      {"http_comp_bytes_in_total", "CompressBpsIn"},
      {"http_comp_bytes_out_total", "CompressBpsOut"},
      {"limit_http_comp", "CompressBpsRateLim"},
      {"current_zlib_memory", "ZlibMemUsage"},
      {"max_zlib_memory", "MaxZlibMemUsage"},
      {"current_tasks", "Tasks"},
      {"current_run_queue", "Run_queue"},
      {"idle_time_percent", "Idle_pct"},
      {"stopping", "Stopping"},
      {"jobs", "Jobs"},
      {"unstoppable_jobs", "Unstoppable Jobs"},
      {"listeners", "Listeners"},
      {"active_peers", "ActivePeers"},
      {"connected_peers", "ConnectedPeers"},
      {"dropped_logs_total", "DroppedLogs"},
      {"busy_polling_enabled", "BusyPolling"},
      {"failed_resolutions", "FailedResolutions"},
      {"bytes_out_total", "TotalBytesOut"},
      {"spliced_bytes_out_total", "TotalSplicdedBytesOut"},
      {"bytes_out_rate", "BytesOutRate"},
      {"recv_logs_total", "CumRecvLogs"},
      {"max_memory_bytes", "Memmax_bytes"},
      {"pool_allocated_bytes", "PoolAlloc_bytes"},
      {"pool_used_bytes", "PoolUsed_bytes"},
      {"start_time_seconds", "Start_time_sec"},
  };
  return m;
}

}  // namespace

void PromExporter::render_process(std::string& out) const {
  const ProcessFigures p = gather_process_figures(src_.frontends, src_.loops, nthreads_, start_ms_,
                                                  start_wall_s_, info_);
  std::unordered_map<std::string_view, std::string> values;
  for (InfoField& f : process_info_fields(p, info_)) values.emplace(f.name, std::move(f.value));
  const auto& fields = info_fields();
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
    const auto field = fields.find(m.name);
    const auto v = field == fields.end() ? values.end() : values.find(field->second);
    out += name + " " + (v == values.end() ? std::string("NaN") : v->second) + "\n";
  }
}

}  // namespace hearth::admin
