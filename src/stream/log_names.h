#pragma once
// The parts of a tcplog record both streams fill alike: who the client is and
// where the session went, as HAProxy names them (no backend: the frontend's
// name; no server: <NOSRV>), and the connection counts at log time.
#include "backend/backend.h"
#include "net/connection.h"
#include "stream/frontend.h"
#include "stream/session_log.h"

namespace hearth::stream {

inline void fill_session_names(SessionLogRecord* r, const Frontend& fe, const backend::Backend* be,
                               const backend::Server* srv, const net::Connection* client) {
  r->client = client ? client->peer().str() : "-";
  r->frontend = fe.name;
  r->backend = be ? be->name() : fe.name;
  r->server = srv ? srv->name : "<NOSRV>";
  r->fe_conns = fe.cur_conns.load(std::memory_order_relaxed);
  r->srv_conns = srv ? srv->cur_sess.load(std::memory_order_relaxed) : 0;
}

}  // namespace hearth::stream
