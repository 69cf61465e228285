#pragma once
// "show activity" and "show threads": the worker threads' event loops, in
// HAProxy 2.6's layout, from the figures each loop keeps (core/loop_activity).
// The formatting takes plain snapshots so that it is tested without loops.
#include <cstdint>
#include <string>
#include <vector>

#include "core/event_loop.h"

namespace hearth::admin {

// One worker's counters, read at one moment.
struct ActivitySnapshot {
  uint64_t ctxsw = 0, tasksw = 0, empty_rq = 0, long_rq = 0, loops = 0, wake_tasks = 0;
  uint64_t poll_io = 0, poll_exp = 0, stream_calls = 0, pool_fail = 0;
  uint64_t cpust_ms_tot = 0, cpust_ms_1s = 0, cpust_ms_15s = 0, avg_loop_us = 0;
  uint64_t accepted = 0;
};

// Returns: the counters of `a` now (now_ms: the monotonic clock, for the windows).
ActivitySnapshot snapshot_activity(const LoopActivity& a, int64_t now_ms);

// Returns: the answer to "show activity" for these threads (in order), dated
// `now_us` (wall clock, microseconds), ending with the empty line.
std::string format_activity(const std::vector<ActivitySnapshot>& threads, int64_t now_us);

// One worker thread as "show threads" prints it.
struct ThreadSnapshot {
  uint64_t pthread_id = 0;
  bool active = false;  // not waiting in the poller
  bool has_timers = false, has_tasklets = false;
  uint64_t tasklets = 0;
  bool stuck = false, profiling = false;
  uint64_t cpu_at_poll_ns = 0, cpu_now_ns = 0;
  const void* cur_tasklet = nullptr;
  const void* cur_fn = nullptr;
  const void* cur_ctx = nullptr;
};

// Returns: the state of the loop `a` now (its thread's CPU clock is read).
ThreadSnapshot snapshot_thread(const LoopActivity& a);

// Returns: the answer to "show threads", ending with the empty line.
std::string format_threads(const std::vector<ThreadSnapshot>& threads);

// The commands on the worker loops `loops` (index: thread). Returns: the
// answer, or "" when `w` is neither command.
std::string cli_activity_command(const std::vector<std::string>& w,
                                 const std::vector<const EventLoop*>& loops);

}  // namespace hearth::admin
