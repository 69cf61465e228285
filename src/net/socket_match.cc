#include "net/socket_match.h"

#include <net/if.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cstring>

namespace hearth::net {
namespace {

// Returns: true if a socket bound under the name `bound` serves `path`: the
// same name, or the temporary name bind_unix_listener renamed to `path`
// ("PATH.PID.tmp", which getsockname(2) still reports).
bool bound_name_matches(std::string_view bound, std::string_view path) {
  if (bound == path) return true;
  if (path.empty() || path[0] == '\0' || bound.size() <= path.size() + 5) return false;
  if (bound.substr(0, path.size()) != path || bound.substr(bound.size() - 4) != ".tmp")
    return false;
  const std::string_view pid = bound.substr(path.size() + 1, bound.size() - path.size() - 5);
  if (bound[path.size()] != '.' || pid.empty()) return false;
  for (char c : pid)
    if (c < '0' || c > '9') return false;
  return true;
}

// Returns: the integer value of an option, or `fallback` when unreadable.
int int_option(int fd, int level, int name, int fallback = -1) {
  int v = 0;
  socklen_t len = sizeof v;
  return getsockopt(fd, level, name, &v, &len) == 0 ? v : fallback;
}

bool same_address(int fd, const Address& a) {
  if (a.is_unix()) {  // the path the socket was bound to (a temporary name renamed since)
    sockaddr_storage st{};
    socklen_t len = sizeof st;
    if (getsockname(fd, reinterpret_cast<sockaddr*>(&st), &len) != 0) return false;
    const Address b = Address::from(reinterpret_cast<sockaddr*>(&st), len);
    return b.is_unix() && bound_name_matches(b.unix_path(), a.unix_path());
  }
  Address::Storage ss{};
  socklen_t len = sizeof ss;
  if (getsockname(fd, &ss.sa, &len) != 0 || ss.sa.sa_family != a.family()) return false;
  if (a.family() == AF_INET)
    return ss.v4.sin_port == a.ss.v4.sin_port && ss.v4.sin_addr.s_addr == a.ss.v4.sin_addr.s_addr;
  if (a.family() == AF_INET6)
    return ss.v6.sin6_port == a.ss.v6.sin6_port &&
           std::memcmp(&ss.v6.sin6_addr, &a.ss.v6.sin6_addr, sizeof ss.v6.sin6_addr) == 0 &&
           ss.v6.sin6_scope_id == a.ss.v6.sin6_scope_id;
  return false;
}

// Returns: what a new socket of this family reads for (level, name): the
// system's default, for the options a bind line may leave unset.
int fresh_default(int family, int level, int name) {
  const int s = socket(family, SOCK_STREAM | SOCK_CLOEXEC, 0);
  if (s < 0) return -1;
  const int v = int_option(s, level, name);
  close(s);
  return v;
}

std::string bound_device(int fd) {
  char name[IFNAMSIZ + 1] = {};
  socklen_t len = IFNAMSIZ;
  if (getsockopt(fd, SOL_SOCKET, SO_BINDTODEVICE, name, &len) != 0) return "";
  return std::string(name, strnlen(name, len));
}

// The MSS make_listener sets: the value, the default reduced by -mss, or the default.
int expected_mss(int family, int mss) {
  if (mss > 0) return mss;
  return fresh_default(family, IPPROTO_TCP, TCP_MAXSEG) + mss;
}

}  // namespace

bool listener_matches(int fd, const Address& a, const ListenOptions& o) {
  if (int_option(fd, SOL_SOCKET, SO_TYPE) != SOCK_STREAM ||
      int_option(fd, SOL_SOCKET, SO_ACCEPTCONN) != 1 || !same_address(fd, a))
    return false;
  // A UNIX socket has none of the TCP options below.
  if (a.is_unix()) return true;
  const bool v6 = a.family() == AF_INET6;
  if ((int_option(fd, SOL_SOCKET, SO_REUSEPORT) > 0) != o.reuseport) return false;
  if (v6) {
    const int want = o.v6only >= 0 ? o.v6only : fresh_default(AF_INET6, IPPROTO_IPV6, IPV6_V6ONLY);
    if ((int_option(fd, IPPROTO_IPV6, IPV6_V6ONLY) > 0) != (want > 0)) return false;
  }
  const int transparent = v6 ? int_option(fd, IPPROTO_IPV6, IPV6_TRANSPARENT)
                             : int_option(fd, IPPROTO_IP, IP_TRANSPARENT);
  if ((transparent > 0) != o.transparent) return false;
  if (bound_device(fd) != o.interface) return false;
  if (int_option(fd, IPPROTO_TCP, TCP_MAXSEG) != expected_mss(a.family(), o.mss)) return false;
  if (int_option(fd, IPPROTO_TCP, TCP_USER_TIMEOUT, 0) != (o.tcp_ut_ms > 0 ? o.tcp_ut_ms : 0))
    return false;
  if ((int_option(fd, IPPROTO_TCP, TCP_DEFER_ACCEPT, 0) > 0) != o.defer_accept) return false;
  return (int_option(fd, IPPROTO_TCP, TCP_FASTOPEN, 0) > 0) == o.tfo;
}

bool relisten(int fd, const ListenOptions& o) {
  if (listen(fd, o.backlog) != 0) return false;
  const int zero = 0;  // as make_listener: set once listening, since listen(2) resets it
  if (o.delay_ack) setsockopt(fd, IPPROTO_TCP, TCP_QUICKACK, &zero, sizeof zero);
  return true;
}

}  // namespace hearth::net
