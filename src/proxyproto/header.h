#pragma once
// The PROXY protocol header (versions 1 and 2) as a connection receives it:
// pure code, no I/O, fuzzed (fuzz/proxy_header_fuzz.cc). The caller hands in
// the bytes it has peeked at the start of a connection, as many times as it
// needs: an incomplete header says so, and nothing is consumed until the
// whole header is there.
//
// What is accepted follows HAProxy 2.6 (checked against it):
//  - v1: "PROXY TCP4 a.b.c.d e.f.g.h sport dport\r\n", the same with TCP6 and
//    IPv6 addresses, or exactly "PROXY UNKNOWN\r\n"; single spaces, 107 bytes
//    at most. Dotted quads may have leading zeros; ports are decimal, 0 to
//    65535 (HAProxy takes a larger port and then reports no port; Hearth
//    refuses it).
//  - v2: the 12-byte signature, version 2, command LOCAL (the socket's own
//    addresses are kept; whatever follows is skipped unread) or PROXY with
//    family TCP over IPv4 (0x11) or IPv6 (0x21); any other family or command
//    is invalid. TLVs must tile the rest of the header exactly. CRC32C must
//    be 4 bytes and match; AUTHORITY at most 255 bytes; UNIQUE_ID at most 128.
//    Other TLV types are skipped.
#include <netinet/in.h>
#include <sys/socket.h>

#include <cstddef>
#include <cstdint>
#include <string_view>

namespace hearth::proxyproto {

enum class ParseStatus : uint8_t {
  kIncomplete,   // a prefix of a valid header: wait for more bytes
  kDone,         // *out describes the header, out->length bytes long
  kNotHeader,    // does not start like a PROXY header at all
  kInvalid,      // starts like one, but is malformed
  kBadProtocol,  // v1 with a protocol other than TCP4, TCP6 or UNKNOWN
};

// The longest header accepted (a v2 header may announce up to 65551 bytes;
// as HAProxy, whose limit is its buffer size, Hearth refuses longer ones).
inline constexpr size_t kMaxHeader = 16384;
// The longest v1 line, CRLF included (the protocol's own limit).
inline constexpr size_t kMaxV1Line = 107;

// TLV types of version 2 (the protocol's numbers).
enum TlvType : uint8_t {
  kTlvAlpn = 0x01,
  kTlvAuthority = 0x02,
  kTlvCrc32c = 0x03,
  kTlvNoop = 0x04,
  kTlvUniqueId = 0x05,
  kTlvSsl = 0x20,
  kTlvSslVersion = 0x21,
  kTlvSslCn = 0x22,
  kTlvSslCipher = 0x23,
  kTlvSslSigAlg = 0x24,
  kTlvSslKeyAlg = 0x25,
  kTlvNetns = 0x30,
};

inline constexpr size_t kMaxAuthority = 255;
inline constexpr size_t kMaxUniqueId = 128;

struct Header {
  uint8_t version = 0;  // 1 or 2
  // True when the header carries no addresses to use: v1 UNKNOWN, v2 LOCAL.
  // The connection keeps its socket addresses then.
  bool local = false;
  sockaddr_storage src{}, dst{};  // AF_INET or AF_INET6 when !local
  // Views into the parsed bytes (empty: absent).
  std::string_view authority, unique_id;
  size_t length = 0;  // bytes of the whole header
};

// Parses the header at the start of p[0..n). Returns: the status; on kDone
// fills *out (views point into p).
ParseStatus parse(const uint8_t* p, size_t n, Header* out);

// Returns: the message HAProxy logs for a refused header of this status
// (kNotHeader, kInvalid, kBadProtocol), for the connection error line.
const char* status_message(ParseStatus s);

// The 12-byte version 2 signature.
inline constexpr uint8_t kV2Signature[12] = {0x0D, 0x0A, 0x0D, 0x0A, 0x00, 0x0D,
                                             0x0A, 0x51, 0x55, 0x49, 0x54, 0x0A};

}  // namespace hearth::proxyproto
