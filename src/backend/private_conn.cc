#include "backend/private_conn.h"

#include "backend/conn_evidence.h"
#include "backend/server.h"
#include "mux/mux.h"
#include "net/connection.h"

namespace hearth::backend {

void PrivateConn::park(net::Connection* c, Server* srv, int64_t now_ms) {
  close();
  conn_ = c;
  srv_ = srv;
  c->idle_owner = this;
  c->idle_unlink = &PrivateConn::died_while_idle;
  c->idle_since_ms = now_ms;
  c->flags |= net::kConnIdle;
}

bool PrivateConn::bound() const { return conn_ && (conn_->flags & net::kConnPrivate); }

// The idle_unlink hook: the connection died while parked.
void PrivateConn::died_while_idle(net::Connection* c) {
  auto* self = static_cast<PrivateConn*>(c->idle_owner);
  Server* srv = self->srv_;
  srv->counters.local().stale_idle.add();
  const int64_t now_ms = c->loop()->now_ms();
  note_conn_death(*srv, c->exchanges, now_ms - c->idle_since_ms, /*in_flight=*/false, now_ms);
  c->idle_owner = nullptr;
  self->conn_ = nullptr;
  self->srv_ = nullptr;
}

net::Connection* PrivateConn::take() {
  net::Connection* c = conn_;
  if (!c) return nullptr;
  c->idle_unlink = nullptr;  // handed over, not dead: no stale accounting
  c->unlink_idle();
  c->idle_owner = nullptr;
  conn_ = nullptr;
  srv_ = nullptr;
  return c;
}

void PrivateConn::close() {
  if (net::Connection* c = take()) c->mux->destroy();
}

}  // namespace hearth::backend
