#include "support/process_socket.h"

#include <dirent.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <sys/socket.h>
#include <sys/syscall.h>
#include <unistd.h>

#include <string>

namespace hearth::test {
namespace {

// Returns: the port of a bound or connected IP socket address, or 0.
uint16_t port_of(const sockaddr_storage& ss) {
  if (ss.ss_family == AF_INET) return ntohs(reinterpret_cast<const sockaddr_in&>(ss).sin_port);
  if (ss.ss_family == AF_INET6) return ntohs(reinterpret_cast<const sockaddr_in6&>(ss).sin6_port);
  return 0;
}

bool connecting(int fd, uint16_t, uint16_t) {
  tcp_info ti{};
  socklen_t len = sizeof ti;
  return getsockopt(fd, IPPROTO_TCP, TCP_INFO, &ti, &len) == 0 && ti.tcpi_state == TCP_SYN_SENT;
}

bool matches(int fd, uint16_t local_port, uint16_t peer_port) {
  int type = 0;
  socklen_t tlen = sizeof type;
  if (getsockopt(fd, SOL_SOCKET, SO_TYPE, &type, &tlen) != 0 || type != SOCK_STREAM) return false;
  sockaddr_storage ss{};
  socklen_t len = sizeof ss;
  if (getsockname(fd, reinterpret_cast<sockaddr*>(&ss), &len) != 0 ||
      (local_port != 0 && port_of(ss) != local_port))
    return false;
  if (peer_port == 0) return true;
  len = sizeof ss;
  return getpeername(fd, reinterpret_cast<sockaddr*>(&ss), &len) == 0 && port_of(ss) == peer_port;
}

// Returns: a copy of the first socket of `pid` for which want(fd, local, peer) holds.
UniqueFd find_socket(pid_t pid, bool (*want)(int, uint16_t, uint16_t), uint16_t local_port,
                     uint16_t peer_port) {
  UniqueFd pidfd(int(syscall(SYS_pidfd_open, pid, 0)));
  if (!pidfd.valid()) return UniqueFd();
  const std::string dir = "/proc/" + std::to_string(pid) + "/fd";
  DIR* d = opendir(dir.c_str());
  if (!d) return UniqueFd();
  UniqueFd found;
  while (dirent* e = readdir(d)) {
    char* end = nullptr;
    const long target = strtol(e->d_name, &end, 10);
    if (*end != '\0' || end == e->d_name) continue;
    UniqueFd copy(int(syscall(SYS_pidfd_getfd, pidfd.get(), int(target), 0)));
    if (copy.valid() && want(copy.get(), local_port, peer_port)) {
      found = std::move(copy);
      break;
    }
  }
  closedir(d);
  return found;
}

}  // namespace

UniqueFd socket_of_process(pid_t pid, uint16_t local_port, uint16_t peer_port) {
  return find_socket(pid, matches, local_port, peer_port);
}

UniqueFd connecting_socket_of_process(pid_t pid) { return find_socket(pid, connecting, 0, 0); }

std::optional<int> int_sockopt(int fd, int level, int name) {
  int v = 0;
  socklen_t len = sizeof v;
  if (getsockopt(fd, level, name, &v, &len) != 0) return std::nullopt;
  return v;
}

}  // namespace hearth::test
