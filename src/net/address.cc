#include "net/address.h"

#include <arpa/inet.h>
#include <netdb.h>
#include <netinet/in.h>

#include <charconv>
#include <cstring>

#include "core/ip_text.h"

namespace hearth::net {
namespace {

bool parse_port(std::string_view s, int* port) {
  int v = 0;
  auto [p, ec] = std::from_chars(s.data(), s.data() + s.size(), v);
  if (ec != std::errc() || p != s.data() + s.size() || v < 0 || v > 65535) return false;
  *port = v;
  return true;
}

}  // namespace

std::optional<Address> Address::parse(std::string_view text, std::string* err) {
  std::string_view host, port_s;
  if (!text.empty() && text[0] == '[') {
    size_t close = text.find(']');
    if (close == std::string_view::npos || close + 1 >= text.size() || text[close + 1] != ':') {
      *err = "expects [IPv6]:PORT";
      return std::nullopt;
    }
    host = text.substr(1, close - 1);
    port_s = text.substr(close + 2);
  } else {
    size_t colon = text.rfind(':');
    if (colon == std::string_view::npos) {
      *err = "expects HOST:PORT (a port is required)";
      return std::nullopt;
    }
    host = text.substr(0, colon);
    port_s = text.substr(colon + 1);
  }
  int port;
  if (!parse_port(port_s, &port)) {
    *err = "expects a port between 0 and 65535";
    return std::nullopt;
  }
  Address a;
  std::string h(host);
  if (h.empty() || h == "*" || h == "0.0.0.0") h = "0.0.0.0";
  auto* v4 = reinterpret_cast<sockaddr_in*>(&a.ss);
  auto* v6 = reinterpret_cast<sockaddr_in6*>(&a.ss);
  if (inet_pton(AF_INET, h.c_str(), &v4->sin_addr) == 1) {
    v4->sin_family = AF_INET;
    v4->sin_port = htons(uint16_t(port));
    a.len = sizeof(sockaddr_in);
    return a;
  }
  if (inet_pton(AF_INET6, h.c_str(), &v6->sin6_addr) == 1) {
    v6->sin6_family = AF_INET6;
    v6->sin6_port = htons(uint16_t(port));
    a.len = sizeof(sockaddr_in6);
    return a;
  }
  addrinfo hints{}, *res = nullptr;
  hints.ai_socktype = SOCK_STREAM;
  if (getaddrinfo(h.c_str(), nullptr, &hints, &res) != 0 || !res) {
    *err = "cannot resolve host '" + h + "'";
    return std::nullopt;
  }
  a = from(res->ai_addr, res->ai_addrlen);
  freeaddrinfo(res);
  if (a.family() == AF_INET)
    v4->sin_port = htons(uint16_t(port));
  else
    v6->sin6_port = htons(uint16_t(port));
  return a;
}

Address Address::from(const sockaddr* sa, socklen_t len) {
  Address a;
  if (len > sizeof(a.ss)) len = sizeof(a.ss);
  std::memcpy(&a.ss, sa, len);
  a.len = len;
  return a;
}

int Address::port() const {
  if (family() == AF_INET) return ntohs(reinterpret_cast<const sockaddr_in*>(&ss)->sin_port);
  if (family() == AF_INET6) return ntohs(reinterpret_cast<const sockaddr_in6*>(&ss)->sin6_port);
  return 0;
}

void Address::set_port(int port) {
  if (family() == AF_INET)
    ss.v4.sin_port = htons(uint16_t(port));
  else if (family() == AF_INET6)
    ss.v6.sin6_port = htons(uint16_t(port));
}

std::string Address::str() const {
  char buf[kIpTextMax];
  if (family() == AF_INET)
    return std::string(ip_str(buf, sizeof buf)) + ":" + std::to_string(port());
  if (family() == AF_INET6)
    return "[" + std::string(ip_str(buf, sizeof buf)) + "]:" + std::to_string(port());
  if (family() == AF_UNIX) return "unix";
  return "?";
}

const char* Address::ip_str(char* out, size_t cap) const {
  const void* src = family() == AF_INET    ? static_cast<const void*>(&ss.v4.sin_addr)
                    : family() == AF_INET6 ? static_cast<const void*>(&ss.v6.sin6_addr)
                                           : nullptr;
  if (!src || cap < kIpTextMax || ip_to_text(family(), src, out) == 0) return "?";
  return out;
}

uint32_t Address::ip_hash() const {
  const unsigned char* p = nullptr;
  size_t n = 0;
  if (family() == AF_INET) {
    p = reinterpret_cast<const unsigned char*>(
        &reinterpret_cast<const sockaddr_in*>(&ss)->sin_addr);
    n = 4;
  } else if (family() == AF_INET6) {
    p = reinterpret_cast<const unsigned char*>(
        &reinterpret_cast<const sockaddr_in6*>(&ss)->sin6_addr);
    n = 16;
  }
  uint32_t h = 2166136261u;  // FNV-1a, then a final avalanche
  for (size_t i = 0; i < n; ++i) h = (h ^ p[i]) * 16777619u;
  h ^= h >> 16;
  h *= 0x85ebca6bu;
  h ^= h >> 13;
  return h;
}

std::optional<int> parse_fd_spec(std::string_view text) {
  if (text.substr(0, 3) != "fd@") return std::nullopt;
  int v = -1;
  auto s = text.substr(3);
  auto [p, ec] = std::from_chars(s.data(), s.data() + s.size(), v);
  if (ec != std::errc() || p != s.data() + s.size() || v < 0) return std::nullopt;
  return v;
}

}  // namespace hearth::net
