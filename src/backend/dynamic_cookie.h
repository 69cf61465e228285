#pragma once
// "cookie ... dynamic" with "dynamic-cookie-key KEY" (HAProxy manual 4.2): a
// server without a "cookie VALUE" gets one computed from the key, its
// address and its port, so that every load balancer sharing the key gives a
// server the same value (HAProxy's too).
#include <string>
#include <string_view>
#include <vector>

#include "backend/backend.h"
#include "net/address.h"

namespace hearth::backend {

// Returns: XXH64 (seed 0) of KEY, then the address bytes (4 for IPv4, 16 for
// IPv6), then the port as 4 bytes in network order, written as 16 lowercase
// hex digits; "" if `addr` is not IPv4 nor IPv6 (no address yet).
std::string dynamic_cookie(std::string_view key, const net::Address& addr);

// Gives every server of `be` without a "cookie VALUE" its dynamic cookie
// (be.dyn_cookie enabled, a key, an address), or none. Requires: one caller
// at a time (the load, then the runtime API). Returns: a warning per server
// whose value another server has already (HAProxy warns; both keep it).
std::vector<std::string> refresh_dynamic_cookies(Backend& be);

}  // namespace hearth::backend
