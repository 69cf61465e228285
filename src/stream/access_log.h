#pragma once
// A frontend's access log (HAProxy manual 8.2): the format compiled at load
// (option httplog / tcplog / httplog clf as their predefined log-format
// strings, or log-format), the unique id, the capture slots, and the line
// sent to each of the frontend's log targets (log_sink.h), one send per
// target and line.
#include <sys/socket.h>

#include <atomic>
#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "config/model.h"
#include "expr/log_format.h"
#include "expr/log_record.h"
#include "stream/log_sink.h"

namespace hearth::net {
class Connection;
struct Address;
}  // namespace hearth::net

namespace hearth::stream {

// HAProxy's predefined formats (manual 8.2.2, 8.2.3).
extern const char* const kHttpLogFormat;
extern const char* const kHttpClfLogFormat;
extern const char* const kHttpsLogFormat;
extern const char* const kTcpLogFormat;

struct FrontendLog {
  // null: HAProxy's default line ("Connect from ... to ... (fe/MODE)"),
  // written when a connection is accepted.
  std::shared_ptr<const expr::LogFormat> fmt;
  std::shared_ptr<const expr::LogFormat> unique_id;  // unique-id-format
  std::string unique_id_header;                      // unique-id-header
  std::vector<config::CaptureSlot> req_caps, res_caps;
  config::CookieCapture cookie_cap;  // capture cookie (%CC, %CS); empty name: none
  bool connect_line = false;         // no format option: the "Connect from" line
  bool request_line = false;         // the format prints the request line or its parts
  bool backend_src = false;          // the format prints %bi or %bp
  // The format prints something known only when a TCP session ends (bytes,
  // timers, connection counts, %ts...). Without, HAProxy writes a TCP
  // session's line once the server connection is established, so rules
  // after that (tcp-response content set-log-level) no longer change it.
  bool waits_for_end = false;
  // option logasap: a line is written as soon as the server connection is
  // up (TCP) or the response head passed the rules (HTTP), whatever the
  // format prints (waits_for_end is then false), and its Tt, Ta, Tu and B
  // print with a '+'.
  bool logasap = false;
  std::atomic<uint64_t> count{0};  // %lc
  // Where lines go: "log global" and the proxy's own "log" lines.
  std::vector<std::shared_ptr<LogSink>> sinks;
  std::string tag;                            // log-tag, else the global one
  std::shared_ptr<const expr::LogFormat> sd;  // log-format-sd (rfc5424 targets)
  std::shared_ptr<const expr::LogFormat> error;  // error-log-format (conn_error_log.h)
  bool separate_errors = false;               // option log-separate-errors
  bool dontlog_normal = false;                // option dontlog-normal
  // The least urgent level a target takes: lines less urgent than every
  // target's LEVEL are not rendered at all.
  int8_t max_level = -1;
};

// The syslog hostname (log-send-hostname; empty: none). Set at startup.
void set_log_hostname(std::string name);

// The longest "len" of all log targets, at least 1024: a rendered line (and
// its structured data) is cut to one byte less, as HAProxy sizes its log
// buffer. Set at startup.
void set_max_log_len(int len);

// Sets the sinks of `log` and its max_level.
void set_log_sinks(FrontendLog* log, std::vector<std::shared_ptr<LogSink>> sinks);

// The level of a traffic line, as HAProxy decides it: `set_level` when a
// set-log-level rule gave one (kLogSilent: no line); else err for an error
// under option log-separate-errors, info otherwise. An error is a
// redispatch, a retry, a termination other than local or none, or an HTTP
// status of 500 and above. Returns: kLogSilent when option dontlog-normal
// drops a line without error.
int8_t traffic_log_level(const FrontendLog& log, const expr::LogRecord& r, int8_t set_level);

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
// A UNIX socket logs as "unix" with `unix_port` for its port: HAProxy
// shows the bind line's id as the client's and frontend's port, 0 for a
// server's.
void to_log_addr(const sockaddr* sa, expr::LogAddr* out, int unix_port = 0);
// The local address of fd (%fi/%fp, %bi/%bp).
void local_log_addr(int fd, expr::LogAddr* out);

// The default line for a connection accepted by frontend `fe_name`.
void emit_connect_line(const FrontendLog& log, const net::Connection& client,
                       const std::string& fe_name, bool http, const net::Address* from = nullptr,
                       const net::Address* to = nullptr);

// Sends `line` at `level` to the frontend's targets.
void send_log_line(const FrontendLog& log, int8_t level, std::string_view sd,
                   std::string_view line);

// Renders `fmt` (and log-format-sd) for `r` and sends it to the targets
// (r.log_counter is taken from log->count here), unless `level` (a
// config::LogLevel, see traffic_log_level) is kLogSilent or less urgent than
// every target takes.
void emit_access_log(FrontendLog& log, expr::FetchContext* ctx, expr::LogRecord& r, int8_t level);

}  // namespace hearth::stream
