#include "http/chunked_decoder.h"

#include <algorithm>
#include <cstring>

#include "http/chars.h"

namespace hearth::http {

// Field by field rather than by assigning a new decoder: this runs for every
// message. name_ needs no clearing, only its first name_len_ bytes are read.
// A member added to the class must be reset here too.
void ChunkedDecoder::reset() {
  state_ = State::kSize;
  chunk_remaining_ = 0;
  size_digits_ = 0;
  line_len_ = 0;
  trailer_bytes_ = 0;
  payload_bytes_ = 0;
  name_len_ = 0;
  error_ = "";
}

bool ChunkedDecoder::fail(const char* why) {
  state_ = State::kError;
  error_ = why;
  return false;
}

bool ChunkedDecoder::step_size(char c) {
  if (c != '\r' && ++line_len_ > limits_.max_chunk_line) {
    return fail("chunk-size line too long");
  }
  switch (state_) {
    case State::kSize:
      if (is_hex(c)) {
        if (++size_digits_ > kMaxSizeDigits) return fail("chunk size has too many digits");
        const auto digit = static_cast<uint64_t>(hex_value(c));
        if (chunk_remaining_ > (kMaxChunkSize - digit) / 16) return fail("chunk size too large");
        chunk_remaining_ = chunk_remaining_ * 16 + digit;
        return true;
      }
      if (size_digits_ == 0) return fail("missing chunk size");
      if (c == ';')
        state_ = State::kExt;
      else if (is_ows(c))
        state_ = State::kSizeBws;
      else if (c == '\r')
        state_ = State::kSizeLf;
      else
        return fail("invalid character in chunk size");
      return true;
    case State::kSizeBws:
      if (c == ';')
        state_ = State::kExt;
      else if (!is_ows(c))
        return fail("whitespace after chunk size without extension");
      return true;
    default:  // kExt: quoted strings and tokens, but never control characters
      if (c == '\r')
        state_ = State::kSizeLf;
      else if (!is_field_char(c))
        return fail("invalid character in chunk extension");
      return true;
  }
}

bool ChunkedDecoder::trailer_name_forbidden() const {
  const std::string_view name(name_, std::min(name_len_, sizeof(name_)));
  if (name_len_ > sizeof(name_)) return false;
  return name == "content-length" || name == "transfer-encoding" || name == "host";
}

bool ChunkedDecoder::step_trailer(char c) {
  if (++trailer_bytes_ > limits_.max_trailer_size) return fail("trailer section too large");
  if (trailer_sink_ && state_ != State::kEndLf && !(state_ == State::kTrailerStart && c == '\r'))
    trailer_sink_->push_back(c);
  switch (state_) {
    case State::kTrailerStart:
      if (c == '\r') {
        state_ = State::kEndLf;
      } else if (is_tchar(c)) {
        name_len_ = 0;
        name_[name_len_++] = to_lower(c);
        state_ = State::kTrailerName;
      } else {
        return fail("invalid trailer field");
      }
      return true;
    case State::kTrailerName:
      if (c == ':') {
        if (trailer_name_forbidden()) return fail("framing field in trailers");
        state_ = State::kTrailerValue;
      } else if (!is_tchar(c)) {
        return fail("invalid character in trailer name");
      } else if (name_len_++ < sizeof(name_)) {
        name_[name_len_ - 1] = to_lower(c);
      }
      return true;
    case State::kTrailerValue:
      if (c == '\r')
        state_ = State::kTrailerLf;
      else if (!is_field_char(c))
        return fail("invalid character in trailer value");
      return true;
    case State::kTrailerLf:
      if (c != '\n') return fail("bare CR in trailers");
      state_ = State::kTrailerStart;
      return true;
    default:  // kEndLf
      if (c != '\n') return fail("bare CR after trailers");
      state_ = State::kDone;
      return true;
  }
}

bool ChunkedDecoder::step(char c) {
  switch (state_) {
    case State::kSize:
    case State::kSizeBws:
    case State::kExt:
      return step_size(c);
    case State::kSizeLf:
      if (c != '\n') return fail("bare CR in chunk-size line");
      state_ = chunk_remaining_ == 0 ? State::kTrailerStart : State::kData;
      line_len_ = 0;
      return true;
    case State::kDataCr:
      if (c != '\r') return fail("chunk data not followed by CRLF");
      state_ = State::kDataLf;
      return true;
    case State::kDataLf:
      if (c != '\n') return fail("chunk data not followed by CRLF");
      state_ = State::kSize;
      size_digits_ = 0;
      chunk_remaining_ = 0;
      return true;
    default:
      return step_trailer(c);
  }
}

size_t ChunkedDecoder::run(const char* p, size_t n, bool stop_after_data, std::string_view* payload,
                           BodyStatus* st) {
  size_t i = 0;
  while (i < n && state_ != State::kDone && state_ != State::kError) {
    if (state_ == State::kData) {
      const size_t take = static_cast<size_t>(std::min<uint64_t>(chunk_remaining_, n - i));
      if (payload != nullptr) *payload = std::string_view(p + i, take);
      i += take;
      chunk_remaining_ -= take;
      payload_bytes_ += take;
      if (chunk_remaining_ == 0) state_ = State::kDataCr;
      if (stop_after_data) break;
      continue;
    }
    if (!step(p[i])) break;
    ++i;
  }
  *st = state_ == State::kDone    ? BodyStatus::kDone
        : state_ == State::kError ? BodyStatus::kError
                                  : BodyStatus::kMore;
  return i;
}

size_t ChunkedDecoder::feed(const char* p, size_t n, BodyStatus* st) {
  return run(p, n, false, nullptr, st);
}

size_t ChunkedDecoder::decode(const char* p, size_t n, BodyStatus* st, std::string_view* payload) {
  *payload = {};
  return run(p, n, true, payload, st);
}

}  // namespace hearth::http
