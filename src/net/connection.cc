#include "net/connection.h"

#include <sys/epoll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <atomic>
#include <cassert>

#include "net/proxy_out.h"
#include "net/socket.h"
#include "net/socks4.h"
#include "net/transport.h"

namespace hearth::net {
namespace {
std::atomic<uint64_t> g_live{0};
}

Pool<Connection>& Connection::pool() {
  static Pool<Connection> p("connection");
  return p;
}

uint64_t Connection::live_count() { return g_live.load(std::memory_order_relaxed); }

Connection* Connection::create(EventLoop* loop, int fd, const Address& peer, uint32_t flags) {
  Connection* c = pool().create(loop, fd, peer);
  if (!c) {
    close(fd);
    return nullptr;
  }
  c->flags = flags;
  // Edge-triggered: one registration for the whole life of the socket; readiness
  // is tracked in flags and cleared when a read or write comes up short.
  if (!loop->add_fd(fd, EPOLLIN | EPOLLOUT | EPOLLRDHUP | EPOLLET, c)) {
    close(fd);
    pool().destroy(c);
    return nullptr;
  }
  g_live.fetch_add(1, std::memory_order_relaxed);
  return c;
}

Connection* Connection::connect_to(EventLoop* loop, const Address& addr, Transport* xprt,
                                   int* err_no, const ConnectOptions& o, const SockOptions* opts) {
  *err_no = 0;
  int fd = start_connect(addr, err_no, o, opts);
  if (fd < 0) return nullptr;
  const uint32_t linger = opts && opts->nolinger ? uint32_t(kConnNoLinger) : 0u;
  Connection* c = create(loop, fd, addr, kConnConnecting | kConnOutgoing | linger);
  if (c && !c->set_transport(xprt)) {
    c->destroy();
    return nullptr;
  }
  return c;
}

bool Connection::set_transport(Transport* t) {
  xprt = t;
  if (t->start(this)) return true;
  xprt = nullptr;
  return false;
}

bool Connection::reusable() const {
  return !(flags & (kConnError | kConnRdShut | kConnWrShut | kConnRdHup));
}

void Connection::destroy() {
  assert(!idle_hook.linked() && "connection freed while still in an idle list");
  if (idle_hook.linked()) unlink_idle();  // release builds: never leave a dangling link
  assert(!mux && "the mux tears itself down before its connection");
  if (on_destroy) on_destroy(this, on_destroy_ctx);
  if (recv_sub) recv_sub->events &= ~kWakeRecv;
  if (send_sub) send_sub->events &= ~kWakeSend;
  if (xprt) xprt->close(this);
  ProxyOut::pool().destroy(pp_out);
  Socks4Out::pool().destroy(socks4);
  loop_->del_fd(fd_);
  if ((flags & kConnNoLinger) && !(flags & (kConnRdShut | kConnWrShut))) {
    linger l{1, 0};
    setsockopt(fd_, SOL_SOCKET, SO_LINGER, &l, sizeof l);
  } else if (!(flags & (kConnOutgoing | kConnRdShut | kConnError))) {
    // As HAProxy drains a client's socket before closing it: bytes the
    // client sent that nobody read would make the kernel answer the close
    // with a reset instead of a FIN. One call discards what is queued.
    ::recv(fd_, nullptr, 1 << 20, MSG_DONTWAIT | MSG_TRUNC);
  }
  close(fd_);
  g_live.fetch_sub(1, std::memory_order_relaxed);
  pool().destroy(this);
}

ConnectStatus Connection::connect_status() {
  if (flags & kConnConnected) return ConnectStatus::kEstablished;
  if (flags & kConnError) return ConnectStatus::kFailed;
  if (!(flags & kConnSendReady)) return ConnectStatus::kPending;
  connect_errno_ = socket_error(fd_);
  if (connect_errno_ != 0) {
    flags |= kConnError;
    return ConnectStatus::kFailed;
  }
  // Through a SOCKS4 proxy, the tunnel first; then a PROXY header, ahead of
  // the TLS handshake.
  if (socks4) switch (socks4_step(this)) {
      case Socks4Status::kWantSend:
      case Socks4Status::kWantRecv:
        return ConnectStatus::kPending;
      case Socks4Status::kFailed:
        flags |= kConnError;
        return ConnectStatus::kFailed;
      case Socks4Status::kDone:
        break;
    }
  if (pp_out) switch (send_proxy_out(this)) {
      case ProxySendStatus::kPending:
        return ConnectStatus::kPending;
      case ProxySendStatus::kFailed:
        flags |= kConnError;
        return ConnectStatus::kFailed;
      case ProxySendStatus::kDone:
        break;
    }
  switch (xprt->handshake(this)) {
    case HandshakeStatus::kPending:
      return ConnectStatus::kPending;
    case HandshakeStatus::kFailed:
      flags |= kConnError;
      return ConnectStatus::kFailed;
    case HandshakeStatus::kDone:
      break;
  }
  flags = (flags & ~kConnConnecting) | kConnConnected;
  return ConnectStatus::kEstablished;
}

uint32_t Connection::connect_wants() const {
  if (socks4) return socks4->sent < Socks4Out::kRequestLen ? kWakeSend : kWakeRecv;
  if (pp_out) return kWakeSend;
  return xprt ? xprt->handshake_wants(this) : 0;
}

// Readiness goes into the flags; then the transport decides whom to wake.
void Connection::on_fd_event(uint32_t ev) {
  uint32_t ready = 0;
  if (ev & EPOLLRDHUP) flags |= kConnRdHup;
  if (ev & (EPOLLERR | EPOLLHUP)) flags |= kConnRdHup;
  if (ev & (EPOLLIN | EPOLLRDHUP | EPOLLHUP | EPOLLERR)) {
    flags |= kConnRecvReady;
    ready |= kWakeRecv;
  }
  if (ev & (EPOLLOUT | EPOLLHUP | EPOLLERR)) {
    flags |= kConnSendReady;
    ready |= kWakeSend;
  }
  if (ready && xprt) xprt->wake(this, ready);
}

}  // namespace hearth::net
