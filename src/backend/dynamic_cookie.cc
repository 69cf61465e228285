#include "backend/dynamic_cookie.h"

#include <arpa/inet.h>
#include <xxhash.h>

#include <cstdio>
#include <cstring>
#include <vector>

namespace hearth::backend {

std::string dynamic_cookie(std::string_view key, const net::Address& addr) {
  const void* ip = nullptr;
  size_t ip_len = 0;
  if (addr.family() == AF_INET) {
    ip = &addr.ss.v4.sin_addr;
    ip_len = 4;
  } else if (addr.family() == AF_INET6) {
    ip = &addr.ss.v6.sin6_addr;
    ip_len = 16;
  } else {
    return "";
  }
  std::vector<unsigned char> buf(key.size() + ip_len + 4);
  memcpy(buf.data(), key.data(), key.size());
  memcpy(buf.data() + key.size(), ip, ip_len);
  const uint32_t port = htonl(uint32_t(addr.port()));
  memcpy(buf.data() + key.size() + ip_len, &port, 4);
  char hex[17];
  snprintf(hex, sizeof hex, "%016llx", (unsigned long long)XXH64(buf.data(), buf.size(), 0));
  return hex;
}

std::vector<std::string> refresh_dynamic_cookies(Backend& be) {
  std::vector<std::string> warnings;
  const Backend::DynamicCookie& dc = be.dyn_cookie;
  for (const auto& s : be.servers()) {
    if (s->cookie_from_config) continue;
    std::string v;
    if (dc.enabled && !dc.key.empty() && s->has_addr.load()) v = dynamic_cookie(dc.key, s->address());
    if (v.empty() && s->cookie().empty()) continue;
    if (!v.empty()) {
      for (const auto& other : be.servers()) {
        if (other.get() == s.get() || other->cookie() != v) continue;
        warnings.push_back("server '" + be.name() + "/" + s->name +
                           "' gets the same dynamic cookie as '" + other->name +
                           "': change the dynamic-cookie-key of '" + be.name() + "'");
        break;
      }
    }
    s->set_cookie(std::move(v));
  }
  return warnings;
}

}  // namespace hearth::backend
