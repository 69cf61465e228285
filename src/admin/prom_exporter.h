#pragma once
// The Prometheus exporter: HAProxy 2.6's exposition (prom_metrics.h) of the
// process, frontends, backends and servers, then Hearth's own metrics under
// "hearth_" (prom_hearth.cc). Served by "http-request use-service
// prometheus-exporter" on the worker thread that took the request, and by
// `show metrics` on the CLI: both read the per-thread counters summed, and
// the idle pools' counts, which their threads publish (OwnedCount); nothing
// waits for another thread.
#include <cstdint>
#include <string>

#include "admin/prom_query.h"
#include "admin/runtime_api.h"
#include "admin/stat_rows.h"
#include "stream/http_service.h"

namespace hearth::admin {

class PromExporter {
 public:
  PromExporter(StatSources src, RuntimeApi::ProcessInfo info, int nthreads, int64_t start_ms);

  // Returns: the exposition of what `q` selects.
  std::string render(const PromQuery& q) const;

  // Answers an exporter request (stream::ServiceFn with ctx = this).
  static void serve_cb(const stream::ServiceRequest& req, stream::ServiceAnswer* out, void* ctx);

 private:
  void render_process(std::string& out) const;
  void render_proxies(std::string& out, const PromQuery& q) const;
  void render_hearth(std::string& out, const PromQuery& q) const;
  // haproxy_sticktable_size and _used, the tables in HAProxy's order (the
  // last declared first, as show table).
  void render_sticktables(std::string& out) const;

  StatSources src_;
  RuntimeApi::ProcessInfo info_;
  int nthreads_;
  int64_t start_ms_;      // monotonic
  int64_t start_wall_s_;  // wall clock, for start_time_seconds
};

// Appends `v` escaped as a label value (backslash, quote and newline escaped).
void prom_label(std::string& out, std::string_view v);

}  // namespace hearth::admin
