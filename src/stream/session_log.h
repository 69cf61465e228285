#pragma once
// Access-log lines, one per finished session (TCP) or transaction (HTTP),
// written to stdout. Two shapes, after HAProxy's tcplog and httplog:
//
//   tcplog:  CLIENT [DATE] FRONTEND BACKEND/SERVER Tc/Tt BYTES TERM FECONN/SRVCONN
//   httplog: CLIENT [DATE.ms] FRONTEND BACKEND/SERVER TR/Tw/Tc/Tr/Ta STATUS BYTES - - TERM--
//            ACTCONN/FECONN/BECONN/SRVCONN/RETRIES SRVQUEUE/BEQUEUE "REQUEST LINE"
//
// Timers are in milliseconds; -1 means the phase never happened or never
// finished. docs/architecture.md ("Access log") describes every field.
#include <cstdint>
#include <string>
#include <string_view>

namespace hearth::stream {

struct SessionLogRecord {
  std::string client, frontend, backend, server;
  int64_t t_connect = -1, t_total = 0;
  uint64_t bytes_out = 0;
  const char* termination = "--";
  int fe_conns = 0, srv_conns = 0;
};

// One HTTP transaction. Names are views: they must outlive the formatting call.
struct HttpLogRecord {
  std::string client;   // "IP:PORT"
  int64_t date_ms = 0;  // wall-clock time (ms since the epoch) the request began
  std::string_view frontend, backend, server;
  int64_t t_request = -1;          // TR: first byte of the request to its complete head
  int64_t t_queue = -1;            // Tw: head complete to a server slot granted
  int64_t t_connect = -1;          // Tc: slot granted to a usable server connection
  int64_t t_response = -1;         // Tr: connection usable to the final response head
  int64_t t_active = 0;            // Ta: first byte of the request to the end of the transaction
  int status = -1;                 // -1: no status was sent
  uint64_t bytes_out = 0;          // bytes sent to the client
  const char* termination = "--";  // two letters; the line shows them followed by "--"
  int act_conns = 0, fe_conns = 0, be_conns = 0, srv_conns = 0;
  int retries = 0;
  bool redispatched = false;  // shown as a '+' before the retry count
  uint64_t srv_queue = 0, be_queue = 0;
  // As captured by capture_request_line(); empty when no valid request head was
  // read (the line then shows <BADREQ>).
  std::string_view request;
};

// Longest request-target kept for the log, in bytes.
inline constexpr size_t kMaxLoggedTarget = 1024;

// Returns: "METHOD TARGET HTTP/M.m" with the target cut to kMaxLoggedTarget
// bytes. Bytes are kept raw; format_http_log() escapes them.
std::string capture_request_line(std::string_view method, std::string_view target,
                                 int version_major, int version_minor);
// Appends s to out with every byte that could break the line or its quoting
// (control bytes, '"', '#', DEL and bytes >= 0x80) written as '#' and two
// uppercase hex digits.
void append_log_escaped(std::string& out, std::string_view s);

// Returns: the wall-clock time in milliseconds since the epoch.
int64_t wall_clock_ms();

std::string format_session_log(const SessionLogRecord& r);
std::string format_http_log(const HttpLogRecord& r);
// Write one line to stdout (an unbuffered write, safe across threads).
void emit_session_log(const SessionLogRecord& r);
void emit_http_log(const HttpLogRecord& r);

}  // namespace hearth::stream
