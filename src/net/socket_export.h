#pragma once
// The listening sockets a process offers to its successor through a stats
// socket with `expose-fd listeners` (`_getsocks`, net/getsocks.h). Shared by
// the worker threads (which own the sockets) and the stats socket's thread
// (which sends them): once withdrawn, at the start of a stop, before any
// listener closes its socket, nothing is sent any more, and a send under way
// finishes first.
#include <mutex>
#include <string>
#include <vector>

#include "net/getsocks.h"

namespace hearth::net {

class SocketExport {
 public:
  // Offers `socks` (still owned by their listeners).
  void publish(std::vector<ExportedSocket> socks);
  // No socket is offered from now on; returns once no send is under way.
  void withdraw();
  // Answers a `_getsocks` on the connected stream socket `sock`: the sockets
  // offered (none once withdrawn). Returns: false with *err.
  bool send_to(int sock, std::string* err) const;

 private:
  mutable std::mutex mu_;
  std::vector<ExportedSocket> socks_;
};

}  // namespace hearth::net
