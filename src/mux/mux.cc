#include "mux/mux.h"

#include <mutex>
#include <vector>

#include "mux/mux_h1.h"
#include "mux/mux_pt.h"
#include "net/connection.h"

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

void register_builtin_muxes() {
  static std::once_flag once;
  std::call_once(once, [] {
    register_mux_pt();
    register_mux_h1();
  });
}

}  // namespace hearth::mux
