#include "net/socks4.h"

#include <netinet/in.h>
#include <sys/socket.h>

#include <cerrno>
#include <cstring>

#include "net/connection.h"

namespace hearth::net {

Pool<Socks4Out>& Socks4Out::pool() {
  static Pool<Socks4Out> p("socks4_handshake");
  return p;
}

bool queue_socks4_connect(Connection* c, const Address& server) {
  if (server.family() != AF_INET) return false;
  Socks4Out* s = Socks4Out::pool().create();
  if (!s) return false;
  const sockaddr_in& in = server.ss.v4;
  s->request[0] = 4;  // version
  s->request[1] = 1;  // CONNECT
  std::memcpy(s->request + 2, &in.sin_port, 2);
  std::memcpy(s->request + 4, &in.sin_addr, 4);
  std::memcpy(s->request + 8, "HAProxy", 8);  // the user id, NUL-terminated
  Socks4Out::pool().destroy(c->socks4);
  c->socks4 = s;
  return true;
}

namespace {
Socks4Status failed(Socks4Out* s, Socks4Out::Failure why, int err = 0) {
  s->failure = why;
  s->err = err;
  return Socks4Status::kFailed;
}
}  // namespace

Socks4Status socks4_step(Connection* c) {
  Socks4Out* s = c->socks4;
  if (s->failure != Socks4Out::Failure::kNone) return Socks4Status::kFailed;
  while (s->sent < Socks4Out::kRequestLen) {
    const ssize_t n =
        send(c->fd(), s->request + s->sent, Socks4Out::kRequestLen - s->sent, MSG_NOSIGNAL);
    if (n > 0) {
      s->sent = uint8_t(s->sent + n);
      continue;
    }
    if (n < 0 && errno == EINTR) continue;
    if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK)) {
      c->flags &= ~kConnSendReady;
      return Socks4Status::kWantSend;
    }
    return failed(s, Socks4Out::Failure::kSend, errno);
  }
  // Exactly the reply: what the server says next belongs to the transport.
  while (s->got < Socks4Out::kReplyLen) {
    const ssize_t n = recv(c->fd(), s->reply + s->got, Socks4Out::kReplyLen - s->got, 0);
    if (n > 0) {
      s->got = uint8_t(s->got + n);
      continue;
    }
    // As HAProxy: a proxy that hangs up is a read error too.
    if (n == 0) return failed(s, Socks4Out::Failure::kRecv);
    if (errno == EINTR) continue;
    if (errno == EAGAIN || errno == EWOULDBLOCK) {
      c->flags &= ~kConnRecvReady;
      return Socks4Status::kWantRecv;
    }
    return failed(s, Socks4Out::Failure::kRecv, errno);
  }
  // 0x5A: request granted (the version byte is not checked: proxies differ).
  if (s->reply[1] != 0x5A) return failed(s, Socks4Out::Failure::kDeny);
  Socks4Out::pool().destroy(s);
  c->socks4 = nullptr;
  return Socks4Status::kDone;
}

std::string socks4_failure(const Connection* c) {
  if (!c->socks4) return "";
  const Socks4Out& s = *c->socks4;
  std::string why;
  switch (s.failure) {
    case Socks4Out::Failure::kNone:
      return "";
    case Socks4Out::Failure::kSend:
      why = "SOCKS4 Proxy write error during handshake";
      break;
    case Socks4Out::Failure::kRecv:
      why = "SOCKS4 Proxy read error during handshake";
      break;
    case Socks4Out::Failure::kDeny:
      why = "SOCKS4 Proxy deny the request";
      break;
  }
  if (s.err) why += std::string(" (") + std::strerror(s.err) + ")";
  return why;
}

}  // namespace hearth::net
