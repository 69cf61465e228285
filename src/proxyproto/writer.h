#pragma once
// Writing a PROXY protocol header toward a server (send-proxy, send-proxy-v2):
// pure code, no I/O. Addresses are the client's source and destination as the
// stream sees them; when either is missing or not IP, v1 says "UNKNOWN" and
// v2 uses the LOCAL command (the receiver keeps the socket's addresses). An
// IPv4 address paired with an IPv6 one is written as IPv4-mapped IPv6.
#include <sys/socket.h>

#include <cstddef>
#include <cstdint>
#include <string_view>

namespace hearth::proxyproto {

// Writes a v1 line into out. Returns: its length (at most kMaxV1Line), or 0
// if cap is too small.
size_t write_v1(const sockaddr* src, const sockaddr* dst, char* out, size_t cap);

// Builds a v2 header and its TLVs in a caller buffer.
class V2Writer {
 public:
  V2Writer(uint8_t* buf, size_t cap) : buf_(buf), cap_(cap) {}
  // Starts the header: the PROXY command with the addresses, or LOCAL.
  void begin(const sockaddr* src, const sockaddr* dst);
  // Adds a whole TLV.
  void add(uint8_t type, std::string_view value);
  // Opens a TLV whose value the next put()/add() calls write (nested TLVs
  // too). Returns: its offset, for close().
  size_t open(uint8_t type);
  void put(const void* p, size_t n);
  void close(size_t at);
  // Ends the header, with a CRC32C TLV over it when `crc`. Returns: its
  // length, or 0 if it did not fit in the buffer (or a TLV overflowed).
  size_t finish(bool crc);

 private:
  uint8_t* buf_;
  size_t cap_;
  size_t len_ = 0;
  bool overflow_ = false;
};

}  // namespace hearth::proxyproto
