#pragma once
// The lock of every backend's server list for threads that are not workers.
// Worker threads never take it: "add server" and "del server" change a list
// only while every worker is parked (app/worker_isolation.h), and take this
// lock exclusively meanwhile. Other threads that walk servers() (the
// supervising thread's warm-reload work, the idle handover feed) hold it
// shared; the runtime API's commands are already serialized with the changes
// by RuntimeApi's own lock. See docs/architecture.md, "Dynamic servers".
#include <shared_mutex>

namespace hearth::backend {

inline std::shared_mutex& server_list_mutex() {
  static std::shared_mutex mu;
  return mu;
}

}  // namespace hearth::backend
