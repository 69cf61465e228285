#pragma once
// One log line per finished session, in the spirit of HAProxy's tcplog:
//   CLIENT [DATE] FRONTEND BACKEND/SERVER Tc/Tt BYTES TERMINATION FECONN/SRVCONN
#include <cstdint>
#include <string>

namespace hearth::stream {

struct SessionLogRecord {
  std::string client, frontend, backend, server;
  int64_t t_connect = -1, t_total = 0;
  uint64_t bytes_out = 0;
  const char* termination = "--";
  int fe_conns = 0, srv_conns = 0;
  int status = 0;  // HTTP status, 0 in TCP mode
};

std::string format_session_log(const SessionLogRecord& r);
// Writes one line to stdout (unbuffered write, safe across threads).
void emit_session_log(const SessionLogRecord& r);

}  // namespace hearth::stream
