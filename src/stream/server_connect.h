#pragma once
// Opening a new server connection, shared by the TCP and HTTP streams.
#include "core/tasklet.h"
#include "mux/stream_connector.h"
#include "net/address.h"
#include "net/socket.h"
#include "net/transport.h"

namespace hearth::stream {

// Starts a non-blocking connect to `addr` over `xprt` with the socket options
// `opts` (the server's source, tfo and buffer sizes), installs the `mode` mux ("pt", "h1")
// with a new stream connector owned by `app` (woken through `app_tasklet`), and
// subscribes `wait` for the connect's completion. `opts` (if given) are set on
// the socket before the connect.
// Returns: the connector, or nullptr with nothing left behind (refused at once,
// or no memory).
mux::StreamConnector* open_server_connection(const net::Address& addr, net::Transport* xprt,
                                             const char* mode, void* app, Tasklet* app_tasklet,
                                             WaitEvent* wait, const net::ConnectOptions& opts = {},
                                             const net::SockOptions* sock = nullptr);

}  // namespace hearth::stream
