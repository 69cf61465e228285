#include "app/sd_notify.h"

#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

#include <cstddef>
#include <cstdlib>
#include <cstring>

namespace hearth::app {

bool sd_notify(const char* state) {
  const char* path = getenv("NOTIFY_SOCKET");
  if (!path || !*path) return false;
  sockaddr_un sa{};
  sa.sun_family = AF_UNIX;
  const size_t n = strlen(path);
  if (n >= sizeof sa.sun_path || (path[0] != '/' && path[0] != '@')) return false;
  memcpy(sa.sun_path, path, n);
  if (path[0] == '@') sa.sun_path[0] = '\0';  // the abstract namespace
  const int fd = socket(AF_UNIX, SOCK_DGRAM | SOCK_CLOEXEC, 0);
  if (fd < 0) return false;
  const socklen_t len = socklen_t(offsetof(sockaddr_un, sun_path) + n);
  const bool ok = sendto(fd, state, strlen(state), MSG_NOSIGNAL, reinterpret_cast<sockaddr*>(&sa),
                         len) == ssize_t(strlen(state));
  close(fd);
  return ok;
}

}  // namespace hearth::app
