#include "http/head_parser.h"

#include "http/field_analyzer.h"
#include "http/field_line.h"
#include "http/start_line.h"

namespace hearth::http {

HeadParser::HeadParser(const HeadLimits& limits)
    : limits_(limits), fields_(new HeaderField[limits.max_headers > 0 ? limits.max_headers : 1]) {}

void HeadParser::reset() { scan_ = Scan(); }

ParseResult HeadParser::scan(std::string_view data, Mode mode, size_t* head_start) {
  if (scan_.mode != mode || data.size() < scan_.pos) {
    scan_ = Scan();
    scan_.mode = mode;
  }
  Scan& s = scan_;
  const bool request = mode == Mode::kRequest;
  // Every check below depends only on the byte position, so feeding a head in
  // pieces yields the same verdict as feeding it whole.
  while (s.pos < data.size()) {
    if (s.pos >= limits_.max_head_size) return ParseResult::error(431, "head too large");
    const char c = data[s.pos];
    if (c == '\n') return ParseResult::error(400, "bare LF");
    if (c != '\r') {
      if (s.in_start_line && s.pos - s.line_start >= limits_.max_request_line) {
        return ParseResult::error(414, "start line too long");
      }
      ++s.pos;
      continue;
    }
    // Even a CRLF here would end past the limit. Checked before looking at
    // the next byte so a full buffer ending in CR gets the same verdict.
    if (s.pos + 2 > limits_.max_head_size) return ParseResult::error(431, "head too large");
    if (s.pos + 1 == data.size()) break;  // CR is the last byte: wait for LF
    if (data[s.pos + 1] != '\n') return ParseResult::error(400, "bare CR");
    const bool empty_line = s.pos == s.line_start;
    s.pos += 2;
    if (empty_line && s.in_start_line) {
      if (!request) return ParseResult::error(400, "empty status line");
      s.head_start = s.pos;  // RFC 9112 §2.2: ignore empty lines before a request
    } else if (empty_line) {
      *head_start = s.head_start;
      const size_t end = s.pos;
      reset();
      return ParseResult::done(end);
    } else if (s.in_start_line) {
      s.in_start_line = false;
    } else if (++s.field_lines > limits_.max_headers) {
      return ParseResult::error(431, "too many header fields");
    }
    s.line_start = s.pos;
  }
  // A full buffer without a complete head can never complete. More bytes
  // would hit the check at the top of the loop: same verdict either way.
  if (data.size() >= limits_.max_head_size) return ParseResult::error(431, "head too large");
  return ParseResult::need_more();
}

HeadError HeadParser::parse_fields(std::string_view block, FieldAnalyzer* analyzer, Headers* out) {
  size_t count = 0;
  while (!block.empty()) {
    const size_t lf = block.find('\n');
    const std::string_view line = block.substr(0, lf - 1);
    block.remove_prefix(lf + 1);
    HeaderField& field = fields_[count];
    HeadError err = parse_field_line(line, &field);
    if (!err.ok()) return err;
    ++count;
    err = analyzer->on_field(field);
    if (!err.ok()) return err;
  }
  *out = Headers(fields_.get(), count);
  return head_ok();
}

ParseResult HeadParser::parse_request(std::string_view data, RequestHead* out) {
  size_t start = 0;
  const ParseResult r = scan(data, Mode::kRequest, &start);
  if (r.status == ParseStatus::kError) reset();
  if (r.status != ParseStatus::kDone) return r;
  // The head is "start-line CRLF *(field-line CRLF) CRLF".
  std::string_view head = data.substr(start, r.consumed - start - 2);
  const size_t lf = head.find('\n');
  *out = RequestHead();
  HeadError err = parse_request_line(head.substr(0, lf - 1), out);
  if (!err.ok()) return ParseResult::error(err.status, err.reason);
  FieldAnalyzer analyzer(&out->connection);
  err = parse_fields(head.substr(lf + 1), &analyzer, &out->headers);
  if (err.ok()) err = analyzer.finish_request(out);
  if (!err.ok()) return ParseResult::error(err.status, err.reason);
  return r;
}

ParseResult HeadParser::parse_response(std::string_view data, ResponseHead* out) {
  size_t start = 0;
  const ParseResult r = scan(data, Mode::kResponse, &start);
  if (r.status == ParseStatus::kError) {
    reset();
    return ParseResult::error(502, r.reason);
  }
  if (r.status != ParseStatus::kDone) return r;
  std::string_view head = data.substr(start, r.consumed - start - 2);
  const size_t lf = head.find('\n');
  *out = ResponseHead();
  HeadError err = parse_status_line(head.substr(0, lf - 1), out);
  if (err.ok()) {
    FieldAnalyzer analyzer(&out->connection);
    err = parse_fields(head.substr(lf + 1), &analyzer, &out->headers);
    if (err.ok()) err = analyzer.finish_response(out);
  }
  if (!err.ok()) return ParseResult::error(502, err.reason);
  return r;
}

}  // namespace hearth::http
