#pragma once
// Outcome of one HeadParser call.
#include <cstddef>

namespace hearth::http {

enum class ParseStatus : unsigned char { kNeedMore, kDone, kError };

struct ParseResult {
  ParseStatus status = ParseStatus::kNeedMore;
  size_t consumed = 0;      // kDone: bytes of the head, including its final CRLF
  int http_status = 0;      // kError: status to answer (502 for response errors)
  const char* reason = "";  // kError: short static description, for logs

  static ParseResult need_more() { return {ParseStatus::kNeedMore, 0, 0, ""}; }
  static ParseResult done(size_t n) { return {ParseStatus::kDone, n, 0, ""}; }
  static ParseResult error(int status, const char* why) {
    return {ParseStatus::kError, 0, status, why};
  }
};

// Internal error carrier of the parsing steps; status 0 means success.
struct HeadError {
  int status = 0;
  const char* reason = "";
  bool ok() const { return status == 0; }
};

inline HeadError head_ok() { return {}; }
inline HeadError head_error(int status, const char* reason) { return {status, reason}; }

}  // namespace hearth::http
