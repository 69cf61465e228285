#pragma once
// The Connection header field (RFC 9110 §7.6.1) and hop-by-hop field rules.
#include <cstddef>
#include <cstring>
#include <string_view>

#include "http/headers.h"

namespace hearth::http {

// The distinct connection options of one message, gathered from all of its
// Connection field lines. Fixed capacity so a head needs no allocation; a
// message naming more options than that is rejected by the parser.
class ConnectionTokens {
 public:
  static constexpr size_t kCapacity = 16;

  // Adds the options listed in one Connection field value. Empty list
  // elements are ignored (RFC 9110 §5.6.1.2); duplicates are stored once.
  // Returns: false if an element is not a token or capacity is exceeded
  // (tokens added before the failure are kept).
  bool add_value(std::string_view value);

  // Returns: true if `token` was listed (case-insensitive).
  bool contains(std::string_view token) const;
  bool close() const { return close_; }
  bool keep_alive() const { return keep_alive_; }
  bool upgrade() const { return upgrade_; }
  // Returns: true if a token other than keep-alive and upgrade was listed:
  // only such a token can name a field that is not hop-by-hop already.
  bool names_other_fields() const { return names_other_; }

  size_t size() const { return size_; }
  // Requires: i < size().
  std::string_view operator[](size_t i) const {
    std::string_view t;
    std::memcpy(&t, tokens_ + i * sizeof(std::string_view), sizeof(std::string_view));
    return t;
  }

 private:
  void set(size_t i, std::string_view t) {
    std::memcpy(tokens_ + i * sizeof(std::string_view), &t, sizeof(std::string_view));
  }

  // The views, as bytes: a new head then costs no zeroing of slots that are
  // never read (only the first size_ are), and copying a head stays defined.
  alignas(std::string_view) unsigned char tokens_[kCapacity * sizeof(std::string_view)];
  size_t size_ = 0;
  bool close_ = false;
  bool keep_alive_ = false;
  bool upgrade_ = false;
  bool names_other_ = false;
};

// Returns: true when a proxy must remove the field `name` before forwarding:
// Connection, Keep-Alive, Proxy-Connection, TE, Upgrade, and any name listed
// in `connection`.
//
// Deliberately false, even when listed in Connection, for:
//  - Transfer-Encoding: hop-by-hop in RFC 9110, but Hearth forwards chunked
//    bodies byte for byte, so the field must travel with them; stripping it
//    would make the next hop read the chunk framing as a new request.
//  - Content-Length and Host: "Connection: content-length" is a known way to
//    desynchronise a proxy and its server; framing and routing fields are
//    never removed on a peer's request.
// Trailer is not hop-by-hop in RFC 9110 and trailers are forwarded as-is, so
// it is kept. A proxy that establishes a tunnel re-adds Upgrade/Connection.
// Uses field.known when the parser set it, else compares the name.
bool hop_by_hop(const HeaderField& field, const ConnectionTokens& connection);

}  // namespace hearth::http
