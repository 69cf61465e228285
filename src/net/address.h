#pragma once
// A socket address parsed from configuration text.
#include <netinet/in.h>
#include <sys/socket.h>

#include <optional>
#include <string>
#include <string_view>

namespace hearth::net {

struct Address {
  // IPv4 or IPv6 only: 28 bytes instead of sockaddr_storage's 128, since every
  // connection carries its peer's address.
  union Storage {
    sockaddr sa;
    sockaddr_in v4;
    sockaddr_in6 v6;
  };
  Storage ss{};
  socklen_t len = 0;

  // Accepts "1.2.3.4:80", "[::1]:80", ":80" / "*:80" (any IPv4), "localhost:80".
  // Returns: nullopt with *err set to what was expected.
  static std::optional<Address> parse(std::string_view text, std::string* err);
  static Address from(const sockaddr* sa, socklen_t len);

  const sockaddr* sa() const { return reinterpret_cast<const sockaddr*>(&ss); }
  int family() const { return ss.sa.sa_family; }
  int port() const;
  // Sets the port of an IPv4 or IPv6 address (no effect on another family).
  void set_port(int port);
  std::string str() const;
  // Writes the IP alone (no port, no brackets), NUL-terminated, without
  // allocating. Returns: out, or "?" if the family is not IP.
  const char* ip_str(char* out, size_t cap) const;
  // A stable hash of the IP only (for `balance source`).
  uint32_t ip_hash() const;
};

// "fd@N" → N; anything else → nullopt.
std::optional<int> parse_fd_spec(std::string_view text);

}  // namespace hearth::net
