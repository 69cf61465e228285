#pragma once
// The lock that orders servers' state changes (HAProxy's server lock): a
// change of UP/DOWN, stopping, maintenance or drain, the lines it logs and
// its propagation to the trackers (server_track.h) happen under it, as one
// step. Without it, two threads changing one tracking chain at once (the
// runtime API ending a maintenance, the server's check recording a result)
// interleave: a tracker reads a half-made state, lines come out of order,
// and a check result slips in after "disable server" has logged.
//
// Recursive: a change may start another (an agent's "maint" reply sets the
// maintenance from within the check's result). Held only for the change
// itself: never while waiting for another thread (a post to a loop does not
// wait), so that a thread waiting here never holds up the one that holds it.
#include <mutex>

namespace hearth::backend {

inline std::recursive_mutex& server_state_mutex() {
  static std::recursive_mutex mu;
  return mu;
}

// Holds server_state_mutex() for its scope.
class ServerStateGuard {
 public:
  ServerStateGuard() : lock_(server_state_mutex()) {}

 private:
  std::lock_guard<std::recursive_mutex> lock_;
};

}  // namespace hearth::backend
