#include "config/address.h"

#include <arpa/inet.h>
#include <sys/un.h>

#include "config/units.h"

namespace hearth::config {
namespace {

bool all_of(std::string_view s, bool (*pred)(char)) {
  for (char c : s) {
    if (!pred(c)) return false;
  }
  return true;
}
bool is_digit(char c) { return c >= '0' && c <= '9'; }
bool is_hex_or_colon(char c) {
  return is_digit(c) || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F') || c == ':' || c == '.';
}
bool is_host_char(char c) {
  return is_digit(c) || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '-' || c == '.' ||
         c == '_';
}
bool is_digit_or_dot(char c) { return is_digit(c) || c == '.'; }

// Returns: an empty string if `port` is a decimal number in lo..65535.
std::string check_port(std::string_view port, int lo = 1) {
  if (port.empty()) return "missing port after ':'";
  auto n = parse_int(port);
  if (!all_of(port, is_digit) || !n || *n < lo || *n > 65535) {
    return "invalid port '" + std::string(port) + "': expects a number between " +
           std::to_string(lo) + " and 65535";
  }
  return "";
}

// Returns: an empty string if `host` is a dotted IPv4 address with four
// octets of at most 255, or a host name (letters, digits, '-', '.', '_').
std::string check_host(std::string_view host) {
  if (host.empty()) return "missing host before ':'";
  if (all_of(host, is_digit_or_dot)) {
    int parts = 0;
    size_t start = 0;
    while (start <= host.size()) {
      size_t dot = host.find('.', start);
      if (dot == std::string_view::npos) dot = host.size();
      auto octet = parse_int(host.substr(start, dot - start));
      if (!octet || *octet > 255 || dot == start) break;
      ++parts;
      start = dot + 1;
    }
    if (parts != 4 || start != host.size() + 1) {
      return "invalid IPv4 address '" + std::string(host) + "'";
    }
    return "";
  }
  if (!all_of(host, is_host_char)) return "invalid host name '" + std::string(host) + "'";
  return "";
}

// Splits "HOST:PORT" or "[V6]:PORT"; `allow_wildcard` accepts "" and "*" hosts;
// ports from `lo` up.
std::string check_host_port(std::string_view address, bool allow_wildcard, int lo = 1) {
  if (!address.empty() && address[0] == '[') {
    const size_t close = address.find(']');
    if (close == std::string_view::npos) return "missing ']' after the IPv6 address";
    const std::string_view v6 = address.substr(1, close - 1);
    if (v6.empty() || v6.find(':') == std::string_view::npos || !all_of(v6, is_hex_or_colon)) {
      return "invalid IPv6 address '" + std::string(v6) + "'";
    }
    if (close + 1 >= address.size() || address[close + 1] != ':') {
      return "missing ':PORT' after ']'";
    }
    return check_port(address.substr(close + 2), lo);
  }
  const size_t colon = address.rfind(':');
  if (colon == std::string_view::npos) return "missing ':PORT'";
  const std::string_view host = address.substr(0, colon);
  if (host.find(':') != std::string_view::npos) {
    // Without brackets the last colon starts the port, as in HAProxy (":::80").
    in6_addr v6;
    if (inet_pton(AF_INET6, std::string(host).c_str(), &v6) != 1)
      return "invalid IPv6 address '" + std::string(host) +
             "' (or write it in brackets, as in [::1]:8080)";
    return check_port(address.substr(colon + 1), lo);
  }
  if (!(allow_wildcard && (host.empty() || host == "*"))) {
    std::string err = check_host(host);
    if (!err.empty()) return err;
  }
  return check_port(address.substr(colon + 1), lo);
}

}  // namespace

std::optional<std::string> check_unix_address(std::string_view address) {
  const bool slash = !address.empty() && address[0] == '/';
  const bool unix_at = address.substr(0, 5) == "unix@", abns = address.substr(0, 5) == "abns@";
  if (address.substr(0, 9) == "sockpair@")
    return std::string("'sockpair@' addresses are not supported by Hearth");
  if (!slash && !unix_at && !abns) return std::nullopt;
  const std::string_view path = slash ? address : address.substr(5);
  if (path.empty())
    return std::string(abns ? "expects a name after 'abns@'" : "expects a path after 'unix@'");
  if (path.size() >= sizeof(sockaddr_un::sun_path))
    return "UNIX socket path too long (" + std::to_string(path.size()) + " characters, at most " +
           std::to_string(sizeof(sockaddr_un::sun_path) - 1) + ")";
  return std::string();
}

std::string check_bind_address(std::string_view address) {
  if (auto why = check_unix_address(address)) return *why;
  if (address.substr(0, 3) == "fd@") {
    const std::string_view fd = address.substr(3);
    if (fd.empty() || !all_of(fd, is_digit) || !parse_int(fd) || *parse_int(fd) > 65535) {
      return "invalid 'fd@N': expects a file descriptor number, as in fd@3";
    }
    return "";
  }
  std::string err = check_host_port(address, /*allow_wildcard=*/true);
  if (err.empty()) return "";
  return err +
         " (expects ADDR:PORT, :PORT, *:PORT, [IPV6]:PORT, /PATH, unix@PATH, abns@NAME or fd@N)";
}

std::string check_server_address(std::string_view address) {
  if (auto why = check_unix_address(address)) return *why;
  std::string err = check_host_port(address, /*allow_wildcard=*/true, /*lo=*/0);
  if (err.empty()) return "";
  return err +
         " (expects HOST[:PORT] or [IPV6][:PORT], PORT a number, +N or -N, /PATH, unix@PATH or "
         "abns@NAME)";
}

}  // namespace hearth::config
