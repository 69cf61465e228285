#pragma once
// Timers on a binary min-heap keyed by expiry (ms, monotonic clock).
// Re-arming a queued timer to a LATER time is O(1): only `expire` changes and the
// heap entry is fixed up lazily when it reaches the top. Streams push their
// inactivity deadline forward on every I/O, so this is the common case.
#include <cstddef>
#include <cstdint>
#include <vector>

#include "core/clock.h"

namespace hearth {

struct Timer;
using TimerFn = void (*)(Timer* t, void* ctx);

struct Timer {
  TimerFn fn = nullptr;
  void* ctx = nullptr;
  int64_t expire = kNever;  // the deadline the owner wants
  int64_t key = kNever;     // the deadline the heap sorts by (<= expire while queued)
  size_t heap_index = kNotQueued;
  static constexpr size_t kNotQueued = SIZE_MAX;

  Timer() = default;
  Timer(TimerFn f, void* c) : fn(f), ctx(c) {}
  Timer(const Timer&) = delete;
  Timer& operator=(const Timer&) = delete;
  bool queued() const { return heap_index != kNotQueued; }
};

class TimerQueue {
 public:
  ~TimerQueue();
  // Sets the timer to fire at `when` (kNever disarms). Safe whether queued or not.
  void arm(Timer* t, int64_t when);
  void cancel(Timer* t);
  // Returns: the earliest key in the heap (may be an early, stale key), or kNever.
  int64_t next_key() const { return heap_.empty() ? kNever : heap_[0]->key; }
  // Fires every timer whose deadline is <= now. Returns: how many fired.
  int run_expired(int64_t now);
  size_t size() const { return heap_.size(); }

 private:
  void push(Timer* t);
  void remove_at(size_t i);
  void sift_up(size_t i);
  void sift_down(size_t i);
  void place(size_t i, Timer* t) {
    heap_[i] = t;
    t->heap_index = i;
  }
  std::vector<Timer*> heap_;
};

}  // namespace hearth
