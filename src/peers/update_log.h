#pragma once
// Local changes of replicated stick tables, on their way to the peer
// sessions.
//
// Workers announce a changed entry (stick::UpdateSink) into a queue of
// their own: a short append under a lock only the peers thread otherwise
// takes, so request threads never wait on one another. The peers thread
// drains the queues into each table's log, where every key holds one
// update id, the newest it was given; sessions push the keys whose id is
// above the last one they pushed.
#include <atomic>
#include <cstdint>
#include <map>
#include <memory>
#include <string>
#include <unordered_map>
#include <vector>

#include "stick/table.h"

namespace hearth::peers {

class ChangeQueues {
 public:
  // `threads`: the workers (a slot more serves the other threads).
  explicit ChangeQueues(int threads);
  // Any thread: records (table index, key). Returns: true if the queues
  // were empty before (the caller then wakes the consumer).
  bool push(uint16_t table, std::string_view key);
  // The peers thread: calls f(table, key) for each record, oldest first
  // per thread.
  template <typename F>
  void drain(F&& f) {
    pending_.store(false, std::memory_order_release);
    for (auto& q : queues_) {
      std::string batch;
      {
        std::lock_guard<stick::SpinLock> g(q->mu);
        batch.swap(q->bytes);
      }
      size_t i = 0;
      while (i + 4 <= batch.size()) {
        const uint16_t t = uint16_t(uint8_t(batch[i]) | uint8_t(batch[i + 1]) << 8);
        const size_t n = size_t(uint8_t(batch[i + 2]) | uint8_t(batch[i + 3]) << 8);
        f(t, std::string_view(batch).substr(i + 4, n));
        i += 4 + n;
      }
    }
  }

 private:
  struct Queue {
    stick::SpinLock mu;
    std::string bytes;  // [table:2][len:2][key] records
  };
  std::vector<std::unique_ptr<Queue>> queues_;
  std::atomic<bool> pending_{false};
};

// One table's local updates, in id order. Peers thread only.
class UpdateLog {
 public:
  // Gives `key` the next id (its previous one is dropped). Returns: the id.
  uint32_t add(std::string_view key);
  // The first record with an id above `after`, or false.
  bool next(uint32_t after, uint32_t* id, const std::string** key) const;
  // Drops the record of `id` (its entry is gone).
  void drop(uint32_t id);
  uint32_t head() const { return head_; }
  size_t size() const { return by_id_.size(); }
  // Looks at up to `n` records from where the last call stopped (around in
  // a circle) and drops those `gone(key)` says have no entry any more, so
  // that keys that left the table do not pile up. Returns: how many went.
  template <typename F>
  size_t sweep(size_t n, F&& gone) {
    size_t dropped = 0;
    auto it = by_id_.upper_bound(sweep_at_);
    for (size_t i = 0; i < n && !by_id_.empty(); ++i) {
      if (it == by_id_.end()) it = by_id_.begin();
      sweep_at_ = it->first;
      if (gone(it->second)) {
        id_of_.erase(it->second);
        it = by_id_.erase(it);
        ++dropped;
      } else {
        ++it;
      }
    }
    return dropped;
  }

 private:
  uint32_t head_ = 0;
  uint32_t sweep_at_ = 0;
  std::map<uint32_t, std::string> by_id_;
  std::unordered_map<std::string, uint32_t> id_of_;
};

}  // namespace hearth::peers
