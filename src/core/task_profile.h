#pragma once
// profiling.tasks (HAProxy manual 3.1): what a stream's tasklet costs. Its
// calls are always counted; while profiling is active on the thread, each
// call's duration (cpu_ns) and the time it waited in the run queue since it
// was woken (lat_ns) are added too. "auto" turns profiling on in a thread
// whose loops take 1000 us or more on average (over about 1024 loops) and
// off again below 990 us, as HAProxy's does.
#include <atomic>
#include <cstdint>
#include <string_view>

namespace hearth {

enum class ProfilingMode : uint8_t { kAuto, kOn, kOff };

struct TaskProfile {
  uint64_t calls = 0;
  uint64_t cpu_ns = 0;
  uint64_t lat_ns = 0;
  int64_t woken_ns = 0;  // when the tasklet was queued, while measured (0: not)
};

// Returns: the mode "auto", "on" or "off" names, or false.
bool profiling_mode_of(std::string_view word, ProfilingMode* m);
// The process's setting (global profiling.tasks, "set profiling tasks").
void set_profiling_mode(ProfilingMode m);
ProfilingMode profiling_mode();
// Whether this thread measures times now.
bool profiling_active();
// The loop's work (from the poller's return to the next wait) took `ns`:
// keeps the thread's average and, in auto mode, turns measuring on or off.
void note_loop_time(int64_t ns);
// The thread's average loop time, in ns.
int64_t avg_loop_ns();

// CLOCK_MONOTONIC in nanoseconds.
int64_t mono_ns();

}  // namespace hearth
