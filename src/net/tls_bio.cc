#include "net/tls_bio.h"

#include <sys/socket.h>

#include <cerrno>

#include "core/loop_activity.h"
#include "net/connection.h"
#include "net/transport.h"

namespace hearth::net {
namespace {

Connection* conn_of(BIO* b) { return static_cast<Connection*>(BIO_get_data(b)); }

// Reads into `out`. Returns: 1 with *done set, or 0 (BIO_should_retry tells
// "no bytes yet" from an EOF, errno 0, or a socket error).
int bio_read(BIO* b, char* out, size_t len, size_t* done) {
  Connection* c = conn_of(b);
  BIO_clear_retry_flags(b);
  if (!(c->flags & kConnRecvReady)) {  // drained: wait for the poller
    BIO_set_retry_read(b);
    errno = EAGAIN;
    return 0;
  }
  for (;;) {
    const ssize_t n = recv(c->fd(), out, len, 0);
    if (n > 0) {
      if (size_t(n) < len && short_read_drains(size_t(n), 0, recv_enough()) &&
          !(c->flags & kConnRdHup))
        c->flags &= ~kConnRecvReady;
      *done = size_t(n);
      return 1;
    }
    if (n == 0) {
      errno = 0;
      return 0;
    }
    if (errno == EINTR) continue;
    if (errno == EAGAIN || errno == EWOULDBLOCK) {
      c->flags &= ~kConnRecvReady;
      BIO_set_retry_read(b);
    }
    return 0;
  }
}

// Sends from `in`. Returns: 1 with *done set, or 0 (retry on a full socket).
int bio_write(BIO* b, const char* in, size_t len, size_t* done) {
  Connection* c = conn_of(b);
  BIO_clear_retry_flags(b);
  for (;;) {
    const ssize_t n = send(c->fd(), in, len, MSG_NOSIGNAL | MSG_DONTWAIT);
    if (n >= 0) {
      *done = size_t(n);
      note_bytes_out(uint64_t(n));
      return 1;
    }
    if (errno == EINTR) continue;
    if (errno == EAGAIN || errno == EWOULDBLOCK) {
      c->flags &= ~kConnSendReady;
      BIO_set_retry_write(b);
    }
    return 0;
  }
}

// Returns: 1 for a flush (nothing is buffered here), the socket for
// BIO_get_fd, 0 (unsupported) for anything else.
long bio_ctrl(BIO* b, int cmd, long, void* arg) {
  switch (cmd) {
    case BIO_CTRL_FLUSH:
      return 1;
    case BIO_C_GET_FD:
      if (arg) *static_cast<int*>(arg) = conn_of(b)->fd();
      return conn_of(b)->fd();
    default:
      return 0;
  }
}

// Returns: 1; the BIO is usable at once.
int bio_create(BIO* b) {
  BIO_set_init(b, 1);
  return 1;
}

// Returns: the method shared by every connection BIO (built once).
BIO_METHOD* method() {
  static BIO_METHOD* m = [] {
    BIO_METHOD* bm = BIO_meth_new(BIO_get_new_index() | BIO_TYPE_SOURCE_SINK, "hearth socket");
    if (!bm) return bm;
    BIO_meth_set_read_ex(bm, &bio_read);
    BIO_meth_set_write_ex(bm, &bio_write);
    BIO_meth_set_ctrl(bm, &bio_ctrl);
    BIO_meth_set_create(bm, &bio_create);
    return bm;
  }();
  return m;
}

}  // namespace

BIO* new_connection_bio(Connection* c) {
  BIO_METHOD* m = method();
  BIO* b = m ? BIO_new(m) : nullptr;
  if (b) BIO_set_data(b, c);
  return b;
}

}  // namespace hearth::net
