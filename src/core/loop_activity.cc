#include "core/loop_activity.h"

#include <time.h>

#include <mutex>

#include "core/clock.h"

namespace hearth {
namespace {

thread_local LoopActivity* t_activity = nullptr;

constexpr int64_t kStolenMinNs = 500000;  // below half a millisecond, not counted
constexpr int64_t kAvgTurns = 512;

}  // namespace

void WindowSum::add(int64_t now_ms, uint64_t n) {
  const int64_t start = now_ms - now_ms % period_;
  const int64_t seen = start_.load(std::memory_order_relaxed);
  if (seen != start) {
    prev_.store(start == seen + period_ ? curr_.load(std::memory_order_relaxed) : 0,
                std::memory_order_relaxed);
    curr_.store(0, std::memory_order_relaxed);
    start_.store(start, std::memory_order_relaxed);
  }
  curr_.store(curr_.load(std::memory_order_relaxed) + n, std::memory_order_relaxed);
}

uint64_t WindowSum::read(int64_t now_ms) const {
  const int64_t start = now_ms - now_ms % period_;
  const uint64_t left = uint64_t(period_ - now_ms % period_);
  const int64_t seen = start_.load(std::memory_order_relaxed);
  const uint64_t curr = curr_.load(std::memory_order_relaxed);
  if (seen == start) return curr + prev_.load(std::memory_order_relaxed) * left / uint64_t(period_);
  if (seen + period_ == start) return curr * left / uint64_t(period_);
  return 0;
}

namespace {

std::mutex g_unlooped_mu;
uint64_t g_unlooped_total = 0;
WindowSum g_unlooped_1s{1000};

}  // namespace

void note_unlooped_bytes_out(uint64_t n) {
  const int64_t now_ms = MonotonicClock::instance()->now_ms();
  std::lock_guard<std::mutex> g(g_unlooped_mu);
  g_unlooped_total += n;
  g_unlooped_1s.add(now_ms, n);
}

BytesOutFigures unlooped_bytes_out(int64_t now_ms) {
  std::lock_guard<std::mutex> g(g_unlooped_mu);
  return {g_unlooped_total, g_unlooped_1s.read(now_ms)};
}

LoopActivity* current_activity() { return t_activity; }
void set_current_activity(LoopActivity* a) { t_activity = a; }

int64_t thread_cpu_ns() {
  timespec ts{};
  clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
  return int64_t(ts.tv_sec) * 1000000000 + ts.tv_nsec;
}

void note_stolen(LoopActivity* a, int64_t wall_ns, int64_t cpu_ns, int64_t now_ms) {
  const int64_t stolen = wall_ns - cpu_ns;
  if (stolen >= kStolenMinNs) {
    a->stolen_ns.add(uint64_t(stolen));
    a->stolen_1s.add(now_ms, uint64_t(stolen));
    a->stolen_15s.add(now_ms, uint64_t(stolen));
  }
}

void note_loop_work(LoopActivity* a, int64_t wall_ns) {
  const int64_t avg = a->avg_loop_ns.load(std::memory_order_relaxed);
  a->avg_loop_ns.store(avg + (wall_ns - avg) / kAvgTurns, std::memory_order_relaxed);
}

void note_turn(LoopActivity* a, int64_t wall_ns, int64_t cpu_ns, int64_t now_ms) {
  note_stolen(a, wall_ns, cpu_ns, now_ms);
  note_loop_work(a, wall_ns);
}

}  // namespace hearth
