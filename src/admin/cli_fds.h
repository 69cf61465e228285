#pragma once
// The file descriptors of the runtime API itself (stats sockets and their
// clients), which no worker loop polls: "show fd" lists them with the loops'
// own. Thread-safe; the serving threads register and unregister.
#include <string>
#include <vector>

namespace hearth::admin {

struct CliFd {
  int fd = -1;
  bool listener = false;  // a stats socket; else a client connection
  bool admin = false;
};

void cli_fd_opened(int fd, bool listener, bool admin);
void cli_fd_closed(int fd);
// Returns: the fds registered now, in fd order.
std::vector<CliFd> cli_fds();

}  // namespace hearth::admin
