#include "mux/mux_pt.h"

#include <cstdio>

#include "net/connection.h"
#include "net/transport.h"

namespace hearth::mux {
namespace {

Pool<MuxPt>& pt_pool() {
  static Pool<MuxPt> p("mux_pt");
  return p;
}

}  // namespace

MuxPt::MuxPt() : tasklet_(&MuxPt::io_cb, this) { wait_.tasklet = &tasklet_; }

MuxPt::~MuxPt() = default;

Mux* MuxPt::create() { return pt_pool().create(); }

void register_mux_pt() { MuxRegistry::register_mux({"pt", &MuxPt::create}); }

bool MuxPt::init(net::Connection* conn, StreamConnector* sc, StreamFactory f, void* f_ctx) {
  if (!sc) {
    // conn_ stays unset until a connector exists: on failure, destroy() must free
    // the mux only, since the caller still owns the connection.
    sc = StreamConnector::pool().create();
    if (!sc) return false;
    conn_ = conn;
    sc->conn = conn;
    sc->mux = this;
    sc_ = sc;
    if (!f || !f(sc, f_ctx)) {
      sc_ = nullptr;
      conn_ = nullptr;  // the caller still owns the connection
      StreamConnector::pool().destroy(sc);
      return false;
    }
    return true;
  }
  conn_ = conn;
  sc->conn = conn;
  sc->mux = this;
  sc_ = sc;
  return true;
}

void MuxPt::wake() {
  if (sc_) {
    if (sc_->app_tasklet) conn_->loop()->wake(sc_->app_tasklet, kWakeOther);
    return;
  }
  idle_check();
}

bool MuxPt::attach(StreamConnector* sc) {
  if (sc_) return false;
  conn_->xprt->unsubscribe(conn_, kWakeRecv | kWakeSend, &wait_);
  tasklet_.cancel();
  conn_->flags &= ~net::kConnIdle;
  sc->conn = conn_;
  sc->mux = this;
  sc_ = sc;
  return true;
}

bool MuxPt::detach(StreamConnector* sc, bool keep_idle) {
  if (sc != sc_) return false;
  drop_stream_subscriptions(conn_, &wait_);
  sc->conn = nullptr;
  sc->mux = nullptr;
  sc_ = nullptr;
  if (!keep_idle || !conn_->reusable()) {
    destroy();
    return false;
  }
  conn_->flags |= net::kConnIdle;
  // Stay read-subscribed: whatever arrives while idle is a close, a reset or
  // stray bytes, and each of them retires the connection.
  conn_->xprt->subscribe(conn_, kWakeRecv, &wait_);
  return true;
}

void MuxPt::io_cb(Tasklet*, void* ctx, uint32_t) {
  auto* self = static_cast<MuxPt*>(ctx);
  self->wake();
}

void MuxPt::idle_check() {
  if (!idle_drain_keeps(conn_, &wait_)) destroy();  // unlinks from the idle list first
}

void MuxPt::shutr(StreamConnector* sc) {
  sc->flags |= kScShutR;
  conn_->xprt->shutr(conn_);
}

void MuxPt::shutw(StreamConnector* sc) {
  sc->flags |= kScShutW;
  conn_->xprt->shutw(conn_);
}

size_t MuxPt::rcv_buf(StreamConnector* sc, Buffer& buf, size_t max) {
  size_t n = conn_->xprt->rcv_buf(conn_, buf, max);
  sync_sc_flags(conn_, sc);
  return n;
}

size_t MuxPt::snd_buf(StreamConnector* sc, Buffer& buf, size_t count) {
  size_t n = conn_->xprt->snd_buf(conn_, buf, count);
  sync_sc_flags(conn_, sc);
  return n;
}

bool MuxPt::can_splice(const StreamConnector*) const { return conn_ && conn_->xprt->can_splice(); }

size_t MuxPt::rcv_pipe(StreamConnector* sc, net::Pipe* p, size_t max) {
  size_t n = conn_->xprt->rcv_pipe(conn_, p, max);
  sync_sc_flags(conn_, sc);
  return n;
}

size_t MuxPt::snd_pipe(StreamConnector* sc, net::Pipe* p) {
  size_t n = conn_->xprt->snd_pipe(conn_, p);
  sync_sc_flags(conn_, sc);
  return n;
}

void MuxPt::subscribe(StreamConnector*, uint32_t events, WaitEvent* w) {
  conn_->xprt->subscribe(conn_, events, w);
}

void MuxPt::unsubscribe(StreamConnector*, uint32_t events, WaitEvent* w) {
  conn_->xprt->unsubscribe(conn_, events, w);
}

void MuxPt::destroy() {
  net::Connection* c = conn_;
  conn_ = nullptr;
  if (c) release_connection(c, &wait_);
  pt_pool().destroy(this);
}

std::string MuxPt::dump() const {
  char out[160];
  snprintf(out, sizeof out, "mux=pt conn_flags=0x%x sc=%s idle=%d", conn_ ? conn_->flags : 0,
           sc_ ? "attached" : "none", conn_ && (conn_->flags & net::kConnIdle) ? 1 : 0);
  return out;
}

}  // namespace hearth::mux
