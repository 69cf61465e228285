#include "dns/address_choice.h"

#include <cstring>

namespace hearth::dns {

bool same_ip(const net::Address& a, const net::Address& b) {
  if (a.family() != b.family()) return false;
  if (a.family() == AF_INET) return a.ss.v4.sin_addr.s_addr == b.ss.v4.sin_addr.s_addr;
  if (a.family() == AF_INET6) return std::memcmp(&a.ss.v6.sin6_addr, &b.ss.v6.sin6_addr, 16) == 0;
  return false;
}

bool in_net(const net::Address& a, const config::ResolveNet& n) {
  if (a.family() != n.family) return false;
  const auto* ip = a.family() == AF_INET ? reinterpret_cast<const uint8_t*>(&a.ss.v4.sin_addr)
                                         : reinterpret_cast<const uint8_t*>(&a.ss.v6.sin6_addr);
  int bits = n.prefix;
  for (int i = 0; bits > 0; ++i, bits -= 8) {
    const uint8_t mask = bits >= 8 ? 0xff : uint8_t(0xff << (8 - bits));
    if ((ip[i] & mask) != (n.addr[i] & mask)) return false;
  }
  return true;
}

int choose_address(const std::vector<net::Address>& addrs, config::ResolveFamily prefer,
                   const std::vector<config::ResolveNet>& nets, const net::Address* current,
                   const std::function<bool(const net::Address&)>& taken) {
  const int want = prefer == config::ResolveFamily::kIpv4 ? AF_INET : AF_INET6;
  int best = -1, best_score = -1;
  for (size_t i = 0; i < addrs.size(); ++i) {
    const net::Address& a = addrs[i];
    if (taken && taken(a)) continue;
    int score = 0;
    if (a.family() == want) score += 8;
    for (const config::ResolveNet& n : nets)
      if (in_net(a, n)) {
        score += 4;
        break;
      }
    if (current && same_ip(a, *current)) score += 1;
    if (score > best_score) {
      best_score = score;
      best = int(i);
    }
  }
  return best;
}

}  // namespace hearth::dns
