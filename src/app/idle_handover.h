#pragma once
// The warm reload's connections: a worker that is replaced hands its idle
// server connections to the worker that replaces it, through the master, as
// descriptors (SCM_RIGHTS) with a line of metadata each; the new worker
// adopts each one into its pools under the idle contract (read-subscribed,
// drained, retired when the server closes it). See docs/architecture.md,
// "Warm reload".
// The message's text is backend/handover_wire.h's.
#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "net/fd_channel.h"

namespace hearth::backend {
class Backend;
class Server;
}  // namespace hearth::backend

namespace hearth::app {

class Worker;

// Returns: whether `msg` is a handover of idle connections.
bool is_idle_handover(std::string_view msg);

// The old worker, on worker thread `thread`: sends every usable idle
// connection of the thread's server pools through `channel`, then closes its
// own copy (the socket lives on in the message). Connections a send failed
// for are closed too.
// `keep`: connections each pool keeps, for the requests this worker has
// still to serve: spared clients and streams that have not asked for a
// server yet (a connection handed over would have to be replaced by a new
// one for them).
// Returns: how many were sent.
int hand_over_idle(const std::vector<std::unique_ptr<backend::Backend>>& backends, int thread,
                   int channel, int64_t now_ms, size_t keep = 0);

// The new worker, on its main thread: puts the message's connections in
// their servers' inboxes (backend/handover_inbox.h), where the first worker
// thread that needs one takes it. A connection whose server is gone, moved
// (another address), not serving, or whose backend does not pool HTTP
// connections any more is closed.
// Returns: how many went to an inbox.
int adopt_idle(const std::vector<std::unique_ptr<backend::Backend>>& backends,
               net::ChannelMessage& m);

// How long a handed-over connection waits in its inbox for a request.
inline constexpr int64_t kInboxWaitMs = 50;

// The new worker, on its main thread, every tick: the connections that
// waited kInboxWaitMs are given to the worker threads' pools in turn,
// where the idle contract watches them.
void sweep_handed_over(const std::vector<std::unique_ptr<backend::Backend>>& backends,
                       const std::vector<std::unique_ptr<Worker>>& workers, int64_t now_ms);

}  // namespace hearth::app
