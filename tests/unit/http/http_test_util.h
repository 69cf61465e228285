#pragma once
// Shared helpers for the src/http unit tests.
#include <algorithm>
#include <string>
#include <string_view>
#include <type_traits>

#include "http/chunked_decoder.h"
#include "http/head_parser.h"

namespace hearth::http::testing {

// Feeds `data` to a fresh parser one more byte at a time, as a mux reading a
// slow socket would, copying the prefix into a new buffer on every call so a
// parser that kept pointers into an old buffer would be caught.
// Returns: the first result that is not kNeedMore (or the last one).
template <typename Head>
ParseResult parse_bytewise(HeadParser* parser, std::string_view data, Head* head,
                           std::string* storage) {
  ParseResult r = ParseResult::need_more();
  for (size_t n = 1; n <= data.size(); ++n) {
    *storage = std::string(data.substr(0, n));
    if constexpr (std::is_same_v<Head, RequestHead>) {
      r = parser->parse_request(*storage, head);
    } else {
      r = parser->parse_response(*storage, head);
    }
    if (r.status != ParseStatus::kNeedMore) break;
  }
  return r;
}

struct FeedOutcome {
  size_t consumed = 0;
  BodyStatus status = BodyStatus::kMore;
};

// Feeds `data` to `decoder` in slices of `step` bytes, stopping at the first
// slice that ends the body or fails. Returns: total consumed and final status.
inline FeedOutcome feed_in_steps(ChunkedDecoder* decoder, std::string_view data, size_t step) {
  FeedOutcome out;
  size_t off = 0;
  while (off < data.size()) {
    const size_t n = std::min(step, data.size() - off);
    const size_t used = decoder->feed(data.data() + off, n, &out.status);
    out.consumed += used;
    if (out.status != BodyStatus::kMore) break;
    off += n;
  }
  return out;
}

}  // namespace hearth::http::testing
