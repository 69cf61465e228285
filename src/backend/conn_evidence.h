#pragma once
// What happens to a server connection, as evidence for what the server's
// estimators learn (docs/architecture.md, "What a server connection's death
// teaches"): its keep-alive timeout (KeepAliveEstimator), its request limit
// per connection (RequestLimitEstimator) and how far its reused connections
// can be trusted (ReuseGuard). Every observer on the request path and in the
// pools goes through here, so that one death is classified once.
#include <cstdint>

namespace hearth::backend {

class Server;

// What explained a death.
enum class DeathCause {
  kIdle,         // idle beyond what the server was seen to keep open: its keep-alive timeout
  kCount,        // at or beyond the most requests a connection was seen to serve: a cap
  kUnexplained,  // neither: counts against the server's reused connections
};

// A connection of s that had served `served` requests died, idle_ms after its
// last exchange: noticed while idle (in_flight false), or when reused, before
// any byte of the answer to its next request (in_flight true).
// Returns: how the death was classified.
DeathCause note_conn_death(Server& s, uint32_t served, int64_t idle_ms, bool in_flight,
                           int64_t now_ms);

// A reused connection, idle idle_ms, answered.
void note_reuse_answered(Server& s, int64_t idle_ms, int64_t now_ms);

}  // namespace hearth::backend
