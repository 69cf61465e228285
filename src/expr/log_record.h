#pragma once
// What an access-log line can print about one finished session (TCP) or
// transaction (HTTP): plain data the stream layer fills once, at log time,
// and LogFormat::render() reads (HAProxy manual 8.2.4). Views must outlive the
// render call.
#include <cstddef>
#include <cstdint>
#include <string_view>

namespace hearth::expr {

// An address and port; family 0: unknown (printed as "-").
struct LogAddr {
  int family = 0;  // AF_INET, AF_INET6 or AF_UNIX (printed "unix", port as set)
  uint8_t bytes[16] = {};
  uint16_t port = 0;
};

// One capture slot (capture request/response header, declare capture).
struct LogCapture {
  std::string_view value;
  bool set = false;  // false: nothing was captured (printed empty or "-")
};

struct LogRecord {
  LogAddr client, frontend, backend_src, server;
  std::string_view fe_name, be_name, srv_name;
  bool fe_ssl = false;     // the client connection is TLS: %ft prints the name with '~'
  int64_t accept_ms = 0;   // wall clock (ms since the epoch) of the accept
  int64_t request_ms = 0;  // wall clock of the request's first byte
  // Timers in milliseconds, -1: the phase was not reached (manual 8.4).
  int64_t th = 0;     // handshake
  int64_t ti = 0;     // idle before the request
  int64_t treq = -1;  // TR: first request byte to the complete head
  int64_t tw = -1, tc = -1, tr = -1;
  int64_t tt = 0;  // accept to end
  int status = -1;
  uint64_t bytes_out = 0, bytes_in = 0;
  const char* term = "--";  // two letters
  // %tsc's cookie characters (client's, server's): '-' without a cookie.
  char ck_req = '-', ck_res = '-';
  // capture cookie: %CC / %CS (set false: nothing captured, printed "-").
  std::string_view cookie_req, cookie_res;
  bool has_cookie_req = false, has_cookie_res = false;
  // option logasap: the line may be written before the end, so Tt, Ta, Tu
  // and B print with a '+' (the final values may be larger).
  bool partial = false;
  int act_conns = 0, fe_conns = 0, be_conns = 0, srv_conns = 0;
  int retries = 0;
  bool redispatched = false;
  // %rs (a Hearth addition): how the server connection of the last attempt
  // was obtained: 'R' reused idle, 'N' new, 'G' new because the server's reuse
  // guard kept a request that cannot be replayed off idle connections, '-' none.
  char reuse = '-';
  uint64_t srv_queue = 0, be_queue = 0;
  uint64_t req_counter = 0;  // %rt
  uint64_t log_counter = 0;  // %lc
  // "METHOD TARGET HTTP/x.y" as received (cut); has_request false: <BADREQ>.
  std::string_view request;
  bool has_request = false;
  std::string_view unique_id;
  bool has_unique_id = false;
  const LogCapture* req_caps = nullptr;
  size_t n_req_caps = 0;
  const LogCapture* res_caps = nullptr;
  size_t n_res_caps = 0;
};

}  // namespace hearth::expr
