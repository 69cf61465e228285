#pragma once
// Counters the stats page and `show stat` read that every proxy kind shares:
// responses by status class and high-water marks. Updated by the threads that
// serve the traffic with relaxed atomics, read (summed) only when a page is built.
#include <algorithm>
#include <atomic>
#include <cstdint>

#include "core/clock.h"
#include "core/event_loop.h"

namespace hearth::backend {

// HTTP responses by class: 1xx to 5xx, then "other" (a status outside 100-599),
// as HAProxy's hrsp_* columns.
struct HttpStatusCounters {
  std::atomic<uint64_t> cls[6] = {};

  // Counts one response of `status`; 0 or less (no response) counts nothing.
  void count(int status) {
    if (status <= 0) return;
    const int i = status >= 100 && status < 600 ? status / 100 - 1 : 5;
    cls[i].fetch_add(1, std::memory_order_relaxed);
  }
};

// Returns: the calling loop's time, or the monotonic clock's off the loops.
inline int64_t stat_now_ms() {
  const EventLoop* loop = EventLoop::current();
  return loop ? loop->now_ms() : MonotonicClock::instance()->now_ms();
}

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

// Queue, connect, response and total times of the last transactions
// (qtime..ttime, and their *_max): a sliding average over the last 1024, or
// over all of them before there are that many, as HAProxy's.
struct TimeStats {
  enum Which { kQueue, kConnect, kResponse, kTotal };
  static constexpr uint64_t kWindow = 1024;
  std::atomic<uint64_t> samples{0};
  std::atomic<uint64_t> sum[4] = {};
  std::atomic<uint32_t> max[4] = {};

  // Adds one transaction's times (ms; negative: the step did not happen).
  void add(const int64_t (&ms)[4]) {
    const uint64_t n = std::min(samples.fetch_add(1, std::memory_order_relaxed) + 1, kWindow);
    for (int i = 0; i < 4; ++i) {
      if (ms[i] < 0) continue;
      uint64_t old = sum[i].load(std::memory_order_relaxed);
      while (!sum[i].compare_exchange_weak(old, old - (old + n - 1) / n + uint64_t(ms[i]),
                                           std::memory_order_relaxed)) {
      }
      raise_max(max[i], ms[i]);
    }
  }
  // Returns: the average of `which` in ms.
  uint32_t avg(Which which) const {
    const uint64_t n = std::min(samples.load(std::memory_order_relaxed), kWindow);
    return n ? uint32_t((sum[which].load(std::memory_order_relaxed) + n - 1) / n) : 0;
  }
};

// When the last session was assigned (lastsess); -1: never.
struct LastSession {
  std::atomic<int64_t> ms{-1};
  void note(int64_t now_ms) { ms.store(now_ms, std::memory_order_relaxed); }
  // Returns: seconds since the last session, or -1.
  int64_t age_s(int64_t now_ms) const {
    const int64_t t = ms.load(std::memory_order_relaxed);
    return t < 0 ? -1 : (now_ms - t) / 1000;
  }
};

}  // namespace hearth::backend
