#pragma once
// Deterministic pseudo-random bytes, so a test and a fake server can agree on
// a payload by sharing only (seed, length).
#include <cstddef>
#include <cstdint>
#include <string>

namespace hearth::test {

// Byte i of the stream depends only on (seed, i), so any chunking of the
// stream yields the same bytes.
class PseudoRandomStream {
 public:
  explicit PseudoRandomStream(uint64_t seed) : seed_(seed) {}
  // Writes the next n bytes of the stream to out.
  void fill(char* out, size_t n);
  // Returns: the next n bytes of the stream.
  std::string next(size_t n);
  // Returns: bytes produced so far.
  uint64_t position() const { return pos_; }

 private:
  uint64_t seed_;
  uint64_t pos_ = 0;
};

// Returns: the first n bytes of the stream for seed.
std::string pseudo_random_bytes(uint64_t seed, size_t n);

}  // namespace hearth::test
