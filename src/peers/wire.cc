#include "peers/wire.h"

#include <charconv>

namespace hearth::peers {

void put_varint(std::string* out, uint64_t v) {
  if (v < 240) {
    out->push_back(char(v));
    return;
  }
  out->push_back(char(uint8_t(v | 0xF0)));
  v = (v - 240) >> 4;
  while (v >= 128) {
    out->push_back(char(uint8_t(v | 0x80)));
    v = (v - 128) >> 7;
  }
  out->push_back(char(v));
}

void put_u32(std::string* out, uint32_t v) {
  const char b[4] = {char(v >> 24), char(v >> 16), char(v >> 8), char(v)};
  out->append(b, 4);
}

void put_message(std::string* out, uint8_t cls, uint8_t type, std::string_view payload) {
  out->push_back(char(cls));
  out->push_back(char(type));
  if (type < 128) return;
  put_varint(out, payload.size());
  out->append(payload);
}

uint64_t Reader::varint() {
  if (!ok_ || p_ == end_) return (ok_ = false), 0;
  uint64_t v = uint8_t(*p_++);
  if (v < 240) return v;
  unsigned shift = 4;
  for (;;) {
    if (p_ == end_ || shift > 63) return (ok_ = false), 0;
    const uint64_t b = uint8_t(*p_++);
    v += b << shift;
    shift += 7;
    if (b < 128) return v;
  }
}

uint32_t Reader::u32() {
  if (!ok_ || left() < 4) return (ok_ = false), 0;
  const auto* b = reinterpret_cast<const uint8_t*>(p_);
  p_ += 4;
  return uint32_t(b[0]) << 24 | uint32_t(b[1]) << 16 | uint32_t(b[2]) << 8 | b[3];
}

std::string_view Reader::bytes(size_t n) {
  if (!ok_ || left() < n) return (ok_ = false), std::string_view();
  std::string_view s(p_, n);
  p_ += n;
  return s;
}

FrameStatus next_frame(std::string_view in, size_t max_payload, Frame* f) {
  if (in.size() < 2) return FrameStatus::kNeedMore;
  f->cls = uint8_t(in[0]);
  f->type = uint8_t(in[1]);
  if (f->type < 128) {
    f->payload = {};
    f->size = 2;
    return FrameStatus::kOk;
  }
  // The length: at most 10 bytes of varint.
  Reader r(in.substr(2, 10));
  const uint64_t len = r.varint();
  if (!r.ok()) return in.size() >= 12 ? FrameStatus::kBad : FrameStatus::kNeedMore;
  if (len > max_payload) return FrameStatus::kTooBig;
  const size_t head = 2 + (std::min<size_t>(in.size() - 2, 10) - r.left());
  if (in.size() - head < len) return FrameStatus::kNeedMore;
  f->payload = in.substr(head, len);
  f->size = head + len;
  return FrameStatus::kOk;
}

std::string make_hello(std::string_view remote, std::string_view local, long pid) {
  std::string s(kProtoName);
  s += " " + std::to_string(kMajor) + "." + std::to_string(kMinor) + "\n";
  s.append(remote).push_back('\n');
  s.append(local).append(" " + std::to_string(pid) + " 1\n");
  return s;
}

namespace {

// The next LF-ended line of `text` from *pos (without the LF).
bool take_line(std::string_view text, size_t* pos, std::string_view* line) {
  const size_t lf = text.find('\n', *pos);
  if (lf == std::string_view::npos) return false;
  *line = text.substr(*pos, lf - *pos);
  *pos = lf + 1;
  return true;
}

}  // namespace

int parse_hello(std::string_view text, Hello* h) {
  size_t pos = 0;
  std::string_view l1, l2, l3;
  if (!take_line(text, &pos, &l1) || !take_line(text, &pos, &l2) || !take_line(text, &pos, &l3))
    return kStatusProtocolError;
  const size_t sp = l1.find(' ');
  if (sp == std::string_view::npos || l1.substr(0, sp) != kProtoName) return kStatusProtocolError;
  const std::string_view ver = l1.substr(sp + 1);
  int major = 0, minor = 0;
  const size_t dot = ver.find('.');
  if (dot == std::string_view::npos) return kStatusBadVersion;
  auto r1 = std::from_chars(ver.data(), ver.data() + dot, major);
  auto r2 = std::from_chars(ver.data() + dot + 1, ver.data() + ver.size(), minor);
  if (r1.ec != std::errc() || r2.ec != std::errc() || major != kMajor || minor > kMinor)
    return kStatusBadVersion;
  if (l2.empty()) return kStatusProtocolError;
  const size_t sp3 = l3.find(' ');
  if (sp3 == 0 || l3.empty()) return kStatusProtocolError;
  h->remote = std::string(l2);
  h->sender = std::string(l3.substr(0, sp3));
  return kStatusOk;
}

}  // namespace hearth::peers
