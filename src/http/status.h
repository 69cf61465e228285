#pragma once
// Status codes a proxy emits, and the small error responses it writes itself.
#include <cstddef>
#include <string_view>

namespace hearth::http {

// Returns: the standard reason phrase for `status` (RFC 9110 §15), or
// "Unknown" for a code this table does not know.
std::string_view reason_phrase(int status);
// The reason HAProxy 2.6 gives a status that a rule sets without one
// (set-status, return, deny with a payload): its own table, which differs
// from reason_phrase() in places ("302 Moved Temporarily"), then the status
// class ("Success", "Client Error", ..., "Other" beyond 599).
std::string_view rule_reason(int status);

// Writes a complete HTTP/1.1 response that closes the connection:
//   "HTTP/1.1 <status> <reason>\r\ncontent-length: N\r\n"
//   "content-type: text/plain\r\nconnection: close\r\n\r\n<body>"
// An empty `body` is replaced by "<reason>\n".
// Requires: 100 <= status <= 999.
// Returns: the number of bytes written to `out`, or 0 (nothing written) when
// the response does not fit in `capacity` bytes.
size_t write_error_response(int status, std::string_view body, char* out, size_t capacity);

}  // namespace hearth::http
