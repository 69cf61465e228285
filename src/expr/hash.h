#pragma once
// The 32-bit hashes HAProxy's fetches, converters and hash-based balancing
// share: SDBM, DJB2, WT6, the CRCs, and the "full avalanche" applied on top
// (base32, url32, sdbm(1), hash-type ... avalanche). Header-only, so that the
// load-balancing algorithms (src/backend) use the very same functions.
#include <array>
#include <cstdint>
#include <string_view>

namespace hearth::expr {

// Returns: SDBM of `s`, continuing from `h` (so hashing two parts in turn is
// hashing their concatenation).
inline uint32_t hash_sdbm(std::string_view s, uint32_t h = 0) {
  for (unsigned char b : s) h = b + (h << 6) + (h << 16) - h;
  return h;
}

// Returns: Dan Bernstein's DJB2 of `s` (h * 33 + byte, from 5381).
inline uint32_t hash_djb2(std::string_view s) {
  uint32_t h = 5381;
  for (unsigned char b : s) h = (h << 5) + h + b;
  return h;
}

// Returns: HAProxy's WT6 of `s`: two 32-bit lanes whose rotations are driven
// by the data itself.
inline uint32_t hash_wt6(std::string_view s) {
  uint32_t h0 = 0xa53c965a, h1 = 0x5ca6953a, step0 = 6, step1 = 18;
  auto rotl = [](uint32_t v, uint32_t n) { return (v << n) | (v >> ((32 - n) & 31)); };
  for (unsigned char b : s) {
    h0 = ~(h0 ^ b);
    h1 = ~(h1 + b);
    const uint32_t t = rotl(h1, step0);
    h1 = rotl(h0, step1);
    h0 = t;
    const uint32_t m = ((h0 >> 16) ^ h1) & 0xffff;
    step0 = m & 0x1f;
    step1 = m >> 11;
  }
  return h0 ^ h1;
}

namespace detail {

// A reflected CRC table for `poly`.
constexpr std::array<uint32_t, 256> crc_table(uint32_t poly) {
  std::array<uint32_t, 256> t{};
  for (uint32_t i = 0; i < 256; ++i) {
    uint32_t c = i;
    for (int k = 0; k < 8; ++k) c = (c >> 1) ^ ((c & 1) ? poly : 0);
    t[i] = c;
  }
  return t;
}

template <uint32_t kPoly>
inline constexpr std::array<uint32_t, 256> kCrcTable = crc_table(kPoly);

template <uint32_t kPoly>
uint32_t crc(std::string_view s) {
  uint32_t c = ~0u;
  for (unsigned char b : s) c = (c >> 8) ^ kCrcTable<kPoly>[(c ^ b) & 0xff];
  return ~c;
}

}  // namespace detail

inline uint32_t hash_crc32(std::string_view s) { return detail::crc<0xedb88320>(s); }   // gzip
inline uint32_t hash_crc32c(std::string_view s) { return detail::crc<0x82f63b78>(s); }  // RFC 4960

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
