#pragma once
// Telling whether a listening socket handed over by another process (-x,
// docs/architecture.md "Old-style reload") is the one a bind line would
// open: same address and same socket options, read back from the socket
// itself with getsockopt(2), so that the answer does not depend on what the
// sender says (HAProxy's sender says nothing beyond the interface).
#include "net/address.h"
#include "net/socket.h"

namespace hearth::net {

// Returns: true if `fd` is a listening TCP socket bound to `a` whose
// SO_REUSEPORT, IPV6_V6ONLY, IP(V6)_TRANSPARENT, SO_BINDTODEVICE, TCP_MAXSEG,
// TCP_USER_TIMEOUT, TCP_DEFER_ACCEPT and TCP_FASTOPEN settings are those
// make_listener(a, o) gives a socket (the options of ListenSet::key).
bool listener_matches(int fd, const Address& a, const ListenOptions& o);

// Applies to a socket kept or adopted from another process what may change
// on it without a new bind: the backlog (listen(2) again) and, after that,
// option tcp-smart-accept. Returns: false if listen(2) failed.
bool relisten(int fd, const ListenOptions& o);

}  // namespace hearth::net
