#pragma once
// A StreamConnector is one end of a stream: the stream talks to it, the mux feeds
// it. It lives in src/mux (not src/stream) because muxes create connectors for
// incoming connections, and dependencies point from stream to mux.
#include <cstdint>

#include "core/pool.h"
#include "core/tasklet.h"

namespace hearth::net {
class Connection;
}

namespace hearth::mux {

class Mux;

enum ScFlag : uint32_t {
  kScEos = 1u << 0,    // end of input seen (peer closed its side)
  kScError = 1u << 1,  // the endpoint failed
  kScShutW = 1u << 2,  // we shut our output
  kScShutR = 1u << 3,  // we stopped reading
};

struct StreamConnector {
  net::Connection* conn = nullptr;
  Mux* mux = nullptr;
  uint32_t flags = 0;
  void* app = nullptr;             // the Stream that owns this end
  Tasklet* app_tasklet = nullptr;  // woken by the mux for connection-level events

  static Pool<StreamConnector>& pool();
};

}  // namespace hearth::mux
