#include "net/tls_transport.h"

#include <openssl/err.h>
#include <openssl/ssl.h>
#include <sys/socket.h>

#include <algorithm>
#include <cerrno>

#include "core/pool.h"
#include "net/connection.h"
#include "net/hello_capture.h"
#include "net/tls_bind_registry.h"
#include "net/tls_bio.h"
#include "net/tls_client_context.h"
#include "net/tls_context.h"
#include "net/tls_stats.h"

namespace hearth::net {
namespace {

// A connection's TLS state (Connection::xprt_ctx).
struct TlsConn {
  SSL* ssl = nullptr;
  // The context ssl was made from, kept while the connection lives (a
  // context replaced at runtime included): an accepted connection's, or
  // (cctx) a server connection's.
  std::shared_ptr<TlsServerContext> ctx;
  std::shared_ptr<TlsClientContext> cctx;
  uint32_t hs_wants = 0;          // what a pending handshake waits for
  bool read_wants_write = false;  // the last read stopped on a blocked write
  bool write_wants_read = false;  // the last write stopped on an empty socket
  bool rx_inside = false;         // OpenSSL may hold readable records (read-ahead)
  bool fatal = false;             // a TLS error: no close_notify may follow
  bool socket_error = false;      // the socket failed (not the TLS exchange)
  bool peer_alert = false;        // the peer ended the session with a fatal alert
  bool app_data = false;          // application data was read
  int verify_depth = -1;          // where client certificate verification failed
  TlsVerifyErrors verify_errors;  // the first error at depth 0 and above (ignored or not)
  unsigned long ssl_err = 0;      // the first OpenSSL error (ssl_fc_err)
  TlsFailure failure = TlsFailure::kNone;
};

Pool<TlsConn>& tls_pool() {
  static Pool<TlsConn> p("tls_conn");
  return p;
}

TlsConn* state(const Connection* c) { return static_cast<TlsConn*>(c->xprt_ctx); }

// What an OpenSSL call that did not succeed needs.
enum class Want { kRead, kWrite, kEof, kError };

// Classifies the failed call's result `ret` and updates c's readiness: an
// empty socket ends kConnRecvReady, a full one kConnSendReady. An EOF without
// close_notify counts as an EOF (as HAProxy). Returns: what it found.
Want classify(Connection* c, TlsConn* t, int ret) {
  const int saved_errno = errno;
  switch (SSL_get_error(t->ssl, ret)) {
    case SSL_ERROR_WANT_READ:
      c->flags &= ~kConnRecvReady;
      return Want::kRead;
    case SSL_ERROR_WANT_WRITE:
      c->flags &= ~kConnSendReady;
      return Want::kWrite;
    case SSL_ERROR_ZERO_RETURN:
      return Want::kEof;
    case SSL_ERROR_SYSCALL:
      ERR_clear_error();
      t->fatal = true;
      if (saved_errno == 0) return Want::kEof;
      t->socket_error = true;
      return Want::kError;
    default: {
      const unsigned long e = ERR_peek_last_error();
      ERR_clear_error();
      t->fatal = true;
      if (!t->ssl_err) t->ssl_err = e;
      if (ERR_GET_LIB(e) == ERR_LIB_SSL && ERR_GET_REASON(e) == SSL_R_UNEXPECTED_EOF_WHILE_READING)
        return Want::kEof;
      // OpenSSL reports an alert received as reason SSL_AD_REASON_OFFSET + its number.
      if (ERR_GET_LIB(e) == ERR_LIB_SSL && ERR_GET_REASON(e) >= SSL_AD_REASON_OFFSET &&
          ERR_GET_REASON(e) < SSL_AD_REASON_OFFSET + 256)
        t->peer_alert = true;
      return Want::kError;
    }
  }
}

// Records the depth at which a client certificate failed verification, so
// that the failure says whether the certificate or its chain was refused.
int on_verify(int ok, X509_STORE_CTX* store) {
  if (ok) return ok;
  auto* ssl =
      static_cast<SSL*>(X509_STORE_CTX_get_ex_data(store, SSL_get_ex_data_X509_STORE_CTX_idx()));
  auto* t = static_cast<TlsConn*>(SSL_get_app_data(ssl));
  if (!t) return ok;
  const int depth = X509_STORE_CTX_get_error_depth(store);
  const int err = X509_STORE_CTX_get_error(store);
  TlsVerifyErrors& e = t->verify_errors;
  if (depth == 0 && !e.crt_err) e.crt_err = err;
  if (depth > 0 && !e.ca_err) e.ca_err = err, e.ca_err_depth = depth;
  // crt-ignore-err / ca-ignore-err: the handshake goes on, and the result
  // (ssl_c_verify) keeps the error.
  if (t->ctx) {
    const TlsBindSettings& s = t->ctx->settings();
    const bool all = depth == 0 ? s.crt_ignore_all : s.ca_ignore_all;
    const std::vector<int>& ids = depth == 0 ? s.crt_ignore : s.ca_ignore;
    if (all || std::find(ids.begin(), ids.end(), err) != ids.end()) {
      ERR_clear_error();
      return 1;
    }
  }
  if (t->verify_depth < 0) t->verify_depth = depth;
  return ok;
}

// Wakes the subscriber of `ev` (kWakeRecv or kWakeSend), if there is one.
void wake_sub(Connection* c, uint32_t ev) {
  WaitEvent*& sub = ev == kWakeRecv ? c->recv_sub : c->send_sub;
  if (!sub) return;
  WaitEvent* w = sub;
  sub = nullptr;
  w->events &= ~ev;
  c->loop()->wake(w->tasklet, ev);
}

// One transport per bind line (accepting, with server_) or per server
// (connecting, with client_); the I/O is the same either way.
class TlsTransport final : public Transport {
 public:
  // A bind line: its state is in the registry while the transport lives.
  explicit TlsTransport(std::unique_ptr<TlsBindState> state) : server_(std::move(state)) {
    TlsBindRegistry::instance().add(server_.get());
  }
  // A server's client side: in the registry too.
  explicit TlsTransport(std::unique_ptr<TlsClientState> state) : client_(std::move(state)) {
    TlsBindRegistry::instance().add_client(client_.get());
  }
  ~TlsTransport() override {
    if (server_) TlsBindRegistry::instance().remove(server_.get());
    if (client_) TlsBindRegistry::instance().remove_client(client_.get());
  }
  const char* name() const override { return "ssl"; }
  bool connecting() const { return client_ != nullptr; }
  void forget_client() {
    if (client_) TlsBindRegistry::instance().remove_client(client_.get());
  }

  bool start(Connection* c) override {
    TlsConn* t = tls_pool().create();
    if (!t) return false;
    if (server_) {
      t->ctx = server_->current();
      t->ssl = t->ctx->new_ssl();
      if (t->ssl) watch_client_hello(t->ssl);
    } else {
      t->cctx = client_->current();
      t->ssl = t->cctx->new_ssl();
    }
    BIO* bio = t->ssl ? new_connection_bio(c) : nullptr;
    if (!bio) {
      if (t->ssl) SSL_free(t->ssl);
      tls_pool().destroy(t);  // drops the contexts it held
      ERR_clear_error();
      return false;
    }
    SSL_set_bio(t->ssl, bio, bio);
    // Whole socket reads (see tls_bio.h); records read ahead are tracked by rx_inside.
    SSL_set_read_ahead(t->ssl, 1);
    SSL_set_app_data(t->ssl, t);
    SSL_set_verify(t->ssl, SSL_get_verify_mode(t->ssl), &on_verify);
    if (server_)
      SSL_set_accept_state(t->ssl);
    else
      SSL_set_connect_state(t->ssl);
    c->xprt_ctx = t;
    note_tls_conn_start(server_ != nullptr, c->loop()->now_ms());
    return true;
  }

  // A server connection we close while it is sound (an idle one retired, one
  // that carried its last exchange) says close_notify first, once. An
  // accepted one that ended cleanly keeps its session resumable.
  void close(Connection* c) override {
    TlsConn* t = state(c);
    if (!t) return;
    constexpr uint32_t kNotSound = kConnError | kConnWrShut | kConnRdShut | kConnRdHup;
    if (client_ && SSL_is_init_finished(t->ssl) && !t->fatal && !(c->flags & kNotSound)) {
      ERR_clear_error();
      SSL_shutdown(t->ssl);
      ERR_clear_error();
    } else if (server_ && SSL_is_init_finished(t->ssl) && !t->fatal) {
      // An accepted connection that ended cleanly (the client's close_notify,
      // or ours already sent): OpenSSL would drop its session from the cache
      // at SSL_free unless it is marked shut down, and a client resuming by
      // session id (without tickets) would never be resumed. Nothing is sent.
      SSL_set_quiet_shutdown(t->ssl, 1);
      ERR_clear_error();
      SSL_shutdown(t->ssl);
      ERR_clear_error();
    }
    SSL_free(t->ssl);
    t->ctx.reset();
    t->cctx.reset();
    tls_pool().destroy(t);
    c->xprt_ctx = nullptr;
    note_tls_conn_end();
  }

  HandshakeStatus handshake(Connection* c) override {
    TlsConn* t = state(c);
    if (SSL_is_init_finished(t->ssl)) return HandshakeStatus::kDone;
    ERR_clear_error();
    const int r = SSL_do_handshake(t->ssl);
    if (r == 1) {
      t->hs_wants = 0;
      note_tls_handshake_done(t->ssl, server_ != nullptr, c->loop()->now_ms());
      // The client's first request may have come with its Finished message.
      t->rx_inside = SSL_has_pending(t->ssl);
      return HandshakeStatus::kDone;
    }
    switch (classify(c, t, r)) {
      case Want::kRead:
        t->hs_wants = kWakeRecv;
        return HandshakeStatus::kPending;
      case Want::kWrite:
        t->hs_wants = kWakeSend;
        return HandshakeStatus::kPending;
      case Want::kEof:
        t->failure = TlsFailure::kClosed;
        break;
      case Want::kError:
        t->failure = server_ ? accept_failure_of(t) : connect_failure_of(t);
        break;
    }
    c->flags |= kConnError;
    return HandshakeStatus::kFailed;
  }

  uint32_t handshake_wants(const Connection* c) const override { return state(c)->hs_wants; }
  ssl_st* ssl(const Connection* c) const override { return state(c)->ssl; }

  void wake(Connection* c, uint32_t events) override {
    TlsConn* t = state(c);
    // A read that stopped on a blocked write goes on once the socket is
    // writable, and a write that stopped on an empty socket once readable.
    if ((events & kWakeRecv) || ((events & kWakeSend) && t->read_wants_write))
      wake_sub(c, kWakeRecv);
    if ((events & kWakeSend) || ((events & kWakeRecv) && t->write_wants_read))
      wake_sub(c, kWakeSend);
  }

  size_t rcv_buf(Connection* c, Buffer& buf, size_t max) override {
    TlsConn* t = state(c);
    size_t total = 0;
    const bool write_first = t->read_wants_write;  // OpenSSL has bytes to send first
    t->read_wants_write = false;
    // Checked before taking a buffer: a mux asks often, and usually in vain.
    if (!write_first && nothing_to_read(c, t)) {
      t->rx_inside = false;
      return 0;
    }
    if (!buf.allocate()) return 0;
    while (total < max && !(c->flags & (kConnRdShut | kConnError))) {
      if (total > 0 && nothing_to_read(c, t)) {
        t->rx_inside = false;
        return total;
      }
      size_t room = buf.contiguous_room();
      if (room == 0) break;
      if (room > max - total) room = max - total;
      size_t n = 0;
      ERR_clear_error();
      const int r = SSL_read_ex(t->ssl, buf.tail(), room, &n);
      if (r == 1) {
        buf.commit(n);
        total += n;
        t->app_data = true;
        continue;
      }
      after_failed_read(c, t, classify(c, t, r));
      return total;
    }
    // Stopped for want of room or of `max`: records may be left inside OpenSSL.
    t->rx_inside = SSL_has_pending(t->ssl);
    return total;
  }

  size_t snd_buf(Connection* c, Buffer& buf, size_t count) override {
    if (count > buf.len()) count = buf.len();
    const size_t sent = snd_raw(c, buf.head(), count);
    buf.consume(sent);
    return sent;
  }

  size_t snd_raw(Connection* c, const char* p, size_t count) override {
    TlsConn* t = state(c);
    size_t sent = 0;
    t->write_wants_read = false;
    while (sent < count && !(c->flags & (kConnError | kConnWrShut))) {
      size_t n = 0;
      ERR_clear_error();
      const int r = SSL_write_ex(t->ssl, p + sent, count - sent, &n);
      if (r == 1) {
        sent += n;
        continue;
      }
      const Want w = classify(c, t, r);
      if (w == Want::kRead) t->write_wants_read = true;
      if (w == Want::kEof || w == Want::kError) c->flags |= kConnError;
      break;
    }
    return sent;
  }

  void subscribe(Connection* c, uint32_t events, WaitEvent* w) override {
    TlsConn* t = state(c);
    if (events & kWakeRecv) {
      w->events |= kWakeRecv;
      c->recv_sub = w;
      // Records OpenSSL already holds are readable whatever the socket says.
      const bool ready = t->read_wants_write ? (c->flags & kConnSendReady) != 0
                                             : (c->flags & kConnRecvReady) || t->rx_inside;
      if (ready || (c->flags & kConnError)) wake_sub(c, kWakeRecv);
    }
    if (events & kWakeSend) {
      w->events |= kWakeSend;
      c->send_sub = w;
      const uint32_t need = t->write_wants_read ? kConnRecvReady : kConnSendReady;
      if (c->flags & (need | kConnError)) wake_sub(c, kWakeSend);
    }
  }

  void unsubscribe(Connection* c, uint32_t events, WaitEvent* w) override {
    if ((events & kWakeRecv) && c->recv_sub == w) c->recv_sub = nullptr;
    if ((events & kWakeSend) && c->send_sub == w) c->send_sub = nullptr;
    w->events &= ~events;
  }

  // Post-handshake records (a TLS 1.3 session ticket, a key update) are
  // consumed without counting as data; a close_notify is an EOF.
  DrainResult drain(Connection* c) override {
    TlsConn* t = state(c);
    char scratch[1024];
    DrainResult res = DrainResult::kEmpty;
    for (;;) {
      if (!t->read_wants_write && nothing_to_read(c, t)) {
        t->rx_inside = false;
        return res;
      }
      size_t n = 0;
      ERR_clear_error();
      const int r = SSL_read_ex(t->ssl, scratch, sizeof scratch, &n);
      if (r == 1) {
        res = DrainResult::kData;
        t->app_data = true;
        continue;
      }
      t->rx_inside = false;
      switch (classify(c, t, r)) {
        case Want::kRead:
        case Want::kWrite:
          return res;
        case Want::kEof:
          c->flags |= kConnRdShut;
          return DrainResult::kEof;
        case Want::kError:
          c->flags |= kConnError;
          return DrainResult::kError;
      }
    }
  }

  // Sends a close_notify (once the handshake is done and no TLS error
  // happened), then the FIN.
  void shutw(Connection* c) override {
    if (c->flags & kConnWrShut) return;
    c->flags |= kConnWrShut;
    TlsConn* t = state(c);
    if (SSL_is_init_finished(t->ssl) && !t->fatal && !(c->flags & kConnError)) {
      ERR_clear_error();
      SSL_shutdown(t->ssl);
      ERR_clear_error();
    }
    shutdown(c->fd(), SHUT_WR);
  }

  void shutr(Connection* c) override { shutdown(c->fd(), SHUT_RD); }

 private:
  // Returns: true when OpenSSL holds no record and the socket is known empty,
  // so that SSL_read could only answer WANT_READ (tls_bio reads nothing then).
  static bool nothing_to_read(const Connection* c, const TlsConn* t) {
    return !(c->flags & kConnRecvReady) && !SSL_has_pending(t->ssl);
  }

  // After SSL_read gave nothing: the flags say why.
  static void after_failed_read(Connection* c, TlsConn* t, Want w) {
    t->rx_inside = false;  // OpenSSL read all it held, or the connection ends
    if (w == Want::kWrite) t->read_wants_write = true;
    if (w == Want::kEof) c->flags |= kConnRdShut;
    if (w == Want::kError) c->flags |= kConnError;
  }

  // Returns: the failure of an accepted connection's handshake that ended
  // on an error: the client's certificate, else the socket or the protocol.
  static TlsFailure accept_failure_of(const TlsConn* t) {
    if (t->verify_depth >= 0)
      return t->verify_depth > 0 ? TlsFailure::kCaChain : TlsFailure::kCertUntrusted;
    return t->socket_error ? TlsFailure::kSocketError : TlsFailure::kHandshake;
  }
  // The same for a connection to a server: a certificate that does not
  // name the host checked is told apart; any other verification failure is
  // a handshake failure (HAProxy's numbers).
  static TlsFailure connect_failure_of(const TlsConn* t) {
    if (t->socket_error) return TlsFailure::kSocketError;
    if (SSL_get_verify_result(t->ssl) == X509_V_ERR_HOSTNAME_MISMATCH)
      return SSL_get_servername(t->ssl, TLSEXT_NAMETYPE_host_name)
                 ? TlsFailure::kServerMismatch
                 : TlsFailure::kServerMismatchConfigured;
    return TlsFailure::kHandshake;
  }

  std::unique_ptr<TlsBindState> server_;  // accepting: the bind line's published context
  std::unique_ptr<TlsClientState> client_;
};

}  // namespace

const char* tls_failure_message(TlsFailure f) {
  switch (f) {
    case TlsFailure::kClosed:
      return "Connection closed during SSL handshake";
    case TlsFailure::kSocketError:
      return "Connection error during SSL handshake";
    case TlsFailure::kTimeout:
      return "Timeout during SSL handshake";
    case TlsFailure::kCaChain:
      return "SSL client CA chain cannot be verified";
    case TlsFailure::kCertUntrusted:
      return "SSL client certificate not trusted";
    case TlsFailure::kNoMemory:
      return "Out of memory when initializing an SSL connection";
    case TlsFailure::kServerMismatchConfigured:
      return "Server presented an SSL certificate different from the configured one";
    case TlsFailure::kServerMismatch:
      return "Server presented an SSL certificate different from the expected one";
    case TlsFailure::kHandshake:
    case TlsFailure::kNone:
      break;
  }
  return "SSL handshake failure";
}

int tls_failure_code(TlsFailure f) {
  switch (f) {
    case TlsFailure::kNone:
      return 0;
    case TlsFailure::kClosed:
      return 24;
    case TlsFailure::kSocketError:
      return 25;
    case TlsFailure::kTimeout:
      return 26;
    case TlsFailure::kNoMemory:
      return 28;
    case TlsFailure::kCaChain:
      return 30;
    case TlsFailure::kCertUntrusted:
      return 31;
    case TlsFailure::kServerMismatchConfigured:
      return 32;
    case TlsFailure::kServerMismatch:
      return 33;
    case TlsFailure::kHandshake:
      break;
  }
  return 34;
}

std::unique_ptr<Transport> make_tls_server_transport(const TlsBindSettings& s, std::string* err,
                                                     TlsBindOrigin origin) {
  std::shared_ptr<TlsTicketKeys> keys;
  if (!s.ticket_keys.empty())
    keys = std::make_shared<TlsTicketKeys>(s.ticket_keys, s.ticket_keys_file);
  std::shared_ptr<TlsServerContext> ctx = TlsServerContext::build(s, keys, err);
  if (!ctx) return nullptr;
  return std::make_unique<TlsTransport>(
      std::make_unique<TlsBindState>(s, std::move(ctx), std::move(keys), std::move(origin)));
}

std::unique_ptr<Transport> make_tls_client_transport(const TlsClientSettings& s, std::string* err) {
  std::shared_ptr<TlsClientContext> ctx = TlsClientContext::build(s, err);
  if (!ctx) return nullptr;
  return std::make_unique<TlsTransport>(std::make_unique<TlsClientState>(s, std::move(ctx)));
}

void tls_forget_client(Transport* x) {
  if (auto* t = dynamic_cast<TlsTransport*>(x)) t->forget_client();
}

bool tls_client_prepare(Connection* c, std::string_view sni) {
  const auto* x = dynamic_cast<const TlsTransport*>(c->xprt);
  if (!x || !x->connecting()) return true;
  if (state(c)->cctx->prepare(state(c)->ssl, sni)) return true;
  ERR_clear_error();
  return false;
}

bool tls_client_set_alpn(Connection* c, const std::vector<std::string>& protos) {
  const auto* x = dynamic_cast<const TlsTransport*>(c->xprt);
  if (!x || !x->connecting()) return true;
  const std::string wire = alpn_wire(protos);
  // The one OpenSSL call that returns 0 on success.
  if (SSL_set_alpn_protos(state(c)->ssl, reinterpret_cast<const unsigned char*>(wire.data()),
                          unsigned(wire.size())) == 0)
    return true;
  ERR_clear_error();
  return false;
}

std::string_view tls_server_name(const Connection* c) {
  ssl_st* ssl = c->xprt ? c->xprt->ssl(c) : nullptr;
  const char* name = ssl ? SSL_get_servername(ssl, TLSEXT_NAMETYPE_host_name) : nullptr;
  return name ? std::string_view(name) : std::string_view();
}

TlsFailure tls_failure(const Connection* c) {
  const TlsConn* t = c->xprt && c->xprt->ssl(c) ? state(c) : nullptr;
  return t ? t->failure : TlsFailure::kNone;
}

bool tls_resumed(const Connection* c) {
  SSL* ssl = c->xprt ? static_cast<SSL*>(c->xprt->ssl(c)) : nullptr;
  return ssl && SSL_is_init_finished(ssl) && SSL_session_reused(ssl) == 1;
}

unsigned long tls_ssl_error(const Connection* c) {
  const TlsConn* t = c->xprt && c->xprt->ssl(c) ? state(c) : nullptr;
  return t ? t->ssl_err : 0;
}

TlsVerifyErrors tls_verify_errors(const Connection* c) {
  const TlsConn* t = c->xprt && c->xprt->ssl(c) ? state(c) : nullptr;
  return t ? t->verify_errors : TlsVerifyErrors{};
}

uint64_t tls_bytes_received(const Connection* c) {
  ssl_st* ssl = c->xprt ? c->xprt->ssl(c) : nullptr;
  return ssl ? BIO_number_read(SSL_get_rbio(ssl)) : 0;
}

bool tls_refused_after_handshake(Connection* c) {
  const auto* x = dynamic_cast<const TlsTransport*>(c->xprt);
  if (!x || !x->connecting() || !c->xprt_ctx) return false;
  TlsConn* t = state(c);
  // (OpenSSL's state machine no longer says the handshake finished once the
  // alert came: the caller knows it did, as the connection was ready.)
  if (!t->peer_alert || t->app_data) return false;
  if (t->failure == TlsFailure::kNone) t->failure = TlsFailure::kHandshake;
  return true;
}

void set_tls_timeout(Connection* c) {
  if (c->xprt && c->xprt->ssl(c)) state(c)->failure = TlsFailure::kTimeout;
}

}  // namespace hearth::net
