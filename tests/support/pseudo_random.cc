#include "support/pseudo_random.h"

namespace hearth::test {

namespace {

// SplitMix64 of (seed, word index): a cheap, well-mixed, stateless generator.
uint64_t word_at(uint64_t seed, uint64_t index) {
  uint64_t z = seed + (index + 1) * 0x9e3779b97f4a7c15ULL;
  z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
  z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
  return z ^ (z >> 31);
}

}  // namespace

void PseudoRandomStream::fill(char* out, size_t n) {
  uint64_t word = word_at(seed_, pos_ / 8);
  for (size_t i = 0; i < n; ++i, ++pos_) {
    if (pos_ % 8 == 0) word = word_at(seed_, pos_ / 8);
    out[i] = static_cast<char>((word >> (8 * (pos_ % 8))) & 0xff);
  }
}

std::string PseudoRandomStream::next(size_t n) {
  std::string out(n, '\0');
  fill(out.data(), n);
  return out;
}

std::string pseudo_random_bytes(uint64_t seed, size_t n) {
  PseudoRandomStream stream(seed);
  return stream.next(n);
}

}  // namespace hearth::test
