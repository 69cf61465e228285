#pragma once
// Incremental, strict parser of HTTP/1.1 request and response heads
// (RFC 9112). Pure code: it reads a byte span and never allocates after
// construction.
//
// Use: call parse_request()/parse_response() with everything received so far
// for the current message, starting at its first byte. kNeedMore means "call
// again with the same bytes plus more"; the parser remembers how far it has
// checked, so repeated calls cost time linear in the head size. kDone gives
// the head length; the bytes after it (body, pipelined requests) are the
// caller's. After kDone or kError the parser is ready for a new message.
#include <cstddef>
#include <memory>
#include <string_view>

#include "http/headers.h"
#include "http/message.h"
#include "http/parse_result.h"

namespace hearth::http {

class FieldAnalyzer;

struct HeadLimits {
  size_t max_headers = 101;        // tune.http.maxhdr: field lines per head -> 431
  size_t max_head_size = 16384;    // whole head incl. final CRLF (buffer space) -> 431
  size_t max_request_line = 8192;  // request-line without CRLF -> 414
};

// Looks for the blank line that ends a head: an LF at or after `from`
// followed by LF or by CR LF (bare-LF variants included: the parser rejects
// them, but the end of what to reject is still found).
// Returns: the offset just past that blank line, or npos if none is there yet.
size_t find_head_end(std::string_view data, size_t from);

class HeadParser {
 public:
  // Allocates the field array (limits.max_headers entries) once.
  explicit HeadParser(const HeadLimits& limits = HeadLimits());
  HeadParser(const HeadParser&) = delete;
  HeadParser& operator=(const HeadParser&) = delete;

  // Requires: `data` starts at the first byte of the request (empty lines
  // before the request-line are skipped, RFC 9112 §2.2) and, after kNeedMore,
  // begins with the bytes given before (the buffer itself may move).
  // Returns: kDone with consumed = head length, *out filled (views into
  // `data`, headers into this parser); kNeedMore; or kError with 400, 414,
  // 431, 501 or 505. *out is unspecified unless kDone. `consumed` includes
  // skipped empty lines: the request-line starts at out->method_str.data().
  ParseResult parse_request(std::string_view data, RequestHead* out);

  // As parse_request, for a response head. Every error is reported as 502:
  // the proxy answers its client with Bad Gateway. No empty lines are skipped.
  // The body framing also depends on the request: see response_framing().
  ParseResult parse_response(std::string_view data, ResponseHead* out);

  // Forgets a partially scanned head (e.g. when the caller drops the bytes).
  void reset();

  const HeadLimits& limits() const { return limits_; }

 private:
  enum class Mode : unsigned char { kIdle, kRequest, kResponse };

  // Resumable search for the end of the head, enforcing CRLF line endings and
  // the size limits as bytes arrive.
  struct Scan {
    Mode mode = Mode::kIdle;
    size_t pos = 0;         // next byte to examine
    size_t line_start = 0;  // first byte of the current line
    size_t head_start = 0;  // first byte of the start-line
    size_t start_line_end = 0;  // the CR ending the start-line, once seen
    size_t field_lines = 0;
    bool in_start_line = true;
  };

  // Returns: kDone (consumed = end of head; *head_start and *start_line_end
  // set), kNeedMore, or kError with the request-side status.
  ParseResult scan(std::string_view data, Mode mode, size_t* head_start, size_t* start_line_end);
  // One pass over a head that has arrived whole and clean: the start-line
  // (not above max_request_line), then field lines parsed into the field
  // array, then the empty line, all within the limits. Returns: true, with
  // the start-line's CR, the end of the head and the field count; false for
  // anything else (incomplete, malformed, over a limit, leading empty lines,
  // a scan under way), which the resumable scan then judges, so both paths
  // give the same verdicts.
  bool split_whole(std::string_view data, size_t* start_line_end, size_t* end, size_t* count);
  // Runs the analyzer over the first `count` fields of the field array.
  HeadError analyze_fields(size_t count, FieldAnalyzer* analyzer, Headers* out);
  // Splits the field block into lines, parsing and storing each one.
  // Requires: `block` is a sequence of "line CRLF" with no other CR or LF.
  HeadError parse_fields(std::string_view block, FieldAnalyzer* analyzer, Headers* out);

  HeadLimits limits_;
  std::unique_ptr<HeaderField[]> fields_;
  Scan scan_;
};

}  // namespace hearth::http
