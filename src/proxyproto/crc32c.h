#pragma once
// CRC32C (Castagnoli), as the PROXY protocol v2 CRC32C TLV uses it.
#include <cstddef>
#include <cstdint>

namespace hearth::proxyproto {

// Returns: the CRC32C of p[0..n), continuing `prev`, the CRC32C of the bytes
// before them (0 for none): crc32c(b, crc32c(a)) is the CRC32C of a then b.
uint32_t crc32c(const uint8_t* p, size_t n, uint32_t prev = 0);

}  // namespace hearth::proxyproto
