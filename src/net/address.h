#pragma once
// A socket address parsed from configuration text.
#include <sys/socket.h>

#include <optional>
#include <string>
#include <string_view>

namespace hearth::net {

struct Address {
  sockaddr_storage ss{};
  socklen_t len = 0;

  // Accepts "1.2.3.4:80", "[::1]:80", ":80" / "*:80" (any IPv4), "localhost:80".
  // Returns: nullopt with *err set to what was expected.
  static std::optional<Address> parse(std::string_view text, std::string* err);
  static Address from(const sockaddr* sa, socklen_t len);

  const sockaddr* sa() const { return reinterpret_cast<const sockaddr*>(&ss); }
  int family() const { return ss.ss_family; }
  int port() const;
  std::string str() const;
  // A stable hash of the IP only (for `balance source`).
  uint32_t ip_hash() const;
};

// "fd@N" → N; anything else → nullopt.
std::optional<int> parse_fd_spec(std::string_view text);

}  // namespace hearth::net
