#include "support/ports.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <cstring>

#include "support/client.h"
#include "support/fatal.h"
#include "support/temp_dir.h"
#include "support/wait.h"

namespace hearth::test {

int listen_loopback(uint16_t port, uint16_t* bound, int backlog) {
  int fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
  if (fd < 0) return -1;
  int one = 1;
  setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_port = htons(port);
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  socklen_t len = sizeof addr;
  if (bind(fd, reinterpret_cast<sockaddr*>(&addr), len) != 0 || listen(fd, backlog) != 0 ||
      getsockname(fd, reinterpret_cast<sockaddr*>(&addr), &len) != 0) {
    int err = errno;
    close(fd);
    errno = err;
    return -1;
  }
  if (bound != nullptr) *bound = ntohs(addr.sin_port);
  return fd;
}

uint16_t free_tcp_port() {
  int fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
  if (fd < 0) fatal_errno("socket");
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  socklen_t len = sizeof addr;
  // No listen(): an unconnected bound socket leaves no TIME_WAIT behind.
  if (bind(fd, reinterpret_cast<sockaddr*>(&addr), len) != 0 ||
      getsockname(fd, reinterpret_cast<sockaddr*>(&addr), &len) != 0) {
    fatal_errno("bind 127.0.0.1:0");
  }
  close(fd);
  return ntohs(addr.sin_port);
}

bool wait_for_port(uint16_t port, std::chrono::milliseconds timeout) {
  return wait_until(
      [port] {
        int fd = connect_tcp(port, std::chrono::milliseconds{200});
        if (fd < 0) return false;
        close(fd);
        return true;
      },
      timeout);
}

namespace {

// Returns: whether a /proc/net/tcp-format table lists `port` in LISTEN (0A).
bool table_has_listener(const std::string& table, uint16_t port) {
  size_t pos = table.find('\n');  // skip the header line
  while (pos != std::string::npos && pos + 1 < table.size()) {
    size_t end = table.find('\n', pos + 1);
    std::string line = table.substr(pos + 1, end == std::string::npos ? end : end - pos - 1);
    pos = end;
    char local[64], remote[64], state[8];
    if (std::sscanf(line.c_str(), " %*[^:]: %63s %63s %7s", local, remote, state) != 3) continue;
    const char* colon = std::strrchr(local, ':');
    if (colon == nullptr) continue;
    unsigned long p = std::strtoul(colon + 1, nullptr, 16);
    if (p == port && std::strcmp(state, "0A") == 0) return true;
  }
  return false;
}

}  // namespace

bool port_listening(uint16_t port) {
  return table_has_listener(read_file("/proc/net/tcp"), port) ||
         table_has_listener(read_file("/proc/net/tcp6"), port);
}

bool wait_for_listen(uint16_t port, std::chrono::milliseconds timeout) {
  return wait_until([port] { return port_listening(port); }, timeout);
}

}  // namespace hearth::test
