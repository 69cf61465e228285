#pragma once
// tune.maxrewrite: the room HTTP rules have to grow a message head. HAProxy
// keeps a head and the payload that came with it in one buffer
// (tune.bufsize), reads at most bufsize - maxrewrite bytes into it, and
// fails a rewrite that no longer fits the whole buffer. Hearth's head has a
// block of its own; to fail the same rewrites, rules are given the limit
// HAProxy's buffer would set: the buffer less the payload sharing it.
#include <cstddef>
#include <cstdint>

#include "http/msg.h"

namespace hearth::stream {

// Sets tune.maxrewrite (at startup; HAProxy halves it to bufsize / 2 when
// it is larger, as done here).
void set_max_rewrite(size_t bytes);
size_t max_rewrite();

// Returns: the bytes `h` takes written as HTTP/1.1: start line, each field
// with ": " and CRLF, and the empty line.
size_t head_wire_size(const http::MsgHead& h);

// No limit: the head's own block is the only bound.
inline constexpr size_t kNoRewriteLimit = SIZE_MAX;

// Returns: the most bytes (head_wire_size) a head may grow to, given its
// size `wire0` when received and `payload` bytes of payload that arrived
// with it; kNoRewriteLimit when none of the payload shares the buffer.
size_t rewrite_limit(size_t wire0, uint64_t payload);

}  // namespace hearth::stream
