#include "stream/tls_accept.h"

#include "core/pool.h"
#include "core/tasklet.h"
#include "core/timer.h"
#include "expr/log_vars.h"
#include "net/tls_transport.h"
#include "net/transport.h"
#include "stream/access_log.h"
#include "stream/conn_error_log.h"
#include "stream/frontend.h"
#include "stream/session.h"
#include "stream/session_log.h"

namespace hearth::stream {
namespace {

// One connection in its handshake.
struct HandshakeWait {
  net::Connection* conn = nullptr;
  Frontend* fe = nullptr;
  HandshakeDoneFn done = nullptr;
  int64_t accept_wall_ms = 0;
  Tasklet tasklet;
  WaitEvent wait;
  Timer timer;
};

// A handshake's outcome `m` (failed, full or resumed): the frontend's count
// and, with socket-stats, its bind line's.
void count_handshake(Frontend* fe, const net::Connection* c, Tally FrontendTallies::*m) {
  const Session* s = Session::of(c);
  fe->count(m, s ? s->bind_counters : nullptr);
}

Pool<HandshakeWait>& wait_pool() {
  static Pool<HandshakeWait> p("tls_handshake");
  return p;
}

thread_local size_t t_in_progress = 0;

// HAProxy's connection error line for a failed handshake.
void log_failure(const HandshakeWait& w, net::TlsFailure f) {
  // option dontlognull: a connection that never said anything is a probe.
  if (w.fe->dontlognull && net::tls_bytes_received(w.conn) == 0) return;
  log_conn_error(*w.fe, *w.conn, w.accept_wall_ms, net::tls_failure_message(f));
}

// Ends the wait: the connection goes on to its session, or is closed.
void finish(HandshakeWait* w, bool ok) {
  EventLoop* loop = w->conn->loop();
  loop->timers().cancel(&w->timer);
  w->tasklet.cancel();
  w->conn->xprt->unsubscribe(w->conn, kWakeRecv | kWakeSend, &w->wait);
  net::Connection* c = w->conn;
  Frontend* fe = w->fe;
  HandshakeDoneFn done = w->done;
  if (!ok) {
    count_handshake(fe, c, &FrontendTallies::failed_handshakes);
    log_failure(*w, net::tls_failure(c));
  } else {
    count_handshake(
        fe, c, net::tls_resumed(c) ? &FrontendTallies::ssl_reused : &FrontendTallies::ssl_sessions);
  }
  wait_pool().destroy(w);
  --t_in_progress;
  if (ok)
    done(c, fe);
  else
    c->destroy();  // the session goes with it
}

// Advances the handshake. Returns: true if it is still waiting.
bool step(HandshakeWait* w) {
  net::Connection* c = w->conn;
  switch (c->xprt->handshake(c)) {
    case net::HandshakeStatus::kDone:
      finish(w, true);
      return false;
    case net::HandshakeStatus::kFailed:
      finish(w, false);
      return false;
    case net::HandshakeStatus::kPending:
      c->xprt->subscribe(c, c->xprt->handshake_wants(c), &w->wait);
      return true;
  }
  return false;
}

void on_io(Tasklet*, void* ctx, uint32_t) { step(static_cast<HandshakeWait*>(ctx)); }

void on_timeout(Timer*, void* ctx) {
  auto* w = static_cast<HandshakeWait*>(ctx);
  net::set_tls_timeout(w->conn);
  finish(w, false);
}

}  // namespace

void await_tls_handshake(net::Connection* c, Frontend* fe, HandshakeDoneFn done) {
  HandshakeWait* w = wait_pool().create();
  if (!w) {
    count_handshake(fe, c, &FrontendTallies::failed_handshakes);
    c->destroy();
    return;
  }
  w->conn = c;
  w->fe = fe;
  w->done = done;
  w->accept_wall_ms = wall_clock_ms();
  w->tasklet.fn = &on_io;
  w->tasklet.ctx = w;
  w->wait.tasklet = &w->tasklet;
  w->timer.fn = &on_timeout;
  w->timer.ctx = w;
  ++t_in_progress;
  const int64_t limit = fe->timeouts.client_hs ? fe->timeouts.client_hs : fe->timeouts.client;
  if (!step(w)) return;
  if (limit > 0) c->loop()->timers().arm(&w->timer, c->loop()->now_ms() + limit);
}

size_t tls_handshakes_in_progress() { return t_in_progress; }

}  // namespace hearth::stream
