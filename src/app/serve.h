#pragma once
// Serving a loaded configuration: limits, runtime, listeners, confinement,
// worker threads, stats sockets, then supervision until the stop. Run by a
// standalone process, or by each worker process of the master-worker mode.
#include "app/options.h"
#include "app/warm_state.h"
#include "config/diagnostic.h"
#include "net/listen_set.h"

namespace hearth::app {

// What a worker process gets from its master (master-worker mode).
struct MasterLink {
  int channel = -1;                           // this worker's end of its channel
  const net::ListenSet* listeners = nullptr;  // the sockets the master binds and keeps
  int cli_channel = -1;             // the master CLI's connections to this worker's runtime API
  const WarmState* warm = nullptr;  // what the worker it replaces knew (or null)
  // The warm reload: the channel the workers it replaces write their idle
  // server connections into (-1: none), read from the start.
  int handover_in = -1;
};

// `link`: null for a standalone process (it binds, writes the pid file and
// may become a daemon); else the worker of a master, which does neither and
// tells the master "ready" once it serves.
// Returns: the process's exit status.
int serve(const Options& o, config::ParseResult& parsed, bool quiet, const MasterLink* link);

}  // namespace hearth::app
