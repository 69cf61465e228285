#include "support/ports.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <atomic>
#include <cerrno>
#include <chrono>
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

namespace {

// Returns: the first port of the kernel's ephemeral range (outgoing
// connections take their local port from it), or 32768 if unreadable.
uint16_t ephemeral_low() {
  FILE* f = fopen("/proc/sys/net/ipv4/ip_local_port_range", "r");
  unsigned lo = 32768, hi = 60999;
  if (f != nullptr) {
    if (fscanf(f, "%u %u", &lo, &hi) != 2) lo = 32768;
    fclose(f);
  }
  return uint16_t(lo);
}

// Returns: whether 127.0.0.1:port can be bound now (no SO_REUSEADDR, so a
// listener or a TIME_WAIT on it also says no).
bool bindable(int type, uint16_t port) {
  int fd = socket(AF_INET, type | SOCK_CLOEXEC, 0);
  if (fd < 0) fatal_errno("socket");
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_port = htons(port);
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  const bool ok = bind(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr) == 0;
  close(fd);
  return ok;
}

// Returns: a port below the ephemeral range that `type` can bind now. The
// ports of one process are taken in turn from an offset its pid and start
// time choose, so parallel test processes rarely meet; and since no outgoing
// connection takes a port below the ephemeral range, none can steal it
// between this call and the caller's bind (the race the kernel's port 0
// had: it hands out ephemeral ports).
uint16_t free_port(int type) {
  constexpr uint16_t kFloor = 10000;
  static const uint16_t low = ephemeral_low();
  static std::atomic<uint32_t> next{
      uint32_t(getpid()) * 7919u +
      uint32_t(std::chrono::steady_clock::now().time_since_epoch().count() / 1000)};
  if (low > kFloor + 1000) {
    const uint32_t span = low - kFloor;
    for (uint32_t i = 0; i < span; ++i) {
      const uint16_t port = uint16_t(kFloor + next.fetch_add(1) % span);
      if (bindable(type, port)) return port;
    }
  }
  // No room below the ephemeral range: ask the kernel for one.
  int fd = socket(AF_INET, type | SOCK_CLOEXEC, 0);
  if (fd < 0) fatal_errno("socket");
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  socklen_t len = sizeof addr;
  if (bind(fd, reinterpret_cast<sockaddr*>(&addr), len) != 0 ||
      getsockname(fd, reinterpret_cast<sockaddr*>(&addr), &len) != 0) {
    fatal_errno("bind 127.0.0.1:0");
  }
  close(fd);
  return ntohs(addr.sin_port);
}

}  // namespace

uint16_t free_tcp_port() { return free_port(SOCK_STREAM); }

uint16_t free_udp_port() { return free_port(SOCK_DGRAM); }

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
