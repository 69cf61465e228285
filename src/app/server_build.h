#pragma once
// The parts of a runtime server that come from its address and connection
// options (init-addr, the client-relative port, source, tfo, socket buffers,
// id), built once at load.
#include <string>
#include <vector>

#include "backend/server.h"
#include "config/model.h"

namespace hearth::app {

struct SocketBuffers {
  int sndbuf = 0, rcvbuf = 0;  // 0: the system's
};

// Returns: the public id of each server of `p`, in order: its "id", else its
// position (from 1), or the next one up that no server took yet (HAProxy's
// numbering, compared: with "id 2" on the 4th, the 2nd gets 3 and the 3rd 4).
std::vector<int> server_ids(const config::ProxyConfig& p);

// Finds s->addr by the methods of "init-addr" in order (last: `last`, the
// address a server state file recorded, null if none; libc: resolve the host;
// an IP: that one with the port written; none: no address, the server out of
// service) and notes what comes from the client.
// Returns: false with an error added if no method gave an address.
bool init_server_addr(const config::ServerConfig& sc, backend::Server* s,
                      std::vector<std::string>* errors, const std::string* last = nullptr);

// Sets s->conn_opts: `source` (the server's or its proxy's), tfo, buffers.
// Returns: false with an error added if the source address is unusable.
bool set_connect_options(const config::ServerConfig& sc, const std::string& source,
                         const SocketBuffers& bufs, backend::Server* s,
                         std::vector<std::string>* errors);

}  // namespace hearth::app
