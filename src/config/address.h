#pragma once
// Syntax checks for the addresses a configuration names. Nothing is resolved
// here: host names are looked up when the configuration is applied.
#include <optional>
#include <string>
#include <string_view>

namespace hearth::config {

// A UNIX socket address: "/PATH", "unix@PATH" or "abns@NAME" (Linux's
// abstract namespace), the path or name shorter than a sockaddr_un holds.
// "sockpair@N" is refused here too.
// Returns: nullopt if `address` is not written as one; else an empty string
// if it is acceptable, or the reason.
std::optional<std::string> check_unix_address(std::string_view address);

// Accepted: "IPV4:PORT", "HOST:PORT", ":PORT", "*:PORT", "[IPV6]:PORT",
// "fd@N", with PORT in 1..65535, or a UNIX socket (check_unix_address).
// Returns: an empty string if `address` is acceptable, else the reason.
std::string check_bind_address(std::string_view address);

// Accepted: "IPV4:PORT", "HOST:PORT", ":PORT", "*:PORT" or "[IPV6]:PORT", with
// PORT in 0..65535 (0: the client's port; no host or "*": the client's
// destination address); the form split_server_port returns. Or a UNIX
// socket (check_unix_address).
// Returns: an empty string if `address` is acceptable, else the reason.
std::string check_server_address(std::string_view address);

}  // namespace hearth::config
