#include "stream/server_connect.h"

#include "core/event_loop.h"
#include "mux/mux.h"
#include "net/connection.h"
#include "net/transport.h"

namespace hearth::stream {

mux::StreamConnector* open_server_connection(const net::Address& addr, net::Transport* xprt,
                                             const char* mode, void* app, Tasklet* app_tasklet,
                                             WaitEvent* wait, const net::ConnectOptions& opts,
                                             const net::SockOptions* sock) {
  int err = 0;
  net::Connection* c = net::Connection::connect_to(EventLoop::current(), addr, xprt, &err, opts, sock);
  if (!c) return nullptr;
  mux::StreamConnector* sc = mux::StreamConnector::pool().create();
  if (!sc) {
    c->destroy();
    return nullptr;
  }
  sc->app = app;
  sc->app_tasklet = app_tasklet;
  if (!mux::MuxRegistry::install(mode, c, sc)) {
    c->destroy();
    mux::StreamConnector::pool().destroy(sc);
    return nullptr;
  }
  c->xprt->subscribe(c, kWakeSend, wait);
  return sc;
}

}  // namespace hearth::stream
