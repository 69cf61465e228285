#pragma once
// A frontend's access log (HAProxy manual 8.2): the format compiled at load
// (option httplog / tcplog / httplog clf as their predefined log-format
// strings, or log-format), the unique id, the capture slots, and the line
// written to stdout with one write() per session or transaction.
#include <sys/socket.h>

#include <atomic>
#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "config/model.h"
#include "expr/log_format.h"
#include "expr/log_record.h"

namespace hearth::net {
class Connection;
}

namespace hearth::stream {

// HAProxy's predefined formats (manual 8.2.2, 8.2.3).
extern const char* const kHttpLogFormat;
extern const char* const kHttpClfLogFormat;
extern const char* const kTcpLogFormat;

struct FrontendLog {
  // null: HAProxy's default line ("Connect from ... to ... (fe/MODE)"),
  // written when a connection is accepted.
  std::shared_ptr<const expr::LogFormat> fmt;
  std::shared_ptr<const expr::LogFormat> unique_id;  // unique-id-format
  std::string unique_id_header;                      // unique-id-header
  std::vector<config::CaptureSlot> req_caps, res_caps;
  bool connect_line = false;       // no format option: the "Connect from" line
  bool request_line = false;       // the format prints the request line or its parts
  bool backend_src = false;        // the format prints %bi or %bp
  std::atomic<uint64_t> count{0};  // %lc
  // The global "log" line's LEVEL: lines less urgent are not written.
  int8_t max_level = config::kLogDebug;
};

// Fills `log` from a proxy's settings. `http`: the frontend is in HTTP mode.
// Returns: false with *err set if a format cannot be compiled.
bool configure_frontend_log(const config::ProxyConfig& p, bool http, FrontendLog* log,
                            std::string* err);

// hearth -d: a frontend without a log format logs with the tcplog format
// instead of the "Connect from" line.
void debug_log_format(FrontendLog* log);

// Returns: the next %rt (one per TCP session or HTTP transaction, process-wide).
uint64_t next_request_id();

// Copies an address into the log record's form.
void to_log_addr(const sockaddr* sa, expr::LogAddr* out);
// The local address of fd (%fi/%fp, %bi/%bp).
void local_log_addr(int fd, expr::LogAddr* out);

// The default line for a connection accepted by frontend `fe_name`.
void emit_connect_line(const net::Connection& client, const std::string& fe_name, bool http);

// Renders `fmt` for `r` and writes it as one line (r.log_counter is taken
// from log->count here), unless `level` (a config::LogLevel: HAProxy logs
// traffic at info unless set-log-level says otherwise) is kLogSilent or less
// urgent than the configured maximum.
void emit_access_log(FrontendLog& log, expr::FetchContext* ctx, expr::LogRecord& r,
                     int8_t level = config::kLogInfo);

}  // namespace hearth::stream
