#include "net/address.h"

#include <arpa/inet.h>
#include <netdb.h>
#include <netinet/in.h>

#include <algorithm>
#include <charconv>
#include <cstddef>
#include <cstring>
#include <mutex>
#include <string>
#include <unordered_set>

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

// Paths beyond this many are not interned from accepted sockets' addresses
// (a client bound to a path of its choosing): their address stays unnamed.
constexpr size_t kMaxInterned = 4096;

}  // namespace

const std::string* intern_unix_path(std::string_view path, bool only_known) {
  static std::mutex mu;
  static auto* paths = new std::unordered_set<std::string>();  // never freed: pointers live on
  std::lock_guard<std::mutex> lock(mu);
  auto it = paths->find(std::string(path));
  if (it != paths->end()) return &*it;
  if (only_known || paths->size() >= kMaxInterned) return nullptr;
  return &*paths->insert(std::string(path)).first;
}

std::optional<Address> Address::unix_socket(std::string_view path, bool abstract,
                                            std::string* err) {
  if (path.empty()) {
    *err = abstract ? "expects a name after 'abns@'" : "expects a socket path";
    return std::nullopt;
  }
  // A path needs its NUL terminator; an abstract name its leading NUL.
  if (path.size() >= sizeof(sockaddr_un::sun_path)) {
    *err = "socket path '" + std::string(path) + "' is too long: at most " +
           std::to_string(sizeof(sockaddr_un::sun_path) - 1) + " characters";
    return std::nullopt;
  }
  if (path.find('\0') != std::string_view::npos) {
    *err = "a socket path cannot hold a NUL character";
    return std::nullopt;
  }
  Address a;
  a.ss.ux.family = AF_UNIX;
  a.ss.ux.path =
      intern_unix_path(abstract ? std::string(1, '\0') + std::string(path) : std::string(path));
  if (!a.ss.ux.path) {
    *err = "too many UNIX socket paths";
    return std::nullopt;
  }
  a.len = sizeof(UnixRef);
  return a;
}

std::optional<Address> Address::parse(std::string_view text, std::string* err) {
  if (!text.empty() && text[0] == '/') return unix_socket(text, false, err);
  if (text.substr(0, 5) == "unix@") return unix_socket(text.substr(5), false, err);
  if (text.substr(0, 5) == "abns@") return unix_socket(text.substr(5), true, err);
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
  if (len >= sizeof(sa_family_t) && sa->sa_family == AF_UNIX) {
    a.ss.ux.family = AF_UNIX;
    a.len = sizeof(UnixRef);
    const auto* un = reinterpret_cast<const sockaddr_un*>(sa);
    const size_t off = offsetof(sockaddr_un, sun_path);
    if (len <= off) return a;  // unnamed
    size_t n = std::min<size_t>(len - off, sizeof un->sun_path);
    if (un->sun_path[0] != '\0') {
      n = strnlen(un->sun_path, n);
    } else {  // abstract: HAProxy binds the whole sun_path, NUL padded
      while (n > 1 && un->sun_path[n - 1] == '\0') --n;
    }
    if (n > 0) a.ss.ux.path = intern_unix_path(std::string_view(un->sun_path, n));
    return a;
  }
  if (len > sizeof(a.ss)) len = sizeof(a.ss);
  std::memcpy(&a.ss, sa, len);
  a.len = len;
  return a;
}

NativeAddr Address::native() const {
  NativeAddr n;
  if (!is_unix()) {
    std::memcpy(&n.ss, &ss, len);
    n.len = len;
    return n;
  }
  auto* un = reinterpret_cast<sockaddr_un*>(&n.ss);
  un->sun_family = AF_UNIX;
  const std::string_view p = unix_path();
  std::memcpy(un->sun_path, p.data(), std::min(p.size(), sizeof un->sun_path - 1));
  // An abstract name takes the whole sun_path (NUL padded), as HAProxy binds
  // and connects it, so that both reach the same name.
  n.len = p.empty()      ? socklen_t(offsetof(sockaddr_un, sun_path))
          : p[0] == '\0' ? socklen_t(sizeof(sockaddr_un))
                         : socklen_t(offsetof(sockaddr_un, sun_path) + p.size() + 1);
  return n;
}

std::string_view Address::unix_path() const {
  if (!is_unix() || !ss.ux.path) return {};
  return *ss.ux.path;
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

std::string Address::describe() const {
  if (!is_unix()) return str();
  const std::string_view p = unix_path();
  if (p.empty()) return "unix@(unnamed)";
  if (p[0] == '\0') return "abns@" + std::string(p.substr(1));
  return "unix@" + std::string(p);
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
