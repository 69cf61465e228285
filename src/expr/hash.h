#pragma once
// The 32-bit hashes HAProxy's fetches and converters share: SDBM, and the
// "full avalanche" applied on top (base32, url32, sdbm(1), ...).
#include <cstdint>
#include <string_view>

namespace hearth::expr {

// Returns: SDBM of `s`, continuing from `h` (so hashing two parts in turn is
// hashing their concatenation).
inline uint32_t hash_sdbm(std::string_view s, uint32_t h = 0) {
  for (unsigned char b : s) h = b + (h << 6) + (h << 16) - h;
  return h;
}

// Returns: HAProxy's full_hash() of `a`: Bob Jenkins' integer hash times a
// prime near 3/4 of the 32-bit space.
inline uint32_t full_hash(uint32_t a) {
  a = (a + 0x7ed55d16) + (a << 12);
  a = (a ^ 0xc761c23c) ^ (a >> 19);
  a = (a + 0x165667b1) + (a << 5);
  a = (a + 0xd3a2646c) ^ (a << 9);
  a = (a + 0xfd7046c5) + (a << 3);
  a = (a ^ 0xb55a4f09) ^ (a >> 16);
  return a * 3221225473u;
}

}  // namespace hearth::expr
