#pragma once
// The metrics of the Prometheus exporter ("http-request use-service
// prometheus-exporter"): HAProxy 2.6's names, types and help texts, in the
// order it prints them, each with the `show stat` field (stat_fields.h) its
// value comes from. Process metrics are listed apart: their values come from
// the process, not from a stats row.
#include <cstddef>
#include <cstdint>

#include "admin/stat_fields.h"

namespace hearth::admin {

enum class PromScope : uint8_t { kProcess, kFrontend, kListener, kBackend, kServer, kStickTable };
enum class PromType : uint8_t { kGauge, kCounter };

// How a metric's lines are made from its field.
enum class PromKind : uint8_t {
  kValue,         // the field as it is; NaN when the row leaves it empty
  kMillis,        // a field in milliseconds, printed in seconds
  kStatus,        // one line per state of the proxy or server (label "state")
  kHttpCodes,     // one line per response class, hrsp_1xx.. (label "code")
  kServerStates,  // a backend's servers counted per state (agg_server_status)
  kCheckStates,   // one line per check result (a server's), or the servers per result
};

enum PromFlag : uint8_t {
  kHttpOnly = 1,     // skipped for a proxy in TCP mode
  kCheckedOnly = 2,  // skipped for a server without health checks
};

struct PromMetric {
  PromScope scope;
  const char* name;  // after "haproxy_<scope>_"
  PromType type;
  PromKind kind;
  StatField field;
  uint8_t flags;
  const char* help;
};

struct PromProcessMetric {
  const char* name;  // after "haproxy_process_"
  PromType type;
  const char* help;
};

// The frontend, backend and server metrics, scope by scope.
extern const PromMetric kPromMetrics[];
extern const size_t kPromMetricCount;
// The process metrics ("global" scope), in order; PromProcessValues fills
// their values in the same order.
extern const PromProcessMetric kPromProcessMetrics[];
extern const size_t kPromProcessMetricCount;

}  // namespace hearth::admin
