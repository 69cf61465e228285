#pragma once
// One interface for reading any message body: the caller feeds the bytes that
// follow a head and forwards exactly the bytes reported as consumed.
#include <cstddef>
#include <cstdint>

#include "http/chunked_decoder.h"
#include "http/message.h"

namespace hearth::http {

// A body of a known length: counts down.
class ContentLengthBody {
 public:
  explicit ContentLengthBody(uint64_t length = 0) : remaining_(length) {}
  void reset(uint64_t length) { remaining_ = length; }
  // Returns: min(n, remaining) bytes consumed; *st is kDone once none remain.
  size_t feed(size_t n, BodyStatus* st);
  bool done() const { return remaining_ == 0; }
  uint64_t remaining() const { return remaining_; }

 private:
  uint64_t remaining_;
};

class BodyReader {
 public:
  explicit BodyReader(const ChunkedLimits& limits = ChunkedLimits()) : chunked_(limits) {}

  // Starts reading a body framed as `framing`. kNone and a zero length are
  // done at once.
  void reset(BodyFraming framing);

  // Consumes up to `n` bytes of this body.
  // Returns: bytes that belong to the body. *st: kDone when the body ended
  // (the bytes after it belong to the next message), kError for malformed
  // chunked framing (see error()), otherwise kMore. Close-delimited bodies
  // and tunnels consume everything and only end through on_eof().
  size_t feed(const char* p, size_t n, BodyStatus* st);

  bool done() const;
  // Returns: bytes of a Content-Length body still to come (0 for the other
  // framings).
  uint64_t remaining() const {
    return framing_.kind == BodyFraming::Kind::kContentLength ? length_.remaining() : 0;
  }
  // Reports that the peer closed its sending side.
  // Returns: true when that is a clean end of the message (close-delimited,
  // tunnel, or already done); false when the body was cut short.
  bool on_eof();

  const BodyFraming& framing() const { return framing_; }
  // Returns: why chunked decoding failed, or "".
  const char* error() const { return chunked_.error(); }
  // Returns: the chunked decoder, for callers that want payload bytes.
  ChunkedDecoder& chunked() { return chunked_; }

 private:
  BodyFraming framing_;
  ContentLengthBody length_;
  ChunkedDecoder chunked_;
  bool eof_ = false;
};

}  // namespace hearth::http
