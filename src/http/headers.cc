#include "http/headers.h"

#include <bit>
#include <cstdint>
#include <cstring>

#include "http/chars.h"

namespace hearth::http {

namespace {

uint64_t load8(const char* p) {
  uint64_t v;
  std::memcpy(&v, p, 8);
  return v;
}

uint64_t load4(const char* p) {
  uint32_t v;
  std::memcpy(&v, p, 4);
  return v;
}

// Returns: x with every byte 'A'..'Z' turned into its lower-case letter and
// every other byte unchanged: to_lower() on eight bytes at once. Each byte's
// sums stay below 0x100, so no carry crosses into the next byte.
uint64_t lower8(uint64_t x) {
  constexpr uint64_t kHigh = 0x8080808080808080ull;
  const uint64_t low7 = x & ~kHigh;
  const uint64_t at_least_a = low7 + 0x3f3f3f3f3f3f3f3full;   // high bit: low7 >= 'A'
  const uint64_t above_z = low7 + 0x2525252525252525ull;      // high bit: low7 > 'Z'
  const uint64_t upper = at_least_a & ~above_z & ~x & kHigh;  // ... and the byte is ASCII
  return x | (upper >> 2);                                    // 0x80 >> 2 == 'a' - 'A'
}

}  // namespace

bool detail::iequals_n(const char* a, const char* b, size_t n) {
  if (n >= 8) {
    // Whole words, then the last eight bytes (overlapping the previous word).
    for (size_t i = 0; i + 8 < n; i += 8) {
      if (lower8(load8(a + i)) != lower8(load8(b + i))) return false;
    }
    return lower8(load8(a + n - 8)) == lower8(load8(b + n - 8));
  }
  if (n >= 4) {
    const uint64_t x = load4(a) | load4(a + n - 4) << 32;
    const uint64_t y = load4(b) | load4(b + n - 4) << 32;
    return lower8(x) == lower8(y);
  }
  for (size_t i = 0; i < n; ++i) {
    if (to_lower(a[i]) != to_lower(b[i])) return false;
  }
  return true;
}

namespace {

// A lower-case literal of 4 to 24 bytes as the words iequals_n compares, with
// per word the case bits of its letters (0x20 in each letter byte). A name of
// the same size equals it ignoring case iff (word | fold) equals the literal's
// word for every word: only a letter's two cases OR to the lower-case letter,
// and every other byte must match exactly.
struct Folded {
  uint64_t word[3] = {};
  uint64_t fold[3] = {};
  size_t size = 0;

  explicit constexpr Folded(std::string_view s) : size(s.size()) {
    if (size < 8) {
      add(s, 0, 0, 0, 4);
      add(s, 0, size - 4, 32, 4);
      return;
    }
    size_t i = 0, off = 0;
    for (; off + 8 < size; off += 8) add(s, i++, off, 0, 8);
    add(s, i, size - 8, 0, 8);
  }
  constexpr void add(std::string_view s, size_t i, size_t off, int shift, size_t n) {
    for (size_t k = 0; k < n; ++k) {
      const auto c = static_cast<unsigned char>(s[off + k]);
      word[i] |= uint64_t(c) << (shift + 8 * int(k));
      if (c >= 'a' && c <= 'z') fold[i] |= uint64_t(0x20) << (shift + 8 * int(k));
    }
  }
};

// Requires: name.size() == f.size.
bool equals_folded(std::string_view name, const Folded& f) {
  const char* p = name.data();
  if (f.size < 8) {
    const uint64_t x = load4(p) | load4(p + f.size - 4) << 32;
    return (x | f.fold[0]) == f.word[0];
  }
  size_t i = 0, off = 0;
  for (; off + 8 < f.size; off += 8, ++i) {
    if ((load8(p + off) | f.fold[i]) != f.word[i]) return false;
  }
  return (load8(p + f.size - 8) | f.fold[i]) == f.word[i];
}

constexpr Folded kHost("host");
constexpr Folded kExpect("expect");
constexpr Folded kUpgrade("upgrade");
constexpr Folded kConnection("connection");
constexpr Folded kKeepAlive("keep-alive");
constexpr Folded kContentLength("content-length");
constexpr Folded kProxyConnection("proxy-connection");
constexpr Folded kTransferEncoding("transfer-encoding");

}  // namespace

static_assert(std::endian::native == std::endian::little, "Folded words are little-endian");

FieldName classify_field_name(std::string_view name) {
  switch (name.size()) {
    case 2:
      if (iequals(name, "te")) return FieldName::kTe;
      break;
    case 4:
      if (equals_folded(name, kHost)) return FieldName::kHost;
      break;
    case 6:
      if (equals_folded(name, kExpect)) return FieldName::kExpect;
      break;
    case 7:
      if (equals_folded(name, kUpgrade)) return FieldName::kUpgrade;
      break;
    case 10:
      if (equals_folded(name, kConnection)) return FieldName::kConnection;
      if (equals_folded(name, kKeepAlive)) return FieldName::kKeepAlive;
      break;
    case 14:
      if (equals_folded(name, kContentLength)) return FieldName::kContentLength;
      break;
    case 16:
      if (equals_folded(name, kProxyConnection)) return FieldName::kProxyConnection;
      break;
    case 17:
      if (equals_folded(name, kTransferEncoding)) return FieldName::kTransferEncoding;
      break;
    default:
      break;
  }
  return FieldName::kOther;
}

const HeaderField* Headers::find(std::string_view name) const {
  for (const HeaderField& f : *this) {
    if (iequals(f.name, name)) return &f;
  }
  return nullptr;
}

size_t Headers::count(std::string_view name) const {
  size_t n = 0;
  for (const HeaderField& f : *this) {
    if (iequals(f.name, name)) ++n;
  }
  return n;
}

std::string_view trim_ows(std::string_view s) {
  while (!s.empty() && is_ows(s.front())) s.remove_prefix(1);
  while (!s.empty() && is_ows(s.back())) s.remove_suffix(1);
  return s;
}

bool ListCursor::next(std::string_view* element) {
  if (done_) return false;
  const size_t comma = rest_.find(',');
  if (comma == std::string_view::npos) {
    *element = trim_ows(rest_);
    done_ = true;
  } else {
    *element = trim_ows(rest_.substr(0, comma));
    rest_.remove_prefix(comma + 1);
  }
  return true;
}

}  // namespace hearth::http
