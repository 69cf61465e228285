#pragma once
// HAProxy's connection error line, for a connection that failed before its
// session started (TLS handshake, PROXY header):
// "IP:PORT [DATE] FRONTEND/BIND: MESSAGE", or the frontend's
// error-log-format rendered on the connection, at level info (err with
// "option log-separate-errors"), when the frontend logs.
#include <cstdint>
#include <string_view>

#include "net/connection.h"

namespace hearth::stream {

class Frontend;

// Sends the line for connection c (its socket peer is the address shown),
// accepted at accept_wall_ms (session_log.h's wall_clock_ms()).
void log_conn_error(const Frontend& fe, const net::Connection& c, int64_t accept_wall_ms,
                    std::string_view message);

}  // namespace hearth::stream
