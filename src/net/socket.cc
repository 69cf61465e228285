#include "net/socket.h"

#include <fcntl.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

namespace hearth::net {

bool set_nonblock(int fd) {
  int fl = fcntl(fd, F_GETFL);
  return fl >= 0 && fcntl(fd, F_SETFL, fl | O_NONBLOCK) == 0;
}

void set_nodelay(int fd) {
  int one = 1;
  setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
}

namespace {

// The options that must be set before bind(). Returns: false with *err.
bool set_pre_bind_options(int fd, const Address& a, const ListenOptions& o, std::string* err) {
  const int one = 1;
  const bool v6 = a.family() == AF_INET6;
  auto fail = [&](const char* what) {
    *err = std::string(what) + ": " + strerror(errno);
    return false;
  };
  if (v6 && o.v6only >= 0 &&
      setsockopt(fd, IPPROTO_IPV6, IPV6_V6ONLY, &o.v6only, sizeof o.v6only) != 0)
    return fail("IPV6_V6ONLY");
  if (o.transparent && (v6 ? setsockopt(fd, IPPROTO_IPV6, IPV6_TRANSPARENT, &one, sizeof one)
                           : setsockopt(fd, IPPROTO_IP, IP_TRANSPARENT, &one, sizeof one)) != 0)
    return fail("cannot make the socket transparent");
  if (!o.interface.empty() && setsockopt(fd, SOL_SOCKET, SO_BINDTODEVICE, o.interface.data(),
                                         socklen_t(o.interface.size())) != 0)
    return fail(("cannot bind to interface '" + o.interface + "'").c_str());
  if (o.mss != 0) {
    int mss = o.mss;
    if (mss < 0) {  // reduce what the kernel would advertise
      socklen_t len = sizeof mss;
      int cur = 0;
      if (getsockopt(fd, IPPROTO_TCP, TCP_MAXSEG, &cur, &len) != 0) return fail("TCP_MAXSEG");
      mss = cur + o.mss;
    }
    if (mss <= 0 || setsockopt(fd, IPPROTO_TCP, TCP_MAXSEG, &mss, sizeof mss) != 0)
      return fail("cannot set the MSS");
  }
  if (o.tcp_ut_ms > 0 &&
      setsockopt(fd, IPPROTO_TCP, TCP_USER_TIMEOUT, &o.tcp_ut_ms, sizeof o.tcp_ut_ms) != 0)
    return fail("TCP_USER_TIMEOUT");
  if (o.defer_accept) {
    const int secs = 1;  // accept once data came, or after the first retransmit
    if (setsockopt(fd, IPPROTO_TCP, TCP_DEFER_ACCEPT, &secs, sizeof secs) != 0)
      return fail("TCP_DEFER_ACCEPT");
  }
  if (o.tfo && setsockopt(fd, IPPROTO_TCP, TCP_FASTOPEN, &o.backlog, sizeof o.backlog) != 0)
    return fail("TCP_FASTOPEN");
  return true;
}

}  // namespace

int make_listener(const Address& a, const ListenOptions& o, std::string* err) {
  if (a.is_unix()) return make_unix_listener(a, o.unix_perms, o.backlog, SOCK_NONBLOCK, err);
  int fd = socket(a.family(), SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
  if (fd < 0) {
    *err = std::string("socket: ") + strerror(errno);
    return -1;
  }
  int one = 1;
  setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
  if (o.reuseport) setsockopt(fd, SOL_SOCKET, SO_REUSEPORT, &one, sizeof one);
  if (!set_pre_bind_options(fd, a, o, err)) {
    close(fd);
    return -1;
  }
  if (bind(fd, a.sa(), a.len) != 0) {
    *err = "cannot bind " + a.str() + ": " + strerror(errno);
    close(fd);
    return -1;
  }
  if (listen(fd, o.backlog) != 0) {
    *err = "cannot listen on " + a.str() + ": " + strerror(errno);
    close(fd);
    return -1;
  }
  // Set once listening (listen() resets it): the kernel then holds the ACK
  // of a request on the accepted connections.
  const int zero = 0;
  if (o.delay_ack) setsockopt(fd, IPPROTO_TCP, TCP_QUICKACK, &zero, sizeof zero);
  return fd;
}

void set_buffers(int fd, int sndbuf, int rcvbuf) {
  if (sndbuf > 0) setsockopt(fd, SOL_SOCKET, SO_SNDBUF, &sndbuf, sizeof sndbuf);
  if (rcvbuf > 0) setsockopt(fd, SOL_SOCKET, SO_RCVBUF, &rcvbuf, sizeof rcvbuf);
}

void apply_sock_options(int fd, const SockOptions& o) {
  const int one = 1, zero = 0;
  if (o.keepalive) {
    setsockopt(fd, SOL_SOCKET, SO_KEEPALIVE, &one, sizeof one);
    if (o.ka_idle_s) setsockopt(fd, IPPROTO_TCP, TCP_KEEPIDLE, &o.ka_idle_s, sizeof o.ka_idle_s);
    if (o.ka_intvl_s)
      setsockopt(fd, IPPROTO_TCP, TCP_KEEPINTVL, &o.ka_intvl_s, sizeof o.ka_intvl_s);
    if (o.ka_cnt) setsockopt(fd, IPPROTO_TCP, TCP_KEEPCNT, &o.ka_cnt, sizeof o.ka_cnt);
  }
  // Linux keeps delaying the handshake's last ACK so that it leaves with the
  // first bytes sent, which is the point of tcp-smart-connect.
  if (o.delay_ack) setsockopt(fd, IPPROTO_TCP, TCP_QUICKACK, &zero, sizeof zero);
}

int start_connect(const Address& a, int* err_no, const ConnectOptions& o, const SockOptions* so) {
  int fd = socket(a.family(), SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
  if (fd < 0) {
    *err_no = errno;
    return -1;
  }
  if (a.is_unix()) {
    set_buffers(fd, o.sndbuf, o.rcvbuf);
    const NativeAddr n = a.native();
    // A full listen queue fails at once with EAGAIN: an error like any other.
    if (connect(fd, n.sa(), n.len) != 0 && errno != EINPROGRESS) {
      *err_no = errno;
      close(fd);
      return -1;
    }
    *err_no = 0;
    return fd;
  }
  set_nodelay(fd);
  set_buffers(fd, o.sndbuf, o.rcvbuf);
  int one = 1;
  // With TCP_FASTOPEN_CONNECT the connect returns at once and the SYN leaves
  // with the first data written, carrying it when the server gave a cookie.
  if (o.tfo) setsockopt(fd, IPPROTO_TCP, TCP_FASTOPEN_CONNECT, &one, sizeof one);
  if (o.has_source) {
    // A fixed source port may still be in TIME_WAIT from the last connection.
    if (o.source.port() != 0) setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
    if (bind(fd, o.source.sa(), o.source.len) != 0) {
      *err_no = errno;
      close(fd);
      return -1;
    }
  }
  if (so) apply_sock_options(fd, *so);
  if (connect(fd, a.sa(), a.len) != 0 && errno != EINPROGRESS) {
    *err_no = errno;
    close(fd);
    return -1;
  }
  *err_no = 0;
  return fd;
}

int socket_error(int fd) {
  int e = 0;
  socklen_t len = sizeof e;
  if (getsockopt(fd, SOL_SOCKET, SO_ERROR, &e, &len) != 0) return errno;
  return e;
}

void close_with_reset(int fd) {
  linger l{1, 0};
  setsockopt(fd, SOL_SOCKET, SO_LINGER, &l, sizeof l);
  close(fd);
}

void prepare_silent_drop(int fd) {
  int zero = 0, one = 1;
  setsockopt(fd, IPPROTO_TCP, TCP_QUICKACK, &zero, sizeof zero);
  linger l{1, 0};
  setsockopt(fd, SOL_SOCKET, SO_LINGER, &l, sizeof l);
  // Needs CAP_NET_ADMIN; a socket in repair mode is closed without a segment.
  if (setsockopt(fd, IPPROTO_TCP, TCP_REPAIR, &one, sizeof one) == 0) return;
  sockaddr_storage ss{};
  socklen_t len = sizeof ss;
  if (getsockname(fd, reinterpret_cast<sockaddr*>(&ss), &len) != 0) return;
  if (ss.ss_family == AF_INET) setsockopt(fd, IPPROTO_IP, IP_TTL, &one, sizeof one);
  if (ss.ss_family == AF_INET6) setsockopt(fd, IPPROTO_IPV6, IPV6_UNICAST_HOPS, &one, sizeof one);
}

}  // namespace hearth::net
