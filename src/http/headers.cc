#include "http/headers.h"

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
  const uint64_t at_least_a = low7 + 0x3f3f3f3f3f3f3f3full;  // high bit: low7 >= 'A'
  const uint64_t above_z = low7 + 0x2525252525252525ull;     // high bit: low7 > 'Z'
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
