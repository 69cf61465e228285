#pragma once
// Counters the stats page, `show stat` and the exporter read that every proxy
// kind shares: responses by status class, rates, times, high-water marks.
// The counting parts live in per-thread blocks (core/per_thread.h) written only
// by their thread; readers sum the blocks. High-water marks stay shared: they
// are written only when a new maximum is reached.
#include <algorithm>
#include <atomic>
#include <cstdint>

#include "core/clock.h"
#include "core/event_loop.h"
#include "core/per_thread.h"
#include "core/rate_counter.h"

namespace hearth::backend {

// Returns: the calling loop's time, or the monotonic clock's off the loops.
inline int64_t stat_now_ms() {
  const EventLoop* loop = EventLoop::current();
  return loop ? loop->now_ms() : MonotonicClock::instance()->now_ms();
}

// Shared with the layers below (net's TLS counters).
using hearth::raise_max;

// HTTP responses by class: 1xx to 5xx, then "other" (a status outside 100-599),
// as HAProxy's hrsp_* columns. One thread's block.
struct HttpStatusTallies {
  Tally cls[6];

  // Counts one response of `status`; 0 or less (no response) counts nothing.
  void count(int status) {
    if (status <= 0) return;
    cls[status >= 100 && status < 600 ? status / 100 - 1 : 5].add();
  }
};

// The most events any one second saw, over the threads: each thread adds the
// count of a second it leaves into a ring of per-second totals (the last 16
// seconds), and a reader adds to them the counts of the seconds threads have
// not left yet (a thread that went idle keeps its last second open).
class RateMax {
 public:
  // Adds n events of second `sec` (a thread left it).
  void flush(uint32_t sec, uint32_t n);  // also raises the maximum
  // Returns: the total of second `sec` flushed so far (0 if the ring moved on).
  uint32_t flushed(uint32_t sec) const;
  // Raises the maximum to a total a reader computed.
  void note(uint32_t total) const { raise_max(max_, total); }
  uint32_t max() const { return max_.load(std::memory_order_relaxed); }
  // "clear counters": the maximum starts again from the rates seen next.
  void clear_max() { max_.store(0, std::memory_order_relaxed); }
  // "clear counters all": the seconds flushed so far are forgotten too.
  void clear() {
    for (auto& d : done_) d.store(0, std::memory_order_relaxed);
    clear_max();
  }

 private:
  static constexpr int kRing = 16;
  std::atomic<uint64_t> done_[kRing] = {};  // (second << 32) | events
  mutable std::atomic<uint32_t> max_{0};    // readers raise it too (rate_sum)
};

// One thread's events per second: the count of its current second and of the
// one before, as HAProxy's frequency counters.
struct RateWindow {
  std::atomic<uint32_t> sec{0}, curr{0}, prev{0};

  // Counts one event at now_ms (a loop's time). Requires: the block's thread
  // (off the workers, racing updates may lose an event: it is a gauge).
  void add(int64_t now_ms, RateMax& max) {
    const uint32_t s = uint32_t(now_ms / 1000);
    const uint32_t seen = sec.load(std::memory_order_relaxed);
    uint32_t c = curr.load(std::memory_order_relaxed);
    if (seen != s) {
      if (c) max.flush(seen, c);
      prev.store(s == seen + 1 ? c : 0, std::memory_order_relaxed);
      sec.store(s, std::memory_order_relaxed);
      c = 0;
    }
    curr.store(c + 1, std::memory_order_relaxed);
  }
  // Returns: this thread's events of the last 1000 ms, the previous second
  // weighted by the part of it still in that window.
  uint32_t rate(int64_t now_ms) const {
    const uint32_t s = uint32_t(now_ms / 1000);
    const uint64_t left = uint64_t(1000 - now_ms % 1000);
    const uint32_t seen = sec.load(std::memory_order_relaxed);
    const uint64_t c = curr.load(std::memory_order_relaxed);
    if (seen == s) return uint32_t(c + prev.load(std::memory_order_relaxed) * left / 1000);
    if (seen + 1 == s) return uint32_t(c * left / 1000);
    return 0;
  }
};

// Queue, connect, response and total times of the last transactions
// (qtime..ttime, and their *_max): each thread keeps a sliding average over
// its last 1024 (or over all of them before there are that many), as
// HAProxy's; a reader weighs the threads' averages by their sample counts.
struct TimeTallies {
  enum Which { kQueue, kConnect, kResponse, kTotal };
  static constexpr uint64_t kWindow = 1024;
  Tally samples;
  Tally sum[4];

  // Adds one transaction's times (ms; negative: the step did not happen).
  // Requires: the block's thread.
  void add(const int64_t (&ms)[4]) {
    samples.add();
    const uint64_t n = std::min(samples.get(), kWindow);
    for (int i = 0; i < 4; ++i) {
      if (ms[i] < 0) continue;
      const uint64_t old = sum[i].get();
      sum[i].set(old - (old + n - 1) / n + uint64_t(ms[i]));
    }
  }
};

// The shared half of the times: their maxima.
struct TimeMax {
  std::atomic<uint32_t> max[4] = {};
  void clear() {
    for (auto& m : max) m.store(0, std::memory_order_relaxed);
  }
  void note(const int64_t (&ms)[4]) {
    for (int i = 0; i < 4; ++i)
      if (ms[i] >= 0) raise_max(max[i], ms[i]);
  }
};

// Returns: the average of `which` in ms over the threads' blocks of `t`
// (T has a TimeTallies member `times`).
template <typename T>
uint32_t time_avg(const PerThread<T>& t, TimeTallies::Which which) {
  uint64_t total = 0, weight = 0;
  t.each([&](const T& b) {
    const uint64_t n = std::min(b.times.samples.get(), TimeTallies::kWindow);
    if (!n) return;
    total += b.times.sum[which].get();  // the sum over n samples: avg * n
    weight += n;
  });
  return weight ? uint32_t((total + weight - 1) / weight) : 0;
}

// Returns: the events of the last 1000 ms over the threads' windows `m` of
// `t`, and raises `max` with the total of every second some thread has not
// left yet (its open count plus what the others flushed of that second).
template <typename T>
uint32_t rate_sum(const PerThread<T>& t, RateWindow T::*m, const RateMax& max, int64_t now_ms) {
  uint64_t rate = 0;
  struct Open {
    uint32_t sec;
    uint64_t events;
  };
  Open open[8];  // distinct open seconds (threads rarely sit in more than two)
  int nopen = 0;
  t.each([&](const T& b) {
    const RateWindow& w = b.*m;
    rate += w.rate(now_ms);
    const uint32_t c = w.curr.load(std::memory_order_relaxed);
    if (!c) return;
    const uint32_t sec = w.sec.load(std::memory_order_relaxed);
    int i = 0;
    while (i < nopen && open[i].sec != sec) ++i;
    if (i == nopen) {
      if (nopen == 8) return max.note(c);  // a lower bound for that second
      open[nopen++] = {sec, 0};
    }
    open[i].events += c;
  });
  for (int i = 0; i < nopen; ++i) max.note(uint32_t(open[i].events + max.flushed(open[i].sec)));
  return uint32_t(rate);
}

// Returns: seconds since the latest of the threads' last sessions (`m`, a time
// in ms + 1, 0: none), or -1 if there was none.
template <typename T>
int64_t last_age_s(const PerThread<T>& t, Tally T::*m, int64_t now_ms) {
  uint64_t last = 0;
  t.each([&](const T& b) { last = std::max(last, (b.*m).get()); });
  return last ? (now_ms - int64_t(last - 1)) / 1000 : -1;
}

}  // namespace hearth::backend
