// Drives Hearth's TLS server transport (net/tls_transport over net/tls_bio) as an
// accepted connection meets it: a Connection on one end of a socketpair, the
// handshake stepped as stream/tls_accept steps it, then rcv_buf, drain,
// snd_raw and shutw, with the event loop delivering the socket's readiness.
//
// Input layout: byte 0 is the mode, byte 1 the size of each write on the
// client's side (0 means 1), the rest is the payload.
//   mode bit 0 clear: the payload is the client's raw bytes on the wire (a
//     ClientHello, garbage, a cut record), then the client closes when bit 2
//     is set;
//   mode bit 0 set: a real OpenSSL client completes a handshake first; the
//     payload then goes as application data (bit 1 clear), every byte of which
//     must come out of rcv_buf in order, or as raw bytes after the handshake
//     (bit 1 set: corrupt records, which must end the connection in an error
//     or an EOF, never hand out bytes). Then the server answers, and what the
//     client reads must be the answer.
// The certificate is made once at start with `openssl req` in a temporary
// directory (no key is committed).
#include <openssl/err.h>
#include <openssl/ssl.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <memory>
#include <string>

#include "core/buffer.h"
#include "core/event_loop.h"
#include "net/connection.h"
#include "net/tls_transport.h"
#include "net/transport.h"

namespace {

using hearth::Buffer;
using hearth::EventLoop;
using hearth::net::Connection;
using hearth::net::HandshakeStatus;

void check(bool ok) {
  if (!ok) __builtin_trap();
}

struct Env {
  std::unique_ptr<hearth::net::Transport> server;
  SSL_CTX* client = nullptr;
  EventLoop loop;
};

// Returns: the shared transport and client context, made on first use.
Env& env() {
  static Env* e = [] {
    auto* made = new Env;
    char dir[] = "/tmp/hearth-tlsfuzz.XXXXXX";
    check(mkdtemp(dir) != nullptr);
    const std::string d = dir;
    const std::string cmd =
        "openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -days 2 "
        "-subj /CN=fuzz.local -keyout " +
        d + "/k.pem -out " + d + "/c.pem 2>/dev/null && cat " + d + "/c.pem " + d + "/k.pem > " +
        d + "/fuzz.pem";
    check(std::system(cmd.c_str()) == 0);
    hearth::net::TlsBindSettings s;
    hearth::net::TlsCertEntry cert;
    cert.path = d + "/fuzz.pem";
    s.certs.push_back(cert);
    s.alpn = {"h2", "http/1.1"};
    std::string err;
    made->server = hearth::net::make_tls_server_transport(s, &err);
    check(made->server != nullptr);
    std::system(("rm -rf " + d).c_str());
    made->client = SSL_CTX_new(TLS_client_method());
    check(made->client != nullptr);
    SSL_CTX_set_verify(made->client, SSL_VERIFY_NONE, nullptr);
    return made;
  }();
  return *e;
}

// The server end: one accepted connection and what it has read.
struct Server {
  Connection* conn = nullptr;
  Buffer in;
  HandshakeStatus hs = HandshakeStatus::kPending;
  std::string received;

  // Delivers readiness, then advances the handshake or reads. Returns:
  // whether anything moved.
  bool step(EventLoop& loop) {
    loop.run_once(0);
    hearth::net::Transport* x = conn->xprt;
    if (hs == HandshakeStatus::kPending) {
      hs = x->handshake(conn);
      if (hs == HandshakeStatus::kPending) check(x->handshake_wants(conn) != 0);
      return hs != HandshakeStatus::kPending;
    }
    if (hs != HandshakeStatus::kDone || (conn->flags & hearth::net::kConnError)) return false;
    const size_t n = x->rcv_buf(conn, in, Buffer::configured_size());
    check(n <= in.len());
    received.append(in.head(), in.len());
    in.consume(in.len());
    in.release_if_empty();
    return n > 0;
  }
};

// Writes `p` to the client's socket, `chunk` bytes at a time, stepping the
// server after each write. Returns: false once the socket refuses more.
bool send_raw(int fd, const uint8_t* p, size_t n, size_t chunk, Server& sv, EventLoop& loop) {
  for (size_t at = 0; at < n; at += chunk) {
    const size_t len = n - at < chunk ? n - at : chunk;
    if (send(fd, p + at, len, MSG_NOSIGNAL | MSG_DONTWAIT) != ssize_t(len)) return false;
    for (int i = 0; i < 4 && sv.step(loop);) ++i;
  }
  return true;
}

// Completes a handshake with a real client. Returns: whether both ends did.
bool handshake(SSL* cl, Server& sv, EventLoop& loop) {
  for (int i = 0; i < 64; ++i) {
    const int r = SSL_do_handshake(cl);
    sv.step(loop);
    if (r == 1 && sv.hs == HandshakeStatus::kDone) return true;
    if (r != 1 && SSL_get_error(cl, r) != SSL_ERROR_WANT_READ) return false;
    if (sv.hs == HandshakeStatus::kFailed) return false;
  }
  return false;
}

// Sends the payload as application data and checks it all arrives in order.
void exchange(SSL* cl, const uint8_t* p, size_t n, size_t chunk, Server& sv, EventLoop& loop) {
  size_t sent = 0;
  while (sent < n) {
    const size_t len = n - sent < chunk ? n - sent : chunk;
    size_t w = 0;
    if (SSL_write_ex(cl, p + sent, len, &w) != 1) break;
    sent += w;
    for (int i = 0; i < 4 && sv.step(loop);) ++i;
  }
  for (int i = 0; i < 64 && sv.received.size() < sent; ++i) sv.step(loop);
  check(sv.received.size() == sent);
  check(sv.received.compare(0, sent, reinterpret_cast<const char*>(p), sent) == 0);
  // Idle: a drain finds nothing (or the client's ticket acknowledgements).
  check(sv.conn->xprt->drain(sv.conn) != hearth::net::DrainResult::kError);
  static const char kAnswer[] = "HTTP/1.1 200 OK\r\ncontent-length: 0\r\n\r\n";
  const size_t out = sv.conn->xprt->snd_raw(sv.conn, kAnswer, sizeof kAnswer - 1);
  check(out == sizeof kAnswer - 1);
  std::string got;
  char buf[256];
  for (int i = 0; i < 16 && got.size() < out; ++i) {
    size_t r = 0;
    if (SSL_read_ex(cl, buf, sizeof buf, &r) == 1) got.append(buf, r);
  }
  check(got == std::string(kAnswer, out));
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  if (size < 2) return 0;
  Env& e = env();
  const uint8_t mode = data[0];
  const size_t chunk = data[1] ? data[1] : 1;
  data += 2;
  size -= 2;
  int fds[2];
  if (socketpair(AF_UNIX, SOCK_STREAM | SOCK_NONBLOCK, 0, fds) != 0) return 0;
  Server sv;
  sv.conn = Connection::create(&e.loop, fds[0], hearth::net::Address{}, 0);
  check(sv.conn != nullptr);
  if (!sv.conn->set_transport(e.server.get())) {
    sv.conn->destroy();
    close(fds[1]);
    return 0;
  }
  sv.step(e.loop);
  if (!(mode & 1)) {
    send_raw(fds[1], data, size, chunk, sv, e.loop);
    if (mode & 4) shutdown(fds[1], SHUT_WR);
    for (int i = 0; i < 8; ++i) sv.step(e.loop);
    if (sv.hs == HandshakeStatus::kDone) sv.conn->xprt->drain(sv.conn);
  } else {
    SSL* cl = SSL_new(e.client);
    check(cl != nullptr);
    SSL_set_fd(cl, fds[1]);
    SSL_set_connect_state(cl);
    if (handshake(cl, sv, e.loop)) {
      if (mode & 2) {
        const size_t before = sv.received.size();
        send_raw(fds[1], data, size, chunk, sv, e.loop);
        for (int i = 0; i < 8; ++i) sv.step(e.loop);
        // Forged records cannot authenticate: no byte of them comes out.
        check(sv.received.size() == before);
      } else {
        exchange(cl, data, size, chunk, sv, e.loop);
      }
    }
    SSL_free(cl);
    ERR_clear_error();
  }
  sv.conn->xprt->shutw(sv.conn);
  sv.in.release();
  sv.conn->destroy();
  close(fds[1]);
  e.loop.run_once(0);
  return 0;
}
