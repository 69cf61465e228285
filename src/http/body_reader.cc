#include "http/body_reader.h"

#include <algorithm>

namespace hearth::http {

size_t ContentLengthBody::feed(size_t n, BodyStatus* st) {
  const auto take = static_cast<size_t>(std::min<uint64_t>(remaining_, n));
  remaining_ -= take;
  *st = remaining_ == 0 ? BodyStatus::kDone : BodyStatus::kMore;
  return take;
}

void BodyReader::reset(BodyFraming framing) {
  framing_ = framing;
  eof_ = false;
  length_.reset(framing.kind == BodyFraming::Kind::kContentLength ? framing.length : 0);
  chunked_.reset();
}

size_t BodyReader::feed(const char* p, size_t n, BodyStatus* st) {
  switch (framing_.kind) {
    case BodyFraming::Kind::kNone:
      *st = BodyStatus::kDone;
      return 0;
    case BodyFraming::Kind::kContentLength:
      return length_.feed(n, st);
    case BodyFraming::Kind::kChunked:
      return chunked_.feed(p, n, st);
    case BodyFraming::Kind::kCloseDelimited:
    case BodyFraming::Kind::kTunnel:
      *st = eof_ ? BodyStatus::kDone : BodyStatus::kMore;
      return eof_ ? 0 : n;
  }
  *st = BodyStatus::kError;
  return 0;
}

bool BodyReader::done() const {
  switch (framing_.kind) {
    case BodyFraming::Kind::kNone:
      return true;
    case BodyFraming::Kind::kContentLength:
      return length_.done();
    case BodyFraming::Kind::kChunked:
      return chunked_.done();
    default:
      return eof_;
  }
}

bool BodyReader::on_eof() {
  if (framing_.kind == BodyFraming::Kind::kCloseDelimited ||
      framing_.kind == BodyFraming::Kind::kTunnel) {
    eof_ = true;
  }
  return done();
}

}  // namespace hearth::http
