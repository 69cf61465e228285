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
  // kError: the offset in the data of the byte found wrong (or of the start
  // of the line it is in, when no single byte is): "show errors".
  size_t error_at = 0;

  static ParseResult need_more() { return {ParseStatus::kNeedMore, 0, 0, "", 0}; }
  static ParseResult done(size_t n) { return {ParseStatus::kDone, n, 0, "", 0}; }
  static ParseResult error(int status, const char* why, size_t at = 0) {
    return {ParseStatus::kError, 0, status, why, at};
  }
};

// Internal error carrier of the parsing steps; status 0 means success.
struct HeadError {
  int status = 0;
  const char* reason = "";
  const char* at = nullptr;  // the byte found wrong, in the parsed data; null: unknown
  bool ok() const { return status == 0; }
};

inline HeadError head_ok() { return {}; }
inline HeadError head_error(int status, const char* reason, const char* at = nullptr) {
  return {status, reason, at};
}

}  // namespace hearth::http
