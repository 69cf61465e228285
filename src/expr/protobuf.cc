#include "expr/protobuf.h"

#include <cmath>
#include <cstring>

namespace hearth::expr::pbuf {
namespace {

enum WireType : uint8_t { kVarint = 0, k64Bit = 1, kLengthDelimited = 2, k32Bit = 5 };

// The bytes not read yet.
struct Reader {
  const char* p;
  size_t left;
  void skip(size_t n) { p += n, left -= n; }
  uint8_t byte(size_t i) const { return uint8_t(p[i]); }
};

// Reads a varint, consuming its bytes (those read before a failure too).
// As HAProxy: with no byte at all it reads 0; it fails when the bytes end
// inside it or it runs past 10 bytes. Returns: false on failure.
bool read_varint(Reader& r, uint64_t* v) {
  *v = 0;
  for (unsigned shift = 0; r.left > 0; shift += 7) {
    const uint8_t b = r.byte(0);
    *v |= uint64_t(b & 0x7f) << shift;
    r.skip(1);
    if (!(b & 0x80)) return true;
    if (r.left == 0 || shift + 7 > 63) return false;
  }
  return true;
}

// Returns: the length of the varint at the start of `r` (0 if `r` is
// empty), or -1 if it is not one.
long varint_length(Reader r) {
  const size_t before = r.left;
  uint64_t v = 0;
  if (!read_varint(r, &v)) return -1;
  return long(before - r.left);
}

uint64_t read_le(const Reader& r, int n) {
  uint64_t v = 0;
  for (int i = n - 1; i >= 0; --i) v = v << 8 | r.byte(size_t(i));
  return v;
}

// x86-64's conversions of a double to an unsigned 64-bit integer and of a
// float to an unsigned 32-bit one, which HAProxy's values are.
int64_t double_to_u64(double d) {
  constexpr double k2p63 = 9223372036854775808.0;
  if (std::isnan(d)) return INT64_MIN;
  if (d < k2p63) return d >= -k2p63 ? int64_t(d) : INT64_MIN;
  const double low = d - k2p63;
  return low < k2p63 ? int64_t(uint64_t(int64_t(low)) ^ (uint64_t(1) << 63)) : 0;
}
int64_t float_to_u32(float f) {
  constexpr float k2p63 = 9223372036854775808.0f;
  if (std::isnan(f) || f >= k2p63 || f < -k2p63) return 0;
  return int64_t(uint32_t(uint64_t(int64_t(f))));
}

// The value at the start of `r` of a field of wire type `wire` (`vlen`: its
// length when length-delimited). Returns: false if `type` does not apply.
bool store(WireType wire, FieldType type, Reader r, uint64_t vlen, Value* out) {
  const bool raw = type == FieldType::kRaw;
  out->is_int = !raw;
  switch (wire) {
    case kVarint: {
      if (raw) {
        const long n = varint_length(r);
        if (n < 0) return false;
        out->bytes = std::string_view(r.p, size_t(n));
        return true;
      }
      if (type > FieldType::kSint64) return false;
      uint64_t v = 0;
      if (!read_varint(r, &v)) return false;
      const bool zigzag = type == FieldType::kSint32 || type == FieldType::kSint64;
      out->num = zigzag ? int64_t((v >> 1) ^ (~(v & 1) + 1)) : int64_t(v);
      return true;
    }
    case k64Bit: {
      if (r.left < 8) return false;
      const uint64_t v = read_le(r, 8);
      if (raw) {
        out->bytes = std::string_view(r.p, 8);
      } else if (type == FieldType::kFixed64 || type == FieldType::kSfixed64) {
        out->num = int64_t(v);
      } else if (type == FieldType::kDouble) {
        double d;
        std::memcpy(&d, &v, 8);
        out->num = double_to_u64(d);
      } else {
        return false;
      }
      return true;
    }
    case k32Bit: {
      if (r.left < 4) return false;
      const uint32_t v = uint32_t(read_le(r, 4));
      if (raw) {
        out->bytes = std::string_view(r.p, 4);
      } else if (type == FieldType::kFixed32) {
        out->num = v;
      } else if (type == FieldType::kSfixed32) {
        out->num = int32_t(v);
      } else if (type == FieldType::kFloat) {
        float f;
        std::memcpy(&f, &v, 4);
        out->num = float_to_u32(f);
      } else {
        return false;
      }
      return true;
    }
    case kLengthDelimited:
      if (!raw || r.left < vlen) return false;
      out->bytes = std::string_view(r.p, size_t(vlen));
      return true;
  }
  return false;
}

// Skips the value of a field that is not on the path. Returns: false if it
// does not fit (a fixed-size value is then left unread).
bool skip_value(WireType wire, Reader& r, uint64_t vlen) {
  uint64_t v = 0;
  switch (wire) {
    case kVarint:
      return read_varint(r, &v);
    case k64Bit:
    case k32Bit: {
      const size_t n = wire == k64Bit ? 8 : 4;
      if (r.left < n) return false;
      r.skip(n);
      return true;
    }
    case kLengthDelimited:
      if (r.left < vlen) return false;
      r.skip(size_t(vlen));
      return true;
  }
  return false;
}

bool find_in(Reader& r, const uint32_t* path, size_t n, FieldType type, Value* out) {
  size_t depth = 0;
  // Bytes left of the last length-delimited field entered or skipped (it
  // goes below zero, as HAProxy's, once fields past it are read).
  uint64_t elen = 0;
  while (depth < n) {
    if (r.left == 0) return false;
    size_t before = r.left;
    uint64_t key = 0;
    if (!read_varint(r, &key)) return false;
    const WireType wire = WireType(key & 7);
    const bool found = uint32_t(key >> 3) == path[depth];
    if (wire == kLengthDelimited) {
      if (!read_varint(r, &elen) || elen > r.left) return false;
      before = r.left;  // the field's size counts from its value on
    } else if (wire != kVarint && wire != k64Bit && wire != k32Bit) {
      return false;
    }
    if (!found && !skip_value(wire, r, elen)) return false;
    if (found && depth == n - 1) return store(wire, type, r, elen, out);
    if (int64_t(elen) > 0) elen -= before - r.left;
    if (found)
      ++depth;
    else if (int64_t(elen) <= 0)
      depth = 0;
  }
  return false;
}

struct TypeName {
  const char* name;
  FieldType type;
};
constexpr TypeName kTypes[] = {
    {"int32", FieldType::kInt32},       {"uint32", FieldType::kUint32},
    {"sint32", FieldType::kSint32},     {"int64", FieldType::kInt64},
    {"uint64", FieldType::kUint64},     {"sint64", FieldType::kSint64},
    {"bool", FieldType::kBool},         {"enum", FieldType::kEnum},
    {"fixed32", FieldType::kFixed32},   {"sfixed32", FieldType::kSfixed32},
    {"float", FieldType::kFloat},       {"fixed64", FieldType::kFixed64},
    {"sfixed64", FieldType::kSfixed64}, {"double", FieldType::kDouble},
};

}  // namespace

bool parse_field_type(std::string_view name, FieldType* out) {
  for (const TypeName& t : kTypes) {
    if (name == t.name) {
      *out = t.type;
      return true;
    }
  }
  return false;
}

size_t parse_field_path(std::string_view text, uint32_t* out, size_t cap) {
  if (text.empty() || text.back() == '.') return 0;
  size_t n = 0;
  uint32_t v = 0;
  for (size_t i = 0; i <= text.size(); ++i) {
    if (i == text.size() || text[i] == '.') {
      if (n == cap) return 0;
      out[n++] = v;
      v = 0;
    } else if (text[i] >= '0' && text[i] <= '9') {
      v = v * 10 + uint32_t(text[i] - '0');  // modulo 2^32, as HAProxy
    } else {
      return 0;
    }
  }
  return n;
}

bool find_field(std::string_view* msg, const uint32_t* path, size_t n, FieldType type, Value* out) {
  if (n == 0) return false;
  Reader r{msg->data(), msg->size()};
  const bool ok = find_in(r, path, n, type, out);
  *msg = std::string_view(r.p, r.left);
  return ok;
}

bool find_grpc_field(std::string_view in, const uint32_t* path, size_t n, FieldType type,
                     Value* out) {
  constexpr size_t kHeader = 5;  // compressed flag, big-endian length
  const char* p = in.data();
  size_t left = in.size();
  while (left > kHeader) {
    const uint32_t len = uint32_t(uint8_t(p[1])) << 24 | uint32_t(uint8_t(p[2])) << 16 |
                         uint32_t(uint8_t(p[3])) << 8 | uint8_t(p[4]);
    p += kHeader, left -= kHeader;
    if (left < len) return false;
    std::string_view msg(p, len);
    if (find_field(&msg, path, n, type, out)) return true;
    // As HAProxy: the next message is read where the walk stopped, which
    // is the end of this one unless it was malformed.
    p = msg.data();
    left -= len;
  }
  return false;
}

}  // namespace hearth::expr::pbuf
