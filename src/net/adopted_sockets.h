#pragma once
// Listening sockets received from the process being replaced (-x SOCKET,
// through its stats socket's `_getsocks`, net/getsocks.h). Each bind of the
// new configuration takes the first one that matches its address and
// options (net/socket_match.h) instead of binding; whatever no bind took is
// closed once every listener is open, so that the old process alone holds
// it until it stops.
#include <string>
#include <vector>

#include "net/address.h"
#include "net/socket.h"

namespace hearth::net {

class AdoptedSockets {
 public:
  AdoptedSockets() = default;
  AdoptedSockets(const AdoptedSockets&) = delete;
  AdoptedSockets& operator=(const AdoptedSockets&) = delete;
  ~AdoptedSockets() { close_rest(); }

  // Takes ownership of `fd`; `ns` and `iface` are what the sender said of it
  // (network namespace, interface: empty for none).
  void add(int fd, std::string ns, std::string iface);
  // Returns: a socket not taken yet that a bind on `a` with `o` would open,
  // its backlog set to o.backlog, now owned by the caller; -1 if none.
  int take(const Address& a, const ListenOptions& o);
  // Closes every socket not taken. Returns: how many were closed.
  size_t close_rest();
  size_t received() const { return received_; }
  size_t taken() const { return taken_; }

 private:
  struct Entry {
    int fd;
    std::string ns, iface;
  };
  std::vector<Entry> pending_;
  size_t received_ = 0, taken_ = 0;
};

}  // namespace hearth::net
