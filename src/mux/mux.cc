#include "mux/mux.h"

#include <mutex>
#include <vector>

#include "mux/mux_h1.h"
#include "mux/mux_pt.h"
#include "net/connection.h"
#include "net/transport.h"

namespace hearth::mux {
namespace {

std::vector<MuxFactory>& registry() {
  static std::vector<MuxFactory> r;
  return r;
}

}  // namespace

Pool<StreamConnector>& StreamConnector::pool() {
  static Pool<StreamConnector> p("stream_connector");
  return p;
}

void MuxRegistry::register_mux(const MuxFactory& f) {
  for (auto& e : registry())
    if (std::string_view(e.mode) == f.mode) {
      e = f;
      return;
    }
  registry().push_back(f);
}

const MuxFactory* MuxRegistry::find(std::string_view mode) {
  for (auto& e : registry())
    if (mode == e.mode) return &e;
  return nullptr;
}

Mux* MuxRegistry::install(std::string_view mode, net::Connection* conn, StreamConnector* sc,
                          StreamFactory f, void* f_ctx) {
  const MuxFactory* fac = find(mode);
  if (!fac) return nullptr;
  Mux* m = fac->create();
  if (!m) return nullptr;
  conn->mux = m;
  if (!m->init(conn, sc, f, f_ctx)) {
    conn->mux = nullptr;
    // init failed before taking ownership of the connection: free the mux only.
    m->destroy();
    return nullptr;
  }
  return m;
}

void drop_stream_subscriptions(net::Connection* c, const WaitEvent* own) {
  if (c->recv_sub && c->recv_sub != own) c->recv_sub = nullptr;
  if (c->send_sub && c->send_sub != own) c->send_sub = nullptr;
}

bool idle_drain_keeps(net::Connection* c, WaitEvent* own) {
  net::DrainResult r = c->xprt->drain(c);
  if (r != net::DrainResult::kEmpty || !c->reusable()) return false;
  c->xprt->subscribe(c, kWakeRecv, own);
  return true;
}

void sync_sc_flags(const net::Connection* c, StreamConnector* sc) {
  if (c->flags & net::kConnRdShut) sc->flags |= kScEos;
  if (c->flags & net::kConnError) sc->flags |= kScError;
}

void release_connection(net::Connection* c, WaitEvent* own) {
  c->unlink_idle();  // before the memory goes: nothing is freed while linked
  c->xprt->unsubscribe(c, kWakeRecv | kWakeSend, own);
  c->mux = nullptr;
  c->destroy();
}

void register_builtin_muxes() {
  static std::once_flag once;
  std::call_once(once, [] {
    register_mux_pt();
    register_mux_h1();
  });
}

}  // namespace hearth::mux
