// Text form of an IP address, with a fast path for IPv4: inet_ntop goes
// through sprintf, which cost about 7 % of the instructions of a request with
// `option forwardfor` on the rules benchmark, where the client's address is
// printed once per request.
#pragma once

#include <cstddef>

namespace hearth {

// Room for the longest IPv6 text (INET6_ADDRSTRLEN) and its NUL.
inline constexpr size_t kIpTextMax = 46;

// Writes the dotted-quad (AF_INET, 4 bytes at addr) or RFC 5952 (AF_INET6,
// 16 bytes) text of an address into out, which holds kIpTextMax bytes, and a
// NUL after it.
// Returns: the text's length, or 0 if af is neither family.
size_t ip_to_text(int af, const void* addr, char* out);

}  // namespace hearth
