#pragma once
// Resumable validator/decoder of the chunked transfer coding (RFC 9112 §7.1).
// Fed arbitrary slices of the byte stream that follows a head, it tells the
// caller how many of those bytes belong to the message (to forward them
// unchanged) and where the message ends. It can also hand out payload bytes.
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

namespace hearth::http {

enum class BodyStatus : unsigned char {
  kMore,   // every byte given was consumed; the body continues
  kDone,   // the message ended; the bytes after `consumed` are not this body's
  kError,  // malformed framing: answer 400 (or 502 for a response) and close
};

struct ChunkedLimits {
  size_t max_chunk_line = 4096;     // chunk-size line incl. extensions, without CRLF
  size_t max_trailer_size = 16384;  // whole trailer section incl. CRLFs
};

class ChunkedDecoder {
 public:
  static constexpr uint64_t kMaxChunkSize = uint64_t{1} << 62;
  static constexpr int kMaxSizeDigits = 16;

  explicit ChunkedDecoder(const ChunkedLimits& limits = ChunkedLimits()) : limits_(limits) {}

  // Prepares for a new message.
  void reset();

  // Consumes up to `n` bytes of chunked framing and data.
  // Returns: how many bytes belong to the message (forward exactly those);
  // *st is kDone once the final CRLF after the trailers is consumed (later
  // calls consume nothing), kError on malformed framing (the return value
  // then counts the valid bytes before the offending one), else kMore.
  // Refused: a size that is not hex, has more than 16 digits or exceeds
  // 2^62; whitespace after a size not followed by ';'; control characters in
  // an extension; a line ending other than CRLF; chunk data not followed by
  // CRLF; a malformed trailer field, or one named Content-Length,
  // Transfer-Encoding or Host (framing fields may not be trailers,
  // RFC 9110 §6.5.1); lines longer than the limits.
  size_t feed(const char* p, size_t n, BodyStatus* st);

  // As feed(), but stops right after the first run of chunk data so the
  // caller can take the payload: *payload is that run (the last bytes of the
  // consumed span), or empty if none was reached. Unlike feed(), kMore may
  // leave bytes unconsumed: call again with the rest.
  size_t decode(const char* p, size_t n, BodyStatus* st, std::string_view* payload);

  // Trailer lines ("name: value" CRLF ...), validated, are appended to *sink
  // as they are consumed (nullptr: not kept). Survives reset().
  void set_trailer_sink(std::string* sink) { trailer_sink_ = sink; }

  bool done() const { return state_ == State::kDone; }
  bool failed() const { return state_ == State::kError; }
  // Returns: why decoding failed, or "" when it has not.
  const char* error() const { return error_; }
  // Returns: payload bytes seen so far (excluding framing).
  uint64_t payload_bytes() const { return payload_bytes_; }

 private:
  enum class State : unsigned char {
    kSize,          // hex digits of chunk-size
    kSizeBws,       // whitespace after the size: only ';' may follow
    kExt,           // chunk extensions until CR
    kSizeLf,        // LF ending the chunk-size line
    kData,          // chunk data
    kDataCr,        // CR after chunk data
    kDataLf,        // LF after chunk data
    kTrailerStart,  // start of a trailer line or of the final CRLF
    kTrailerName,
    kTrailerValue,
    kTrailerLf,
    kEndLf,  // LF of the final CRLF
    kDone,
    kError,
  };

  size_t run(const char* p, size_t n, bool stop_after_data, std::string_view* payload,
             BodyStatus* st);
  // Advances the state machine over one framing byte.
  // Returns: false (state kError, error_ set) if the byte is invalid here.
  bool step(char c);
  bool step_size(char c);
  bool step_trailer(char c);
  bool fail(const char* why);
  bool trailer_name_forbidden() const;

  ChunkedLimits limits_;
  State state_ = State::kSize;
  uint64_t chunk_remaining_ = 0;  // kSize: value so far; kData: bytes left
  int size_digits_ = 0;
  size_t line_len_ = 0;       // bytes of the current chunk-size line
  size_t trailer_bytes_ = 0;  // bytes of the trailer section so far
  uint64_t payload_bytes_ = 0;
  // The start of the current trailer name, lower-cased, to spot framing
  // fields even when the name arrives in pieces.
  char name_[18] = {};
  size_t name_len_ = 0;
  const char* error_ = "";
  std::string* trailer_sink_ = nullptr;
};

}  // namespace hearth::http
