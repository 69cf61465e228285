#pragma once
// Per-thread counter blocks: the counters the request path updates live in one
// cache-line-aligned block per worker thread, written only by that thread with
// a relaxed load and store (no locked instruction, no shared cache line), and
// summed only when someone reads them (show stat, the stats page, the
// exporter). Threads that are not workers (the main thread, the stats socket,
// tests) share one extra block and update it with atomic adds.
#include <atomic>
#include <cstdint>
#include <memory>

#include "core/pool.h"

namespace hearth {

// The number of worker blocks a PerThread made from now on holds. Requires:
// set once before the objects holding counters are built (Runtime::build).
void set_stat_threads(int n);
int stat_threads();

namespace detail {
// The calling thread's worker index, or -1 off the workers (set_thread_index).
extern thread_local int t_stat_owner;
}  // namespace detail

// A counter written by the owner of its block and read by anyone.
class Tally {
 public:
  void add(uint64_t n = 1) {
    if (detail::t_stat_owner >= 0)
      v_.store(v_.load(std::memory_order_relaxed) + n, std::memory_order_relaxed);
    else
      v_.fetch_add(n, std::memory_order_relaxed);
  }
  // The owner's "last value" writes (last session time): a plain store.
  void set(uint64_t v) { v_.store(v, std::memory_order_relaxed); }
  uint64_t get() const { return v_.load(std::memory_order_relaxed); }

 private:
  std::atomic<uint64_t> v_{0};
};

// A count only its owner thread changes (an idle pool's sizes) and any thread
// may read: plain loads and stores, atomic only so that readers see a whole value.
class OwnedCount {
 public:
  OwnedCount& operator++() { return v_.store(get() + 1, std::memory_order_relaxed), *this; }
  OwnedCount& operator--() { return v_.store(get() - 1, std::memory_order_relaxed), *this; }
  uint64_t get() const { return v_.load(std::memory_order_relaxed); }
  operator uint64_t() const { return get(); }

 private:
  std::atomic<uint64_t> v_{0};
};

// One T per worker thread plus the shared one, each on its own cache lines.
template <typename T>
class PerThread {
 public:
  PerThread() : n_(stat_threads()), slots_(new Slot[size_t(n_) + 1]) {}
  PerThread(const PerThread&) = delete;
  PerThread& operator=(const PerThread&) = delete;

  // Returns: the calling thread's block (the shared one off the workers).
  T& local() {
    const unsigned i = unsigned(detail::t_stat_owner);
    return slots_[i < unsigned(n_) ? i : unsigned(n_)].v;
  }
  // Calls f(const T&) on every block, the shared one included.
  template <typename F>
  void each(F&& f) const {
    for (int i = 0; i <= n_; ++i) f(slots_[i].v);
  }
  // Returns: the sum of the Tally `m` over every block.
  uint64_t sum(Tally T::*m) const {
    uint64_t s = 0;
    each([&](const T& t) { s += (t.*m).get(); });
    return s;
  }
  // Resets every block: racing updates may survive it.
  void reset() {
    for (int i = 0; i <= reset_blocks(); ++i) reset_block(i);
  }
  // Resets block `i` (0..reset_blocks(); the last is the shared one). Worker
  // i's own block is best reset on worker i's thread ("clear counters all").
  void reset_block(int i) {
    if (i >= 0 && i <= n_) slots_[i].v.~T(), new (&slots_[i].v) T();
  }
  int reset_blocks() const { return n_; }

 private:
  struct alignas(64) Slot {
    T v;
  };
  int n_;
  std::unique_ptr<Slot[]> slots_;
};

}  // namespace hearth
