#pragma once
// Syntax checks for the addresses a configuration names. Nothing is resolved
// here: host names are looked up when the configuration is applied.
#include <string>
#include <string_view>

namespace hearth::config {

// Accepted: "IPV4:PORT", "HOST:PORT", ":PORT", "*:PORT", "[IPV6]:PORT" or
// "fd@N", with PORT in 1..65535.
// Returns: an empty string if `address` is acceptable, else the reason.
std::string check_bind_address(std::string_view address);

// Accepted: "IPV4:PORT", "HOST:PORT", ":PORT", "*:PORT" or "[IPV6]:PORT", with
// PORT in 0..65535 (0: the client's port; no host or "*": the client's
// destination address); the form split_server_port returns.
// Returns: an empty string if `address` is acceptable, else the reason.
std::string check_server_address(std::string_view address);

}  // namespace hearth::config
