#pragma once
// Events per second, as HAProxy's frequency counters, and atomic high-water
// marks: the stats page, `show stat` and `show info` read them.
#include <atomic>
#include <cstdint>

namespace hearth {

// Raises `max` to `v` if v is higher (smax, qmax columns).
template <typename T, typename V>
inline void raise_max(std::atomic<T>& max, V v) {
  T cur = max.load(std::memory_order_relaxed);
  while (T(v) > cur && !max.compare_exchange_weak(cur, T(v), std::memory_order_relaxed)) {
  }
}

// Events per second (the rate and rate_max columns): the count of the current
// second and of the one before, as HAProxy's frequency counters. Updates from
// several threads at a second's turn may lose an event or two: it is a gauge.
class RateCounter {
 public:
  // Counts one event at now_ms (a loop's time).
  void add(int64_t now_ms) {
    const uint32_t sec = uint32_t(now_ms / 1000);
    uint32_t seen = sec_.load(std::memory_order_relaxed);
    if (seen != sec && sec_.compare_exchange_strong(seen, sec, std::memory_order_relaxed)) {
      const uint32_t last = curr_.exchange(0, std::memory_order_relaxed);
      prev_.store(sec == seen + 1 ? last : 0, std::memory_order_relaxed);
    }
    raise_max(max_, curr_.fetch_add(1, std::memory_order_relaxed) + 1);
  }
  // Returns: the events of the last 1000 ms, the previous second weighted by
  // the part of it that is still in that window.
  uint32_t rate(int64_t now_ms) const {
    const uint32_t sec = uint32_t(now_ms / 1000);
    const uint64_t left = uint64_t(1000 - now_ms % 1000);
    const uint32_t seen = sec_.load(std::memory_order_relaxed);
    const uint64_t curr = curr_.load(std::memory_order_relaxed);
    if (seen == sec) return uint32_t(curr + prev_.load(std::memory_order_relaxed) * left / 1000);
    if (seen + 1 == sec) return uint32_t(curr * left / 1000);
    return 0;
  }
  // Returns: the most events counted within one second.
  uint32_t max() const { return max_.load(std::memory_order_relaxed); }

 private:
  std::atomic<uint32_t> sec_{0}, curr_{0}, prev_{0}, max_{0};
};

}  // namespace hearth
