#include "stream/head_reader.h"

#include <cstring>
#include <string_view>

namespace hearth::stream {

bool head_complete(const Buffer& b, size_t* pos) {
  const char* d = b.head();
  size_t n = b.len();
  for (size_t i = *pos; i < n; ++i) {
    const void* lf = std::memchr(d + i, '\n', n - i);
    if (!lf) break;
    i = size_t(static_cast<const char*>(lf) - d);
    if ((i + 1 < n && d[i + 1] == '\n') || (i + 2 < n && d[i + 1] == '\r' && d[i + 2] == '\n'))
      return true;
  }
  *pos = n > 2 ? n - 2 : 0;
  return false;
}

BufferedHead parse_buffered_request(http::HeadParser& parser, const Buffer& in, size_t* scan_pos,
                                    http::RequestHead* out) {
  BufferedHead h;
  if (!head_complete(in, scan_pos)) return h;
  h.complete = true;
  parser.reset();
  h.result = parser.parse_request(std::string_view(in.head(), in.len()), out);
  if (h.result.status == http::ParseStatus::kNeedMore) parser.reset();
  return h;
}

BufferedHead parse_buffered_response(http::HeadParser& parser, const Buffer& in,
                                     size_t* scan_pos, http::ResponseHead* out) {
  BufferedHead h;
  if (!head_complete(in, scan_pos)) return h;
  h.complete = true;
  parser.reset();
  h.result = parser.parse_response(std::string_view(in.head(), in.len()), out);
  if (h.result.status == http::ParseStatus::kNeedMore) parser.reset();
  return h;
}

}  // namespace hearth::stream
