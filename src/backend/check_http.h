#pragma once
// The HTTP part of health checks: building the request of an "http-check
// send" rule (log-format parts evaluated per check) and reading the response
// an "http-check expect" rule looks at. Pure code: no I/O.
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "config/check_model.h"
#include "expr/fetch.h"

namespace hearth::backend {

// Returns: the bytes of an HTTP check request. raw_lines are extra header
// lines, each already ending with CRLF. A body gets a content-length; an
// HTTP/1.1 request without a Connection field gets "connection: close".
std::string build_check_request(std::string_view method, std::string_view uri,
                                std::string_view version, std::string_view raw_lines,
                                const std::vector<std::pair<std::string, std::string>>& headers,
                                std::string_view body);

// The request of `send` with its formats evaluated through `ctx`;
// `state_header`: an X-Haproxy-Server-State value to add, or empty.
std::string render_check_request(const config::CheckSend& send, expr::FetchContext& ctx,
                                 const std::string& state_header);

// A check's view of an HTTP response in its receive buffer. Interim (1xx)
// responses are skipped. Header lines are read loosely: a health endpoint
// sloppy about its fields still gets a verdict from its status.
struct CheckResponse {
  enum class State { kIncomplete, kInvalid, kHead, kComplete };
  State state = State::kIncomplete;
  int status = 0;
  std::string_view reason;
  std::vector<std::pair<std::string_view, std::string_view>> fields;
  std::string body;  // de-chunked when complete
};

// Parses `data`; `eof`: no more bytes will come. kHead: the head is whole
// but the body is not; kComplete: the body is too (or the peer closed).
CheckResponse parse_check_response(std::string_view data, bool eof);

}  // namespace hearth::backend
