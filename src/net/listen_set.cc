#include "net/listen_set.h"

#include <sys/socket.h>
#include <unistd.h>

#include "net/adopted_sockets.h"
#include "net/socket_match.h"

namespace hearth::net {

std::string ListenSet::key(const Address& a, const ListenOptions& o, int slot) {
  // The options set before bind(2): a change means a new socket (the old one
  // is closed after the reload). The backlog is not among them: listen(2)
  // changes it on the socket kept.
  if (a.is_unix())  // one socket for every thread: the slot does not count
    return a.describe() + "|x" + std::to_string(o.unix_perms.mode) + "." +
           std::to_string(o.unix_perms.uid) + "." + std::to_string(o.unix_perms.gid);
  return a.str() + "|r" + std::to_string(o.reuseport) + "|6" + std::to_string(o.v6only) + "|f" +
         std::to_string(o.tfo) + "|d" + std::to_string(o.defer_accept) + "|t" +
         std::to_string(o.transparent) + "|i" + o.interface + "|m" + std::to_string(o.mss) + "|u" +
         std::to_string(o.tcp_ut_ms) + "#" + std::to_string(slot);
}

int ListenSet::get(const Address& a, const ListenOptions& o, int slot, std::string* err) {
  building_ = true;
  const std::string k = key(a, o, slot);
  if (auto it = pending_.find(k); it != pending_.end()) return it->second;
  int fd;
  if (auto it = current_.find(k); it != current_.end()) {
    fd = it->second;
    relisten(fd, o);
  } else if (adopted_ && (fd = adopted_->take(a, o)) >= 0) {
    // a socket of the process Hearth started from (-x)
  } else if ((fd = make_listener(a, o, err)) < 0) {
    return -1;
  }
  pending_[k] = fd;
  return fd;
}

int ListenSet::find(const Address& a, const ListenOptions& o, int slot) const {
  const std::string k = key(a, o, slot);
  const auto& from = building_ ? pending_ : current_;
  auto it = from.find(k);
  return it == from.end() ? -1 : it->second;
}

void ListenSet::commit() {
  for (auto& [k, fd] : current_)
    if (!pending_.count(k)) close(fd);
  current_ = std::move(pending_);
  pending_.clear();
  building_ = false;
  release_adopted();
}

void ListenSet::release_adopted() {
  if (adopted_) adopted_->close_rest();
  adopted_ = nullptr;
}

void ListenSet::abort() {
  for (auto& [k, fd] : pending_)
    if (!current_.count(k)) close(fd);
  pending_.clear();
  building_ = false;
  release_adopted();
}

void ListenSet::close_all() {
  abort();
  for (auto& [k, fd] : current_) close(fd);
  current_.clear();
}

}  // namespace hearth::net
