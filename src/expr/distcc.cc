#include "expr/distcc.h"

#include "expr/sample.h"

namespace hearth::expr {
namespace {

constexpr size_t kHeader = 12;  // name, then 8 hexadecimal digits

constexpr uint32_t name_of(const char (&n)[5]) {
  return uint32_t(uint8_t(n[0])) << 24 | uint32_t(uint8_t(n[1])) << 16 |
         uint32_t(uint8_t(n[2])) << 8 | uint8_t(n[3]);
}

// The tokens whose parameter is not a body length.
bool has_body(uint32_t token) {
  for (uint32_t t :
       {name_of("ARGC"), name_of("DIST"), name_of("NFIL"), name_of("STAT"), name_of("DONE")})
    if (token == t) return false;
  return true;
}

}  // namespace

uint32_t distcc_token(std::string_view name) {
  uint32_t v = 0;
  for (size_t i = 0; i < 4 && i < name.size(); ++i) v = v << 8 | uint8_t(name[i]);
  return v;
}

HelloStatus distcc_find(std::string_view data, uint32_t token, uint32_t occ, DistccToken* out) {
  uint64_t ofs = 0;  // 64 bits: a body length never wraps the offset
  uint32_t seen = 0;
  for (;;) {
    if (ofs + kHeader > data.size()) return HelloStatus::kIncomplete;
    const std::string_view head = data.substr(size_t(ofs), kHeader);
    const uint32_t name = distcc_token(head.substr(0, 4));
    uint32_t param = 0;
    for (size_t i = 4; i < kHeader; ++i) {
      const int d = hex_digit(head[i]);
      if (d < 0) return HelloStatus::kInvalid;
      param = param << 4 | uint32_t(d);
    }
    ofs += kHeader;
    const uint64_t body = has_body(name) ? param : 0;
    if (name == token && (++seen == occ || occ == 0)) {
      out->param = param;
      const size_t avail = data.size() - size_t(ofs);
      out->body_complete = body <= avail;
      out->body = data.substr(size_t(ofs), out->body_complete ? size_t(body) : avail);
      return HelloStatus::kOk;
    }
    ofs += body;
  }
}

}  // namespace hearth::expr
