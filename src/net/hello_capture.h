#pragma once
// tune.ssl.capture-buffer-size: what an accepted connection's ClientHello
// offered, kept for the ssl_fc_cipherlist_*, ssl_fc_extlist_bin,
// ssl_fc_eclist_bin, ssl_fc_ecformats_bin and ssl_fc_protocol_hello_id
// fetches. The ClientHello is read as it came (OpenSSL's message callback):
// every extension counts, GREASE and padding included. One block per TLS
// connection from a pool sized at startup, and only when the size is set:
// with 0 (the default) nothing is captured.
#include <cstddef>
#include <cstdint>
#include <string_view>

typedef struct ssl_st SSL;

namespace hearth::net {

// The lists, in the order they are captured into one shared buffer of the
// configured size: the cipher suites (2 bytes each), the extension types (2
// bytes each, in the order received), the supported groups (2 bytes each)
// and the EC point formats (1 byte each). Each list gets what the lists
// before it left, cut to that many bytes (as HAProxy 2.6 cuts them).
struct HelloCapture {
  uint64_t ciphers_xxh64 = 0;  // of the whole cipher suite list, cut or not
  uint16_t version = 0;        // the ClientHello's legacy_version (0x0303 ...)
  uint32_t ciphers_len = 0, ext_len = 0, groups_len = 0, formats_len = 0;
  // The captured bytes follow the struct in its block: ciphers, then
  // extension types, groups, formats.
  uint8_t* data() { return reinterpret_cast<uint8_t*>(this + 1); }
  const uint8_t* data() const { return reinterpret_cast<const uint8_t*>(this + 1); }

  std::string_view ciphers() const { return view(0, ciphers_len); }
  std::string_view extensions() const { return view(ciphers_len, ext_len); }
  std::string_view groups() const { return view(ciphers_len + ext_len, groups_len); }
  std::string_view formats() const { return view(ciphers_len + ext_len + groups_len, formats_len); }

 private:
  std::string_view view(size_t off, size_t len) const {
    return {reinterpret_cast<const char*>(data()) + off, len};
  }
};

// Reads `msg`, a whole ClientHello handshake message (type 1, its 3-byte
// length, then the body), into `c`, whose data() holds `cap` bytes.
// Returns: false if it is not a well-formed ClientHello (c then holds
// nothing). Pure: no OpenSSL (fuzzed).
bool fill_hello_capture(std::string_view msg, size_t cap, HelloCapture* c);

// Sets the capture size (tune.ssl.capture-buffer-size; at startup, before any
// connection). 0: no capture.
void set_hello_capture_size(size_t bytes);
size_t hello_capture_size();

// For an accepted connection's `ssl`, when the size is set: captures its
// ClientHello (and the second one after a HelloRetryRequest) into a block
// owned by ssl, returned to the pool when ssl is freed. Nothing is kept when
// the pool is exhausted (the fetches then find nothing).
void watch_client_hello(SSL* ssl);

// Returns: the capture of ssl, or null.
const HelloCapture* hello_capture(const SSL* ssl);

// A GREASE value (RFC 8701): 0x?A?A with both bytes equal.
inline bool is_grease(uint16_t v) { return (v & 0x0f0f) == 0x0a0a && (v >> 8) == (v & 0xff); }

}  // namespace hearth::net
