// The plain-socket transport.
#include <fcntl.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cerrno>
#include <string_view>

#include "core/loop_activity.h"
#include "net/connection.h"
#include "net/pipe_pool.h"
#include "net/transport.h"

namespace hearth::net {
namespace {

// After a send-side call (send, or splice out of a pipe) moved nothing:
// EINTR asks for another try (true); a full socket ends the writable state;
// anything else puts the connection in error.
bool retry_send(Connection* c, ssize_t n) {
  if (n < 0 && errno == EINTR) return true;
  if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK))
    c->flags &= ~kConnSendReady;
  else
    c->flags |= kConnError;
  return false;
}

size_t g_recv_enough = 0;  // tune.recv_enough

// Reads after short reads that one rcv_buf call may make (tune.recv_enough).
constexpr int kShortReadRetries = 3;

// A short read means the socket is drained, unless a FIN is pending: then keep
// reading so the EOF is seen (the edge for it may already have been consumed).
void after_short_read(Connection* c) {
  if (!(c->flags & kConnRdHup)) c->flags &= ~kConnRecvReady;
}

class RawTransport final : public Transport {
 public:
  const char* name() const override { return "raw"; }
  bool start(Connection*) override { return true; }
  void close(Connection*) override {}
  HandshakeStatus handshake(Connection*) override { return HandshakeStatus::kDone; }

  void wake(Connection* c, uint32_t events) override {
    if ((events & kWakeRecv) && c->recv_sub) {
      WaitEvent* w = c->recv_sub;
      c->recv_sub = nullptr;
      w->events &= ~kWakeRecv;
      c->loop()->wake(w->tasklet, kWakeRecv);
    }
    if ((events & kWakeSend) && c->send_sub) {
      WaitEvent* w = c->send_sub;
      c->send_sub = nullptr;
      w->events &= ~kWakeSend;
      c->loop()->wake(w->tasklet, kWakeSend);
    }
  }

  size_t rcv_buf(Connection* c, Buffer& buf, size_t max) override {
    size_t total = 0;
    int retries = 0;
    if (!buf.allocate()) return 0;
    while (total < max && (c->flags & kConnRecvReady) && !(c->flags & (kConnRdShut | kConnError))) {
      size_t room = buf.contiguous_room();
      if (room == 0) break;
      if (room > max - total) room = max - total;
      ssize_t n = recv(c->fd(), buf.tail(), room, 0);
      if (n > 0) {
        buf.commit(size_t(n));
        total += size_t(n);
        if (size_t(n) < room) {
          if (!short_read_drains(total, retries, g_recv_enough)) {
            ++retries;  // read again: the next recv finds more, or EAGAIN
            continue;
          }
          after_short_read(c);
          if (!(c->flags & kConnRdHup)) break;
        }
        continue;
      }
      if (n == 0) {
        c->flags |= kConnRdShut;
        break;
      }
      if (errno == EINTR) continue;
      if (errno == EAGAIN || errno == EWOULDBLOCK) {
        c->flags &= ~kConnRecvReady;
        break;
      }
      c->flags |= kConnError;
      break;
    }
    return total;
  }

  size_t snd_buf(Connection* c, Buffer& buf, size_t count) override {
    if (count > buf.len()) count = buf.len();
    size_t sent = snd_raw(c, buf.head(), count);
    buf.consume(sent);
    return sent;
  }

  size_t snd_raw(Connection* c, const char* p, size_t count) override {
    size_t sent = 0;
    while (sent < count && !(c->flags & (kConnError | kConnWrShut))) {
      ssize_t n = send(c->fd(), p + sent, count - sent, MSG_NOSIGNAL | MSG_DONTWAIT);
      if (n > 0) {
        sent += size_t(n);
        continue;
      }
      if (retry_send(c, n)) continue;
      break;
    }
    if (sent) note_bytes_out(sent);
    return sent;
  }

  void subscribe(Connection* c, uint32_t events, WaitEvent* w) override {
    if (events & kWakeRecv) {
      w->events |= kWakeRecv;
      c->recv_sub = w;
      if (c->flags & (kConnRecvReady | kConnError)) {
        c->recv_sub = nullptr;
        w->events &= ~kWakeRecv;
        c->loop()->wake(w->tasklet, kWakeRecv);
      }
    }
    if (events & kWakeSend) {
      w->events |= kWakeSend;
      c->send_sub = w;
      if (c->flags & (kConnSendReady | kConnError)) {
        c->send_sub = nullptr;
        w->events &= ~kWakeSend;
        c->loop()->wake(w->tasklet, kWakeSend);
      }
    }
  }

  void unsubscribe(Connection* c, uint32_t events, WaitEvent* w) override {
    if ((events & kWakeRecv) && c->recv_sub == w) c->recv_sub = nullptr;
    if ((events & kWakeSend) && c->send_sub == w) c->send_sub = nullptr;
    w->events &= ~events;
  }

  DrainResult drain(Connection* c) override {
    char scratch[1024];
    DrainResult r = DrainResult::kEmpty;
    for (;;) {
      ssize_t n = recv(c->fd(), scratch, sizeof scratch, 0);
      if (n > 0) {
        r = DrainResult::kData;
        continue;
      }
      if (n == 0) {
        c->flags |= kConnRdShut;
        return DrainResult::kEof;
      }
      if (errno == EINTR) continue;
      if (errno == EAGAIN || errno == EWOULDBLOCK) {
        c->flags &= ~kConnRecvReady;
        return r;
      }
      c->flags |= kConnError;
      return DrainResult::kError;
    }
  }

  void shutw(Connection* c) override {
    if (c->flags & kConnWrShut) return;
    c->flags |= kConnWrShut;
    shutdown(c->fd(), SHUT_WR);
  }

  void shutr(Connection* c) override { shutdown(c->fd(), SHUT_RD); }

  bool can_splice() const override { return true; }

  size_t rcv_pipe(Connection* c, Pipe* p, size_t max) override {
    size_t total = 0;
    if (max > p->capacity - p->data) max = p->capacity - p->data;
    while (total < max && (c->flags & kConnRecvReady) && !(c->flags & (kConnRdShut | kConnError))) {
      const ssize_t n =
          splice(c->fd(), nullptr, p->wr, nullptr, max - total, SPLICE_F_MOVE | SPLICE_F_NONBLOCK);
      if (n > 0) {
        p->data += size_t(n);
        total += size_t(n);
        continue;
      }
      if (n == 0) {
        c->flags |= kConnRdShut;
        break;
      }
      if (errno == EINTR) continue;
      // EAGAIN means an empty socket or a full pipe; only the first ends the
      // socket's readiness (an empty pipe cannot be full).
      if (errno == EAGAIN || errno == EWOULDBLOCK) {
        if (p->data == 0) c->flags &= ~kConnRecvReady;
        break;
      }
      c->flags |= kConnError;
      break;
    }
    count_spliced(total);
    return total;
  }

  size_t snd_pipe(Connection* c, Pipe* p) override {
    size_t sent = 0;
    while (p->data > 0 && !(c->flags & (kConnError | kConnWrShut))) {
      const ssize_t n =
          splice(p->rd, nullptr, c->fd(), nullptr, p->data, SPLICE_F_MOVE | SPLICE_F_NONBLOCK);
      if (n > 0) {
        p->data -= size_t(n);
        sent += size_t(n);
        continue;
      }
      if (retry_send(c, n)) continue;
      break;
    }
    if (sent) note_bytes_out(sent);
    return sent;
  }
};

}  // namespace

Transport* raw_transport() {
  static RawTransport t;
  return &t;
}

Transport* find_transport(const char* name) {
  if (std::string_view(name) == raw_transport()->name()) return raw_transport();
  return nullptr;
}

void set_recv_enough(size_t n) { g_recv_enough = n; }
size_t recv_enough() { return g_recv_enough; }

bool short_read_drains(size_t total, int retries, size_t n) {
  return total >= n || retries >= kShortReadRetries;
}

}  // namespace hearth::net
