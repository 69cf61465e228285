#pragma once
// Reading the socket options another process set: a copy of one of its TCP
// sockets is taken with pidfd_getfd(2) (same user, so no privilege needed)
// and queried with getsockopt. Works on hearth and on haproxy alike.
#include <sys/types.h>

#include <cstdint>
#include <optional>

#include "support/unique_fd.h"

namespace hearth::test {

// Returns: a copy in this process of a TCP socket of process `pid` whose
// local port is `local_port` (0: any) and, unless `peer_port` is 0, whose
// peer's port is `peer_port` (a listening socket has none); invalid if there
// is none or the kernel refused the copy.
UniqueFd socket_of_process(pid_t pid, uint16_t local_port, uint16_t peer_port);

// Returns: a copy of the first TCP socket of process `pid` still connecting
// (SYN_SENT, so it has no peer yet); invalid if there is none.
UniqueFd connecting_socket_of_process(pid_t pid);

// Returns: the integer value of a socket option, or nullopt if getsockopt fails.
std::optional<int> int_sockopt(int fd, int level, int name);

}  // namespace hearth::test
