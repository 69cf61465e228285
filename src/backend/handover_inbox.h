#pragma once
// Server connections another process handed over (the warm reload), waiting
// for a worker thread to adopt them. The process's main thread puts them
// here as they arrive; a thread whose pool has no idle connection takes one
// when a request needs it (so they go where the demand is, without waiting
// for a posted call behind the requests that need them); the main thread
// hands whatever is left after a short while to the threads' pools, where
// the idle contract watches them. See docs/architecture.md, "Warm reload".
//
// Thread-safety: every member may be called from any thread.
#include <atomic>
#include <cstdint>
#include <mutex>
#include <optional>
#include <vector>

namespace hearth::backend {

class HandoverInbox {
 public:
  struct Entry {
    int fd = -1;
    int64_t idle_ms = 0;     // how long it had been idle when it arrived
    int64_t arrived_ms = 0;  // monotonic
    uint32_t exchanges = 0;  // what it carried before
    uint32_t conn_flags = 0;
  };

  HandoverInbox() = default;
  HandoverInbox(const HandoverInbox&) = delete;
  HandoverInbox& operator=(const HandoverInbox&) = delete;
  // Closes the descriptors nobody took.
  ~HandoverInbox();

  void push(const Entry& e);
  // Cheap: one relaxed load. A thread with no idle connection asks this first.
  bool pending() const { return count_.load(std::memory_order_relaxed) > 0; }
  // Returns: the most recently arrived entry, if any.
  std::optional<Entry> pop();
  // Returns: the entries that arrived before `before_ms`, removed.
  std::vector<Entry> take_arrived_before(int64_t before_ms);

 private:
  mutable std::mutex mu_;
  std::vector<Entry> entries_;
  std::atomic<int> count_{0};
};

}  // namespace hearth::backend
