#include "stream/rewrite_budget.h"

#include "core/buffer.h"

namespace hearth::stream {
namespace {

size_t g_max_rewrite = 1024;  // HAProxy 2.6's default

}  // namespace

void set_max_rewrite(size_t bytes) { g_max_rewrite = bytes; }

size_t max_rewrite() {
  const size_t half = Buffer::configured_size() / 2;
  return g_max_rewrite > half ? half : g_max_rewrite;
}

size_t head_wire_size(const http::MsgHead& h) {
  // "METHOD TARGET HTTP/1.1" or "HTTP/1.1 STATUS REASON", then CRLF.
  size_t n =
      h.is_request() ? h.method_str.size() + 1 + h.target.size() + 11 : 13 + h.reason.size() + 2;
  for (const http::HeaderField& f : h.fields()) n += f.name.size() + 2 + f.value.size() + 2;
  return n + 2;
}

size_t rewrite_limit(size_t wire0, uint64_t payload) {
  const size_t size = Buffer::configured_size();
  // What the first reads put in the buffer: the head and payload, up to the
  // reserve.
  const uint64_t read = wire0 + payload;
  const uint64_t cap = size - max_rewrite();
  const uint64_t in = read < cap ? read : cap;
  if (in <= wire0) return kNoRewriteLimit;
  return size - size_t(in - wire0);
}

}  // namespace hearth::stream
