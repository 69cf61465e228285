#include "mux/h1_head_reader.h"

#include <cstring>
#include <memory>
#include <string_view>

namespace hearth::mux {

http::HeadParser& thread_head_parser(size_t max_headers) {
  static thread_local std::unique_ptr<http::HeadParser> p;
  if (!p) {
    http::HeadLimits l;
    l.max_headers = max_headers;
    l.max_head_size = Buffer::configured_size();
    p = std::make_unique<http::HeadParser>(l);
  }
  return *p;
}

bool head_complete(const Buffer& b, size_t* pos) {
  const size_t n = b.len();
  if (http::find_head_end(std::string_view(b.head(), n), *pos) != std::string_view::npos)
    return true;
  *pos = n > 2 ? n - 2 : 0;
  return false;
}

bool is_bad_method(const http::ParseResult& r) {
  return r.status == http::ParseStatus::kError && std::strcmp(r.reason, "invalid method") == 0;
}

namespace {

// The parse methods differ only in the head type.
http::ParseResult parse(http::HeadParser& p, std::string_view data, http::RequestHead* out) {
  return p.parse_request(data, out);
}
http::ParseResult parse(http::HeadParser& p, std::string_view data, http::ResponseHead* out) {
  return p.parse_response(data, out);
}

template <typename Head>
BufferedHead parse_buffered(http::HeadParser& parser, const Buffer& in, size_t* scan_pos,
                            Head* out) {
  const std::string_view data(in.head(), in.len());
  BufferedHead h;
  if (*scan_pos == 0) {
    // A head looked at for the first time has usually arrived whole: let the
    // parser find its end, without head_complete() going over it first. kDone
    // implies head_complete() would have found the end; a need for more
    // counts only once head_complete() does, as below, where the parser,
    // being deterministic, would give it again. This runs while *scan_pos is
    // 0, i.e. until the buffer has held more than 2 bytes without a complete
    // head, so reading a head stays linear in its size.
    parser.reset();
    h.result = parse(parser, data, out);
    // Bytes that cannot begin a request (a TLS ClientHello) are final too,
    // as HAProxy answers them at once rather than when a head never ends;
    // other errors count once the head is complete, as below.
    if (h.result.status == http::ParseStatus::kDone || is_bad_method(h.result)) {
      h.complete = true;
      return h;
    }
    parser.reset();
    h.complete = head_complete(in, scan_pos);
    return h;
  }
  if (!head_complete(in, scan_pos)) return h;
  h.complete = true;
  parser.reset();
  h.result = parse(parser, data, out);
  if (h.result.status == http::ParseStatus::kNeedMore) parser.reset();
  return h;
}

}  // namespace

BufferedHead parse_buffered_request(http::HeadParser& parser, const Buffer& in, size_t* scan_pos,
                                    http::RequestHead* out) {
  return parse_buffered(parser, in, scan_pos, out);
}

BufferedHead parse_buffered_response(http::HeadParser& parser, const Buffer& in, size_t* scan_pos,
                                     http::ResponseHead* out) {
  return parse_buffered(parser, in, scan_pos, out);
}

}  // namespace hearth::mux
