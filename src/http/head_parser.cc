#include "http/head_parser.h"

#include <cstring>
#include <new>

#if defined(__SSE2__)
#include <emmintrin.h>
#endif

#include "http/chars.h"
#include "http/field_analyzer.h"
#include "http/field_line.h"
#include "http/start_line.h"

namespace hearth::http {

HeadParser::HeadParser(const HeadLimits& limits)
    : limits_(limits), fields_(new HeaderField[limits.max_headers > 0 ? limits.max_headers : 1]) {}

void HeadParser::reset() { scan_ = Scan(); }

namespace {

// Returns: the position of the first CR or LF in d[pos, end), or `end`.
// Requires: pos <= end <= size; d[0, size) is readable (the vector loads may
// look at bytes past `end`, never past `size`).
size_t find_line_break(const char* d, size_t pos, size_t end, size_t size) {
#if defined(__SSE2__)
  const __m128i cr = _mm_set1_epi8('\r');
  const __m128i lf = _mm_set1_epi8('\n');
  auto breaks = [&](size_t at) {
    const __m128i v = _mm_loadu_si128(reinterpret_cast<const __m128i*>(d + at));
    return static_cast<unsigned>(
        _mm_movemask_epi8(_mm_or_si128(_mm_cmpeq_epi8(v, cr), _mm_cmpeq_epi8(v, lf))));
  };
  while (pos < end) {
    unsigned m;
    if (size - pos >= 16) {
      m = breaks(pos);
    } else if (size >= 16) {
      m = breaks(size - 16) >> (16 - (size - pos));  // the last 16 bytes, shifted to pos
    } else {
      break;
    }
    if (end - pos < 16) m &= (1u << (end - pos)) - 1;
    if (m != 0) return pos + static_cast<size_t>(__builtin_ctz(m));
    if (end - pos <= 16) return end;
    pos += 16;
  }
#else
  (void)size;
#endif
  while (pos < end && d[pos] != '\r' && d[pos] != '\n') ++pos;
  return pos;
}

}  // namespace

ParseResult HeadParser::scan(std::string_view data, Mode mode, size_t* head_start,
                             size_t* start_line_end) {
  if (scan_.mode != mode || data.size() < scan_.pos) {
    scan_ = Scan();
    scan_.mode = mode;
  }
  Scan& s = scan_;
  const bool request = mode == Mode::kRequest;
  // Every check below depends only on the byte position, so feeding a head in
  // pieces yields the same verdict as feeding it whole.
  while (s.pos < data.size()) {
    // Skip the bytes that are neither CR nor LF and sit before any position
    // where a limit applies: for those the checks below only step on.
    size_t plain_end = data.size() < limits_.max_head_size ? data.size() : limits_.max_head_size;
    if (s.in_start_line && limits_.max_request_line < plain_end - s.line_start) {
      plain_end = s.line_start + limits_.max_request_line;
    }
    if (s.pos < plain_end) {
      s.pos = find_line_break(data.data(), s.pos, plain_end, data.size());
      if (s.pos == data.size()) break;
    }
    if (s.pos >= limits_.max_head_size) return ParseResult::error(431, "head too large", s.pos);
    const char c = data[s.pos];
    if (c == '\n') return ParseResult::error(400, "bare LF", s.pos);
    if (c != '\r') {
      if (s.in_start_line && s.pos - s.line_start >= limits_.max_request_line) {
        return ParseResult::error(414, "start line too long", s.pos);
      }
      ++s.pos;
      continue;
    }
    // Even a CRLF here would end past the limit. Checked before looking at
    // the next byte so a full buffer ending in CR gets the same verdict.
    if (s.pos + 2 > limits_.max_head_size) return ParseResult::error(431, "head too large", s.pos);
    if (s.pos + 1 == data.size()) break;  // CR is the last byte: wait for LF
    if (data[s.pos + 1] != '\n') return ParseResult::error(400, "bare CR", s.pos);
    const bool empty_line = s.pos == s.line_start;
    s.pos += 2;
    if (empty_line && s.in_start_line) {
      if (!request) return ParseResult::error(400, "empty status line", s.pos - 2);
      s.head_start = s.pos;  // RFC 9112 §2.2: ignore empty lines before a request
    } else if (empty_line) {
      *head_start = s.head_start;
      *start_line_end = s.start_line_end;
      const size_t end = s.pos;
      reset();
      return ParseResult::done(end);
    } else if (s.in_start_line) {
      s.in_start_line = false;
      s.start_line_end = s.pos - 2;
    } else if (++s.field_lines > limits_.max_headers) {
      return ParseResult::error(431, "too many header fields", s.line_start);
    }
    s.line_start = s.pos;
  }
  // A full buffer without a complete head can never complete. More bytes
  // would hit the check at the top of the loop: same verdict either way.
  if (data.size() >= limits_.max_head_size)
    return ParseResult::error(431, "head too large", data.size());
  return ParseResult::need_more();
}

namespace {

// An error of the line parsers, with its offset in `data` (the head's start
// when no byte is named). `status`: the status to answer, else the error's.
ParseResult error_of(const HeadError& err, std::string_view data, int status = 0) {
  const size_t at = err.at && err.at >= data.data() && err.at <= data.data() + data.size()
                        ? size_t(err.at - data.data())
                        : 0;
  return ParseResult::error(status ? status : err.status, err.reason, at);
}

}  // namespace

bool HeadParser::split_whole(std::string_view data, size_t* start_line_end, size_t* end,
                             size_t* count) {
  const char* d = data.data();
  const size_t n = data.size();
  if (scan_.pos != 0 || n == 0 || d[0] == '\r' || d[0] == '\n') return false;
  const size_t line_limit = n < limits_.max_request_line ? n : limits_.max_request_line;
  const size_t cr = find_line_break(d, 0, line_limit, n);
  if (cr + 1 >= n || d[cr] != '\r' || d[cr + 1] != '\n') return false;
  size_t pos = cr + 2;
  size_t fields = 0;
  while (pos + 1 < n && d[pos] != '\r') {
    if (fields == limits_.max_headers) return false;
    size_t line = 0;
    if (!parse_field_line(data.substr(pos), &fields_[fields], &line).ok()) return false;
    ++fields;
    pos += line;
  }
  if (pos + 1 >= n || d[pos + 1] != '\n' || pos + 2 > limits_.max_head_size) return false;
  *start_line_end = cr;
  *end = pos + 2;
  *count = fields;
  return true;
}

HeadError HeadParser::analyze_fields(size_t count, FieldAnalyzer* analyzer, Headers* out) {
  for (size_t i = 0; i < count; ++i) {
    HeadError err = analyzer->on_field(fields_[i]);
    if (!err.ok() && !err.at) err.at = fields_[i].name.data();
    if (!err.ok()) return err;
  }
  *out = Headers(fields_.get(), count);
  return head_ok();
}

HeadError HeadParser::parse_fields(std::string_view block, FieldAnalyzer* analyzer, Headers* out) {
  size_t count = 0;
  while (!block.empty()) {
    HeaderField& field = fields_[count];
    size_t line_size = 0;
    HeadError err = parse_field_line(block, &field, &line_size);
    if (!err.ok() && !err.at) err.at = block.data();
    if (!err.ok()) return err;
    block.remove_prefix(line_size);
    ++count;
    err = analyzer->on_field(field);
    if (!err.ok() && !err.at) err.at = field.name.data();
    if (!err.ok()) return err;
  }
  *out = Headers(fields_.get(), count);
  return head_ok();
}

ParseResult HeadParser::parse_request(std::string_view data, RequestHead* out) {
  size_t line_end = 0, count = 0, end = 0;
  if (split_whole(data, &line_end, &end, &count)) {
    // The usual case, the head whole and clean, in one pass.
    new (out) RequestHead;
    HeadError err = parse_request_line(data.substr(0, line_end), out);
    if (!err.ok()) return error_of(err, data);
    FieldAnalyzer analyzer(&out->connection);
    err = analyze_fields(count, &analyzer, &out->headers);
    if (err.ok()) err = analyzer.finish_request(out);
    if (!err.ok()) return error_of(err, data);
    return ParseResult::done(end);
  }
  size_t start = 0;
  const ParseResult r = scan(data, Mode::kRequest, &start, &line_end);
  if (r.status != ParseStatus::kDone) {
    // As HAProxy, the method is judged as its bytes come: binary data (a
    // TLS ClientHello sent to a plain HTTP port) gets its 400 at once, not
    // once a line ends. A bad method byte ahead of any other error wins, as
    // in parse_request_line, so that a head gets one verdict however it
    // arrives.
    const size_t limit = r.status == ParseStatus::kError ? r.error_at : data.size();
    for (size_t i = scan_.head_start; i < limit && i < data.size(); ++i) {
      const char c = data[i];
      if (c == ' ' || c == '\r' || c == '\n') break;
      if (!is_tchar(c)) {
        reset();
        return ParseResult::error(400, "invalid method", i);
      }
    }
    if (r.status == ParseStatus::kError) reset();
    return r;
  }
  // The head is "start-line CRLF *(field-line CRLF) CRLF".
  new (out) RequestHead;  // fresh, built in place: no temporary to copy
  HeadError err = parse_request_line(data.substr(start, line_end - start), out);
  if (!err.ok()) return error_of(err, data);
  FieldAnalyzer analyzer(&out->connection);
  err = parse_fields(data.substr(line_end + 2, r.consumed - 2 - (line_end + 2)), &analyzer,
                     &out->headers);
  if (err.ok()) err = analyzer.finish_request(out);
  if (!err.ok()) return error_of(err, data);
  return r;
}

ParseResult HeadParser::parse_response(std::string_view data, ResponseHead* out) {
  size_t start = 0, line_end = 0, count = 0, end = 0;
  if (split_whole(data, &line_end, &end, &count)) {
    new (out) ResponseHead;
    HeadError err = parse_status_line(data.substr(0, line_end), out);
    if (err.ok()) {
      FieldAnalyzer analyzer(&out->connection);
      err = analyze_fields(count, &analyzer, &out->headers);
      if (err.ok()) err = analyzer.finish_response(out);
    }
    if (!err.ok()) return error_of(err, data, 502);
    return ParseResult::done(end);
  }
  const ParseResult r = scan(data, Mode::kResponse, &start, &line_end);
  if (r.status == ParseStatus::kError) {
    reset();
    return ParseResult::error(502, r.reason, r.error_at);
  }
  if (r.status != ParseStatus::kDone) return r;
  new (out) ResponseHead;
  HeadError err = parse_status_line(data.substr(start, line_end - start), out);
  if (err.ok()) {
    FieldAnalyzer analyzer(&out->connection);
    err = parse_fields(data.substr(line_end + 2, r.consumed - 2 - (line_end + 2)), &analyzer,
                       &out->headers);
    if (err.ok()) err = analyzer.finish_response(out);
  }
  if (!err.ok()) return error_of(err, data, 502);
  return r;
}

size_t find_head_end(std::string_view data, size_t from) {
  const char* d = data.data();
  const size_t n = data.size();
  for (size_t i = from; i < n; ++i) {
    const void* lf = std::memchr(d + i, '\n', n - i);
    if (!lf) break;
    i = size_t(static_cast<const char*>(lf) - d);
    if (i + 1 < n && d[i + 1] == '\n') return i + 2;
    if (i + 2 < n && d[i + 1] == '\r' && d[i + 2] == '\n') return i + 3;
  }
  return std::string_view::npos;
}

}  // namespace hearth::http
