#pragma once
// Counters the stats page and `show stat` read that every proxy kind shares:
// responses by status class and high-water marks. Updated by the threads that
// serve the traffic with relaxed atomics, read (summed) only when a page is built.
#include <algorithm>
#include <atomic>
#include <cstdint>

#include "core/clock.h"
#include "core/event_loop.h"
#include "core/rate_counter.h"

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

// Shared with the layers below (net's TLS counters).
using hearth::raise_max;
using hearth::RateCounter;

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
