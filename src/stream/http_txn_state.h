#pragma once
// The state of one HTTP transaction, grouped by concern: what the request
// side holds, what the response side holds, what the access log records, and
// the inactivity deadlines. HttpStream owns one of each.
#include <cstdint>
#include <string>

#include "core/buffer.h"
#include "core/clock.h"
#include "http/body_reader.h"
#include "http/method.h"

namespace hearth::stream {

struct HttpRequestState {
  Buffer out;       // rewritten request head + body bytes not yet acknowledged
  size_t sent = 0;  // bytes of `out` already written to the server
  http::BodyReader body;
  http::Method method = http::Method::kGet;
  bool idempotent = true;        // may be replayed (RFC 9110 §9.2.2)
  bool upgrade = false;          // Upgrade or CONNECT: may turn into a tunnel
  bool client_keepalive = true;  // the client asked to keep its connection
  int client_minor = 1;          // HTTP/1.<minor> of the client
  bool done = false;             // the whole request was read from the client
  bool replayable = true;        // the whole request is still in `out`
};

struct HttpResponseState {
  Buffer out;      // rewritten response head (or a local reply)
  size_t fed = 0;  // bytes at the head of the server's buffer accepted as body
                   // (decoded payload when `dechunk`), not yet sent
  http::BodyReader body;
  bool head_done = false;     // the final head was taken
  bool done = false;          // the whole response was read from the server
  bool server_keep = false;   // the server connection may be reused afterwards
  bool client_close = false;  // this is the client connection's last response
  bool dechunk = false;       // chunked response to an HTTP/1.0 client: sent decoded
  bool local_close = true;    // a local reply closes the client connection
  uint64_t from_server = 0;   // bytes received from the server for this request
};

// What the access log line needs. Times are loop milliseconds; -1: not reached.
struct HttpLogState {
  int64_t start_ms = 0;       // the stream was created
  int64_t req_first_ms = -1;  // the first request byte was seen
  int64_t head_ms = -1;       // the request head was complete and valid
  int64_t res_head_ms = -1;   // the final response head arrived
  std::string req_line;       // the request line, captured only for option httplog
  int status = 0;             // sent to the client (0: none)
  const char* term = "--";    // termination code
  uint64_t bytes_out = 0;     // bytes sent to the client (log, frontend counter)
};

// Inactivity deadlines (loop ms; kNever: none).
struct HttpDeadlines {
  int64_t req = kNever;  // timeout http-request (or client) for the request head
  int64_t srv = kNever;  // timeout server, while waiting for the server
  int64_t cli = kNever;  // timeout client, while waiting for the client
  int64_t tun = kNever;  // timeout tunnel (or client) once tunnelling
};

}  // namespace hearth::stream
