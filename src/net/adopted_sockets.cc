#include "net/adopted_sockets.h"

#include <unistd.h>

#include "net/socket_match.h"

namespace hearth::net {

void AdoptedSockets::add(int fd, std::string ns, std::string iface) {
  pending_.push_back({fd, std::move(ns), std::move(iface)});
  ++received_;
}

int AdoptedSockets::take(const Address& a, const ListenOptions& o) {
  for (auto it = pending_.begin(); it != pending_.end(); ++it) {
    // Hearth has no network namespaces: a socket of another one never fits.
    if (!it->ns.empty() || it->iface != o.interface || !listener_matches(it->fd, a, o)) continue;
    if (!relisten(it->fd, o)) continue;
    const int fd = it->fd;
    pending_.erase(it);
    ++taken_;
    return fd;
  }
  return -1;
}

size_t AdoptedSockets::close_rest() {
  const size_t n = pending_.size();
  for (const Entry& e : pending_) close(e.fd);
  pending_.clear();
  return n;
}

}  // namespace hearth::net
