#include "mux/mux_h1.h"

#include <sys/socket.h>

#include <cstdio>

#include "net/connection.h"
#include "net/transport.h"

namespace hearth::mux {
namespace {

Pool<MuxH1>& h1_pool() {
  static Pool<MuxH1> p("mux_h1");
  return p;
}

// An incoming connection that cannot wait for another request: the client
// left or failed, or we closed our side. (Server connections use
// Connection::reusable().)
constexpr uint32_t kClientGoneFlags = net::kConnError | net::kConnRdShut | net::kConnWrShut;

// Idle client connections of this thread, for close_idle_incoming().
List& idle_incoming_list() {
  static thread_local List l;
  return l;
}

}  // namespace

int MuxH1::close_idle_incoming(bool spare_arrived) {
  int n = 0;
  idle_incoming_list().for_each([&n, spare_arrived](ListHook* h) {
    MuxH1* m = container_of<MuxH1, &MuxH1::idle_hook_>(h);
    char c;
    if (spare_arrived &&
        (!m->ibuf_.empty() || recv(m->conn_->fd(), &c, 1, MSG_PEEK | MSG_DONTWAIT) == 1))
      return;      // its wake-up starts the stream
    m->destroy();  // unlinks it
    ++n;
  });
  return n;
}

int MuxH1::idle_incoming_count() {
  int n = 0;
  idle_incoming_list().for_each([&n](ListHook*) { ++n; });
  return n;
}

MuxH1::MuxH1() : tasklet_(&MuxH1::io_cb, this), timer_(&MuxH1::timer_cb, this) {
  wait_.tasklet = &tasklet_;
  body_.chunked().set_trailer_sink(&trailers_);
}

void MuxH1::reset_messages() {
  rx_ = Rx::kHead;
  scan_pos_ = 0;
  pending_ = 0;
  trailers_.clear();
  rx_bytes_ = tx_bytes_ = 0;
  tx_chunked_ = tx_short_ = false;
  if (!outgoing_) close_after_ = false;
}

MuxH1::~MuxH1() = default;

Mux* MuxH1::create() { return h1_pool().create(); }

void register_mux_h1() { MuxRegistry::register_mux({"h1", &MuxH1::create}); }

bool MuxH1::init(net::Connection* conn, StreamConnector* sc, StreamFactory f, void* f_ctx) {
  if (sc) {
    outgoing_ = true;
    conn_ = conn;
    sc->conn = conn;
    sc->mux = this;
    sc_ = sc;
    reset_messages();
    return true;
  }
  // conn_ stays unset until the stream exists: on failure the caller keeps the
  // connection and destroy() frees only the mux.
  factory_ = f;
  factory_ctx_ = f_ctx;
  conn_ = conn;
  if (!new_stream()) {
    conn_ = nullptr;
    return false;
  }
  return true;
}

bool MuxH1::new_stream() {
  StreamConnector* sc = StreamConnector::pool().create();
  if (!sc) return false;
  sc->conn = conn_;
  sc->mux = this;
  sc_ = sc;
  reset_messages();
  conn_->flags &= ~net::kConnIdle;
  idle_hook_.unlink();
  if (!factory_ || !factory_(sc, factory_ctx_)) {
    sc_ = nullptr;
    StreamConnector::pool().destroy(sc);
    return false;
  }
  return true;
}

void MuxH1::wake() {
  if (sc_) {
    if (sc_->app_tasklet) conn_->loop()->wake(sc_->app_tasklet, kWakeOther);
    return;
  }
  idle_event();
}

bool MuxH1::attach(StreamConnector* sc) {
  if (sc_) return false;
  conn_->xprt->unsubscribe(conn_, kWakeRecv | kWakeSend, &wait_);
  tasklet_.cancel();
  conn_->loop()->timers().cancel(&timer_);
  conn_->flags &= ~net::kConnIdle;
  sc->conn = conn_;
  sc->mux = this;
  sc->flags = 0;
  sc_ = sc;
  reset_messages();
  return true;
}

bool MuxH1::detach(StreamConnector* sc, bool keep_idle) {
  if (sc != sc_) return false;
  drop_stream_subscriptions(conn_, &wait_);
  sc->conn = nullptr;
  sc->mux = nullptr;
  sc_ = nullptr;
  const bool dead = outgoing_ ? !conn_->reusable() : (conn_->flags & kClientGoneFlags);
  // A message cut short, output not delivered, a peer reading up to the close.
  const bool unfinished = (rx_ != Rx::kHead && rx_ != Rx::kDone) || !obuf_.empty() || close_after_;
  if (!keep_idle || dead || unfinished) {
    if (!outgoing_ && close_after_ && obuf_.empty()) conn_->xprt->shutw(conn_);
    destroy();
    return false;
  }
  if (outgoing_ && !ibuf_.empty()) {  // bytes past the response: not reusable
    destroy();
    return false;
  }
  go_idle();
  return true;
}

void MuxH1::go_idle() {
  conn_->flags |= net::kConnIdle;
  ibuf_.release_if_empty();
  if (!outgoing_ && !ibuf_.empty()) {
    // A pipelined request is already here: start its stream on the next batch.
    conn_->loop()->wake(&tasklet_, kWakeRecv);
    return;
  }
  if (!outgoing_ && idle_timeout_ms_ > 0)
    conn_->loop()->timers().arm(&timer_, conn_->loop()->now_ms() + idle_timeout_ms_);
  if (!outgoing_ && !idle_hook_.linked()) idle_incoming_list().push_back(&idle_hook_);
  conn_->xprt->subscribe(conn_, kWakeRecv, &wait_);
}

void MuxH1::io_cb(Tasklet*, void* ctx, uint32_t) { static_cast<MuxH1*>(ctx)->wake(); }

void MuxH1::timer_cb(Timer*, void* ctx) {
  auto* self = static_cast<MuxH1*>(ctx);
  if (!self->sc_) self->destroy();  // http-keep-alive timeout while idle
}

void MuxH1::idle_event() {
  if (outgoing_)
    idle_outgoing();
  else
    idle_incoming();
}

// A server connection is idle: whatever is readable (EOF, reset, stray bytes)
// retires it. Nothing readable: keep waiting.
void MuxH1::idle_outgoing() {
  if (!idle_drain_keeps(conn_, &wait_)) destroy();  // unlinks from the idle pool first
}

// A client connection is idle between requests: bytes start the next stream.
void MuxH1::idle_incoming() {
  size_t arrived = 0;
  if (ibuf_.empty()) arrived = conn_->xprt->rcv_buf(conn_, ibuf_, Buffer::configured_size());
  if (!ibuf_.empty()) {
    conn_->loop()->timers().cancel(&timer_);
    if (!new_stream()) return destroy();
    rx_bytes_ += arrived;  // the new request's first bytes (its %U)
    return;
  }
  ibuf_.release_if_empty();
  if (conn_->flags & (net::kConnError | net::kConnRdShut)) {
    destroy();
    return;
  }
  conn_->xprt->subscribe(conn_, kWakeRecv, &wait_);
}

void MuxH1::update_sc_flags() {
  if (sc_) sync_sc_flags(conn_, sc_);
}

size_t MuxH1::fill() {
  size_t n = 0;
  if (ibuf_.allocate() && ibuf_.room()) n = conn_->xprt->rcv_buf(conn_, ibuf_, ibuf_.room());
  rx_bytes_ += n;
  update_sc_flags();
  return n;
}

size_t MuxH1::send(const char* p, size_t n) {
  size_t sent = conn_->xprt->snd_raw(conn_, p, n);
  tx_bytes_ += sent;
  tx_short_ = sent < n;
  update_sc_flags();
  return sent;
}

void MuxH1::shutr(StreamConnector* sc) {
  sc->flags |= kScShutR;
  conn_->xprt->shutr(conn_);
}

void MuxH1::shutw(StreamConnector* sc) {
  sc->flags |= kScShutW;
  conn_->xprt->shutw(conn_);
}

size_t MuxH1::rcv_buf(StreamConnector*, Buffer& buf, size_t max) {
  if (ibuf_.empty()) fill();
  size_t n = ibuf_.len() < max ? ibuf_.len() : max;
  n = buf.append(ibuf_.head(), n);
  ibuf_.consume(n);
  ibuf_.release_if_empty();
  return n;
}

size_t MuxH1::snd_buf(StreamConnector*, Buffer& buf, size_t count) {
  size_t n = conn_->xprt->snd_buf(conn_, buf, count);
  update_sc_flags();
  return n;
}

void MuxH1::subscribe(StreamConnector*, uint32_t events, WaitEvent* w) {
  // A full input buffer reads nothing: the stream consumes first, then asks again.
  if (rx_blocked(nullptr)) events &= ~uint32_t(kWakeRecv);
  if (events) conn_->xprt->subscribe(conn_, events, w);
}

void MuxH1::unsubscribe(StreamConnector*, uint32_t events, WaitEvent* w) {
  conn_->xprt->unsubscribe(conn_, events, w);
}

void MuxH1::destroy() {
  idle_hook_.unlink();
  net::Connection* c = conn_;
  conn_ = nullptr;
  ibuf_.release();
  obuf_.release();
  if (c) {
    c->loop()->timers().cancel(&timer_);
    release_connection(c, &wait_);
  }
  h1_pool().destroy(this);
}

std::string MuxH1::dump() const {
  char out[200];
  snprintf(out, sizeof out, "mux=h1 side=%s conn_flags=0x%x sc=%s ibuf=%zu obuf=%zu rx=%d",
           outgoing_ ? "server" : "client", conn_ ? conn_->flags : 0, sc_ ? "attached" : "none",
           ibuf_.len(), obuf_.len(), int(rx_));
  return out;
}

}  // namespace hearth::mux
