#include "core/task_profile.h"

#include <time.h>

namespace hearth {
namespace {

std::atomic<ProfilingMode> g_mode{ProfilingMode::kAuto};
thread_local bool t_auto_on = false;
thread_local int64_t t_avg_ns = 0;

constexpr int64_t kAutoOnNs = 1000000;  // 1000 us
constexpr int64_t kAutoOffNs = 990000;  // 990 us
constexpr int64_t kAvgLoops = 1024;

}  // namespace

bool profiling_mode_of(std::string_view word, ProfilingMode* m) {
  if (word == "auto")
    *m = ProfilingMode::kAuto;
  else if (word == "on")
    *m = ProfilingMode::kOn;
  else if (word == "off")
    *m = ProfilingMode::kOff;
  else
    return false;
  return true;
}

void set_profiling_mode(ProfilingMode m) { g_mode.store(m, std::memory_order_relaxed); }
ProfilingMode profiling_mode() { return g_mode.load(std::memory_order_relaxed); }

bool profiling_active() {
  switch (profiling_mode()) {
    case ProfilingMode::kOn:
      return true;
    case ProfilingMode::kOff:
      return false;
    case ProfilingMode::kAuto:
      break;
  }
  return t_auto_on;
}

void note_loop_time(int64_t ns) {
  // A sliding average over about kAvgLoops loops.
  t_avg_ns += (ns - t_avg_ns) / kAvgLoops;
  if (!t_auto_on && t_avg_ns >= kAutoOnNs)
    t_auto_on = true;
  else if (t_auto_on && t_avg_ns < kAutoOffNs)
    t_auto_on = false;
}

int64_t avg_loop_ns() { return t_avg_ns; }

int64_t mono_ns() {
  timespec ts{};
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return int64_t(ts.tv_sec) * 1000000000 + ts.tv_nsec;
}

}  // namespace hearth
