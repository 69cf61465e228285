#pragma once
// The state of one HTTP transaction, grouped by concern: what the request
// side holds, what the response side holds, what the access log records, and
// the inactivity deadlines. HttpStream owns one of each.
#include <cstdint>
#include <string>
#include <string_view>

#include "core/buffer.h"
#include "core/clock.h"
#include "expr/log_record.h"
#include "http/method.h"
#include "http/msg.h"
#include "stream/http_captures.h"
#include "stream/sample_fetch.h"

namespace hearth::stream {

struct HttpRequestState {
  http::MsgHead head;      // the request as it goes to the server (kept for a replay)
  http::MsgHead trailers;  // its trailers, when it had some
  Buffer data;             // payload received and not yet known to be delivered
  size_t sent = 0;         // bytes of `data` the server's mux took
  bool head_sent = false;  // the head went to the current server connection
  bool eom_sent = false;   // ... and the end of the message
  http::Method method = http::Method::kGet;
  bool idempotent = true;        // may be replayed (RFC 9110 §9.2.2)
  bool client_keepalive = true;  // the client asked to keep its connection
  bool done = false;             // the whole request was received from the client
  bool replayable = true;        // the whole payload is still in `data`
  bool l7_retry_off = false;     // http-request disable-l7-retry ran
  // The request rules waited for the payload or read it (wait-for-body,
  // http-buffer-request, req.body & co): it is not spliced (http_splice.cc).
  bool body_seen = false;
};

struct HttpResponseState {
  http::MsgHead head;      // the response head from the server, or a local reply
  http::MsgHead trailers;  // the trailers of the server's payload
  std::string_view local;  // a local reply's payload not yet sent (kept in `head`)
  // Payload taken from the server's mux before the response rules ran
  // (http-response wait-for-body; res.body reads it), forwarded first.
  Buffer data;
  bool data_eom = false;     // `data` ends the payload
  bool data_broken = false;  // the payload cannot be read further (bad framing, cut short)
  bool head_done = false;    // the final head was sent to the client
  bool done = false;         // the whole response went to the client's mux
  bool server_keep = false;  // the server connection may be reused afterwards
  // The server closed the connection right after a response that allowed
  // keep-alive (its FIN came with the response): evidence of a request cap.
  bool server_closed_silently = false;
  bool client_close = false;  // this is the client connection's last response
  bool from_server = false;   // a server's response head reached the rules (hrsp per server)
  int server_status = 0;      // ... its status, counted in the server's hrsp_* whatever replaced it
  bool local_close = true;    // a local reply closes the client connection
  // The http-after-response rules ran on this response, or must not run
  // (early parse errors, the 500 replacing a response they failed on).
  bool after_rules_done = false;
};

// What the access log line needs. Times are loop milliseconds; -1: not reached.
struct HttpLogState {
  int64_t start_ms = 0;       // the stream was created
  int64_t th = 0;             // %Th: the handshake before it (first stream of a session only)
  int64_t req_first_ms = -1;  // the first request byte was seen
  int64_t head_ms = -1;       // the request head was complete and valid
  // The end of %TR: the head, or the end of a wait for the payload (-1
  // while waiting, as HAProxy, whose TR includes that wait).
  int64_t req_ready_ms = -1;
  int64_t res_head_ms = -1;  // the final response head arrived
  std::string req_line;      // the request line, captured only when the log format prints it
  int status = 0;            // sent to the client (0: none)
  const char* term = "--";   // termination code
  uint64_t bytes_out = 0;    // bytes sent to the client (log, frontend counter)
  uint64_t bytes_in = 0;     // bytes received from the client (log, frontend counter)
  bool skip = false;         // not logged (a monitor-uri request)
  bool logged = false;       // the line went out with the response head (option logasap)
  uint64_t req_id = 0;       // %rt, drawn when the frontend logs or has a unique id
  expr::LogAddr be_src;      // %bi/%bp, read from the server connection only when logged
  std::string unique_id;     // unique-id-format, computed once per transaction
  bool has_unique_id = false;
  // A rule value's %TR, %Tq and %ID print the request's only once its rules
  // are over (or, for %ID, once the unique-id fetch read it), as HAProxy's.
  bool req_rules_done = false;
  bool id_read = false;
  TxnCaptures caps;                   // capture slots (only with captures declared)
  int8_t level = config::kLogNotSet;  // set-log-level's (config::LogLevel), if one ran
  LastRule last_rule;                 // the last rule that ended a list
  // A tarpit ended then: %Tw is the time from the stream's start to it, %TR
  // is -1 (as HAProxy's). -1: no tarpit.
  int64_t tarpit_ms = -1;
  int64_t left_queue_ms = -1;  // the client left while queued (CQ): Tw ends here
};

// Inactivity deadlines (loop ms; kNever: none).
struct HttpDeadlines {
  int64_t req = kNever;  // timeout http-request (or client) for the request head
  int64_t srv = kNever;  // timeout server, while waiting for the server
  int64_t cli = kNever;  // timeout client, while waiting for the client
  int64_t tun = kNever;  // timeout tunnel (or client) once tunnelling
  // option independent-streams (the frontend's for the client, the
  // backend's for the server): sending to that side restarts only these,
  // armed while output waits for it; srv and cli then follow reads only.
  int64_t srv_w = kNever;
  int64_t cli_w = kNever;
};

}  // namespace hearth::stream
