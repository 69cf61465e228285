#pragma once
// A socket address parsed from configuration text: IPv4, IPv6 or a UNIX
// socket (a path, or a name in Linux's abstract namespace).
#include <netinet/in.h>
#include <sys/socket.h>
#include <sys/un.h>

#include <optional>
#include <string>
#include <string_view>

namespace hearth::net {

// A UNIX socket address as Address holds it: the family, then the path
// interned for the process's life (see intern_unix_path), so that the 108
// bytes of a sockaddr_un are not carried by every connection. `path` is
// null for an unnamed socket (a client's end); an abstract name starts with
// a NUL byte.
struct UnixRef {
  sa_family_t family;  // AF_UNIX
  const std::string* path;
};

// The sockaddr a system call takes, built from an Address.
struct NativeAddr {
  sockaddr_storage ss{};
  socklen_t len = 0;
  const sockaddr* sa() const { return reinterpret_cast<const sockaddr*>(&ss); }
};

struct Address {
  // IPv4, IPv6 or UnixRef: 28 bytes instead of sockaddr_storage's 128, since
  // every connection carries its peer's address.
  union Storage {
    sockaddr sa;
    sockaddr_in v4;
    sockaddr_in6 v6;
    UnixRef ux;
  };
  Storage ss{};
  socklen_t len = 0;

  // Accepts "1.2.3.4:80", "[::1]:80", ":80" / "*:80" (any IPv4), "localhost:80",
  // and UNIX sockets: "/PATH", "unix@PATH" and "abns@NAME" (abstract namespace).
  // Returns: nullopt with *err set to what was expected.
  static std::optional<Address> parse(std::string_view text, std::string* err);
  // A UNIX socket path (`abstract`: a name in the abstract namespace).
  // Returns: nullopt with *err if it does not fit a sockaddr_un.
  static std::optional<Address> unix_socket(std::string_view path, bool abstract, std::string* err);
  // Copies a system address. A UNIX one keeps its path only if it was
  // already interned (a bind or server path) or the table has room.
  static Address from(const sockaddr* sa, socklen_t len);

  // The address as stored: for AF_UNIX not a sockaddr_un (see native()).
  const sockaddr* sa() const { return reinterpret_cast<const sockaddr*>(&ss); }
  // The address for bind(2) / connect(2).
  NativeAddr native() const;
  int family() const { return ss.sa.sa_family; }
  bool is_unix() const { return family() == AF_UNIX; }
  // The path of a UNIX address ("" when unnamed; an abstract name starts
  // with '\0'); "" for another family.
  std::string_view unix_path() const;
  int port() const;
  // Sets the port of an IPv4 or IPv6 address (no effect on another family).
  void set_port(int port);
  // "IP:PORT", "[IP6]:PORT", or "unix" for any UNIX socket (as HAProxy
  // prints it in its statistics).
  std::string str() const;
  // As str(), but a UNIX socket is named: "unix@PATH" or "abns@NAME" (for
  // messages and keys).
  std::string describe() const;
  // Writes the IP alone (no port, no brackets), NUL-terminated, without
  // allocating. Returns: out, or "?" if the family is not IP.
  const char* ip_str(char* out, size_t cap) const;
  // A stable hash of the IP only (for `balance source`).
  uint32_t ip_hash() const;
};

// Returns: the interned copy of a UNIX socket path (the same pointer for
// equal paths, valid until the process exits), or nullptr when `only_known`
// and the path was never interned, or when the table is full.
const std::string* intern_unix_path(std::string_view path, bool only_known = false);

// "fd@N" → N; anything else → nullopt.
std::optional<int> parse_fd_spec(std::string_view text);

}  // namespace hearth::net
