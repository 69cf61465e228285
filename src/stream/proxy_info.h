#pragma once
// What a connection's PROXY header said (accept-proxy, expect-proxy): the
// client's original addresses and the v2 TLVs that fetches read. Held by the
// Session, from Pool<ProxyInfo>, only on connections that received a header.
#include <cstdint>
#include <string_view>

#include "core/pool.h"
#include "net/address.h"
#include "proxyproto/header.h"

namespace hearth::stream {

struct ProxyInfo {
  // False for v1 UNKNOWN and v2 LOCAL: the socket's addresses stay.
  bool has_addrs = false;
  net::Address src, dst;
  uint8_t authority_len = 0, unique_id_len = 0;
  char authority[proxyproto::kMaxAuthority];
  char unique_id[proxyproto::kMaxUniqueId];

  std::string_view authority_view() const { return {authority, authority_len}; }
  std::string_view unique_id_view() const { return {unique_id, unique_id_len}; }
  // Copies what the parsed header `h` carries.
  void assign(const proxyproto::Header& h);

  static Pool<ProxyInfo>& pool();
};

}  // namespace hearth::stream
