#include "expr/ssl_hello.h"

namespace hearth::expr {
namespace {

constexpr uint8_t kHandshake = 0x16;
constexpr uint8_t kClientHello = 1;
constexpr size_t kRecordHead = 5;

// A bounded reader over one span; every getter fails instead of reading past
// the end.
class Reader {
 public:
  explicit Reader(std::string_view s) : s_(s) {}
  bool skip(size_t n) {
    if (n > s_.size() - pos_) return false;
    pos_ += n;
    return true;
  }
  bool u8(uint32_t* v) {
    if (pos_ >= s_.size()) return false;
    *v = uint8_t(s_[pos_++]);
    return true;
  }
  bool u16(uint32_t* v) {
    uint32_t a, b;
    if (!u8(&a) || !u8(&b)) return false;
    *v = a << 8 | b;
    return true;
  }
  bool u24(uint32_t* v) {
    uint32_t a, b;
    if (!u8(&a) || !u16(&b)) return false;
    *v = a << 16 | b;
    return true;
  }
  // A length-prefixed block as a sub-reader.
  bool block(size_t n, Reader* out) {
    if (n > s_.size() - pos_) return false;
    *out = Reader(s_.substr(pos_, n));
    pos_ += n;
    return true;
  }
  std::string_view rest() const { return s_.substr(pos_); }

 private:
  std::string_view s_;
  size_t pos_ = 0;
};

uint8_t byte(std::string_view d, size_t i) { return uint8_t(d[i]); }

// The first record's body once all of it arrived (SSLv3 and later record
// headers; the SSLv2 compatible hello is not read).
HelloStatus first_record(std::string_view data, std::string_view* body) {
  if (data.empty()) return HelloStatus::kIncomplete;
  if (byte(data, 0) != kHandshake) return HelloStatus::kInvalid;
  if (data.size() < kRecordHead) {
    if (data.size() >= 2 && byte(data, 1) != 3) return HelloStatus::kInvalid;
    return HelloStatus::kIncomplete;
  }
  if (byte(data, 1) != 3) return HelloStatus::kInvalid;
  const size_t len = size_t(byte(data, 3)) << 8 | byte(data, 4);
  if (len < 4) return HelloStatus::kInvalid;  // not even a handshake header
  if (data.size() - kRecordHead < len) return HelloStatus::kIncomplete;
  *body = data.substr(kRecordHead, len);
  return HelloStatus::kOk;
}

}  // namespace

HelloStatus ssl_hello_type(std::string_view data, int* type) {
  std::string_view body;
  const HelloStatus st = first_record(data, &body);
  if (st != HelloStatus::kOk) return st;
  *type = byte(body, 0);
  return HelloStatus::kOk;
}

HelloStatus ssl_record_version(std::string_view data, uint32_t* version) {
  std::string_view body;
  const HelloStatus st = first_record(data, &body);
  if (st != HelloStatus::kOk) return st;
  if (byte(body, 0) != kClientHello) return HelloStatus::kInvalid;
  *version = uint32_t(byte(data, 1)) << 16 | byte(data, 2);
  return HelloStatus::kOk;
}

HelloStatus ssl_hello_extension(std::string_view data, uint16_t type, bool* found,
                                std::string_view* body) {
  *found = false;
  std::string_view rec;
  const HelloStatus st = first_record(data, &rec);
  if (st != HelloStatus::kOk) return st;
  Reader r(rec);
  uint32_t msg_type, len;
  Reader hello(std::string_view{});
  if (!r.u8(&msg_type) || msg_type != kClientHello || !r.u24(&len)) return HelloStatus::kInvalid;
  // A hello split over several records is not read (as HAProxy: first
  // record only).
  if (!r.block(len, &hello)) return HelloStatus::kInvalid;
  uint32_t n;
  if (!hello.skip(2 + 32)) return HelloStatus::kInvalid;               // client_version, random
  if (!hello.u8(&n) || !hello.skip(n)) return HelloStatus::kInvalid;   // session id
  if (!hello.u16(&n) || !hello.skip(n)) return HelloStatus::kInvalid;  // cipher suites
  if (!hello.u8(&n) || !hello.skip(n)) return HelloStatus::kInvalid;   // compression
  // No extensions at all (an SSLv3-style hello): complete, none found.
  if (hello.rest().empty()) return HelloStatus::kOk;
  Reader exts(std::string_view{});
  if (!hello.u16(&n) || !hello.block(n, &exts)) return HelloStatus::kInvalid;
  uint32_t ext_type, ext_len;
  while (exts.u16(&ext_type) && exts.u16(&ext_len)) {
    Reader ext(std::string_view{});
    if (!exts.block(ext_len, &ext)) return HelloStatus::kInvalid;
    if (ext_type != type) continue;
    *found = true;
    *body = ext.rest();
    return HelloStatus::kOk;
  }
  return HelloStatus::kOk;
}

HelloStatus ssl_hello_sni(std::string_view data, std::string_view* name) {
  bool found;
  std::string_view body;
  const HelloStatus st = ssl_hello_extension(data, 0, &found, &body);  // server_name
  if (st != HelloStatus::kOk) return st;
  if (!found) return HelloStatus::kInvalid;
  Reader ext(body);
  uint32_t n;
  Reader list(std::string_view{});
  if (!ext.u16(&n) || !ext.block(n, &list)) return HelloStatus::kInvalid;
  uint32_t name_type, name_len;
  while (list.u8(&name_type) && list.u16(&name_len)) {
    Reader host(std::string_view{});
    if (!list.block(name_len, &host)) return HelloStatus::kInvalid;
    if (name_type != 0 || name_len == 0) continue;  // host_name only
    *name = host.rest();
    return HelloStatus::kOk;
  }
  return HelloStatus::kInvalid;
}

HelloStatus ssl_hello_alpn(std::string_view data, std::string_view* protocol) {
  bool found;
  std::string_view body;
  const HelloStatus st = ssl_hello_extension(data, 16, &found, &body);  // ALPN
  if (st != HelloStatus::kOk) return st;
  if (!found) return HelloStatus::kInvalid;
  Reader ext(body);
  uint32_t n, plen;
  Reader list(std::string_view{});
  if (!ext.u16(&n) || !ext.block(n, &list) || !list.u8(&plen) || plen == 0)
    return HelloStatus::kInvalid;
  Reader proto(std::string_view{});
  if (!list.block(plen, &proto)) return HelloStatus::kInvalid;
  *protocol = proto.rest();
  return HelloStatus::kOk;
}

}  // namespace hearth::expr
