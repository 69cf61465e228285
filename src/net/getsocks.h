#pragma once
// `_getsocks`: how a starting process takes the listening sockets of the one
// it replaces (-x SOCKET), over the old process's UNIX stats socket. The
// wire format is HAProxy's (management guide, "-x"), so that either side
// may be HAProxy 2.6:
//   client: "_getsocks\n"
//   server: the number N of sockets, a native-endian 32-bit int; then the
//           sockets in batches of at most kGetsocksBatch, each batch one send
//           carrying its descriptors (SCM_RIGHTS) and, per descriptor, a
//           record: namespace length (1 byte), namespace, interface length
//           (1 byte), interface, 4 zero bytes (once listener options);
//   client: a 32-bit acknowledgement after each read; the server waits for
//           one after every full batch before sending the next.
// A server that will not give its sockets closes without sending anything.
#include <string>
#include <vector>

#include "net/adopted_sockets.h"

namespace hearth::net {

constexpr size_t kGetsocksBatch = 253;  // HAProxy's MAX_SEND_FD

struct ExportedSocket {
  int fd = -1;
  std::string ns;     // network namespace ("": none)
  std::string iface;  // interface the socket is bound to ("": none)
};

// Server side, on a connected blocking stream socket whose client asked
// `_getsocks`. The descriptors stay open here. Returns: false with *err.
bool getsocks_send(int sock, const std::vector<ExportedSocket>& socks, std::string* err);

// Client side: connects to the UNIX stream socket at `path`, asks for its
// sockets and adds every one received to *out. Each wait is bounded by
// `timeout_ms`. Returns: false with *err (nothing added then).
bool getsocks_fetch(const std::string& path, int timeout_ms, AdoptedSockets* out, std::string* err);

// The records of `count` sockets at the start of `bytes`.
// Returns: false while `bytes` holds fewer than `count` whole records.
bool getsocks_parse(const std::string& bytes, size_t count, std::vector<ExportedSocket>* out);

}  // namespace hearth::net
