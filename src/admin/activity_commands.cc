#include "admin/activity_commands.h"

#include <pthread.h>
#include <sys/time.h>
#include <time.h>

#include <cstdio>

#include "core/clock.h"

namespace hearth::admin {
namespace {

constexpr uint64_t kNsPerMs = 1000000;
// A thread that has run one turn for a second of CPU without returning to
// the poller is reported stuck (HAProxy's watchdog warns at that point).
constexpr uint64_t kStuckNs = 1000000000;

using Getter = uint64_t ActivitySnapshot::*;

// "name: TOTAL [ T1 T2 ... ]": the per-thread list only with several threads,
// as HAProxy. `avg`: the total is the threads' average instead of their sum.
void line(std::string& o, const char* name, const std::vector<ActivitySnapshot>& t, Getter g,
          bool avg = false) {
  uint64_t tot = 0;
  for (const ActivitySnapshot& s : t) tot += s.*g;
  if (avg && !t.empty()) tot /= t.size();
  o += std::string(name) + ": " + std::to_string(tot);
  if (t.size() > 1) {
    o += " [";
    for (const ActivitySnapshot& s : t) o += " " + std::to_string(s.*g);
    o += " ]";
  }
  o += "\n";
}

// A line for an event that cannot happen in Hearth (see docs/configuration.md).
void never(std::string& o, const char* name, const std::vector<ActivitySnapshot>& t) {
  static const ActivitySnapshot kZero;
  std::vector<ActivitySnapshot> zeros(t.size(), kZero);
  line(o, name, zeros, &ActivitySnapshot::loops);
}

uint64_t cpu_clock_of(uint64_t pthread_id) {
  clockid_t clk;
  if (pthread_id == 0 || pthread_getcpuclockid(pthread_t(pthread_id), &clk) != 0) return 0;
  timespec ts{};
  if (clock_gettime(clk, &ts) != 0) return 0;
  return uint64_t(ts.tv_sec) * 1000000000 + uint64_t(ts.tv_nsec);
}

}  // namespace

ActivitySnapshot snapshot_activity(const LoopActivity& a, int64_t now_ms) {
  ActivitySnapshot s;
  s.ctxsw = a.ctxsw.get();
  s.tasksw = a.tasksw.get();
  s.empty_rq = a.empty_rq.get();
  s.long_rq = a.long_rq.get();
  s.loops = a.loops.get();
  s.wake_tasks = a.wake_tasks.get();
  s.poll_io = a.poll_io.get();
  s.poll_exp = a.poll_exp.get();
  s.stream_calls = a.stream_calls.get();
  s.pool_fail = a.pool_fail.get();
  s.cpust_ms_tot = a.stolen_ns.get() / kNsPerMs;
  s.cpust_ms_1s = a.stolen_1s.read(now_ms) / kNsPerMs;
  s.cpust_ms_15s = a.stolen_15s.read(now_ms) / kNsPerMs;
  const int64_t avg = a.avg_loop_ns.load(std::memory_order_relaxed);
  s.avg_loop_us = avg > 0 ? uint64_t(avg) / 1000 : 0;
  s.accepted = a.accepted.get();
  return s;
}

std::string format_activity(const std::vector<ActivitySnapshot>& t, int64_t now_us) {
  using S = ActivitySnapshot;
  char head[96];
  // The CLI is served by a thread of its own, not by a worker: thread 0.
  snprintf(head, sizeof head, "thread_id: 0 (1..%zu)\ndate_now: %lld.%06lld\n", t.size(),
           static_cast<long long>(now_us / 1000000), static_cast<long long>(now_us % 1000000));
  std::string o = head;
  line(o, "ctxsw", t, &S::ctxsw);
  line(o, "tasksw", t, &S::tasksw);
  line(o, "empty_rq", t, &S::empty_rq);
  line(o, "long_rq", t, &S::long_rq);
  line(o, "loops", t, &S::loops);
  line(o, "wake_tasks", t, &S::wake_tasks);
  never(o, "wake_signal", t);  // signals go to a signalfd thread, never to a loop
  line(o, "poll_io", t, &S::poll_io);
  line(o, "poll_exp", t, &S::poll_exp);
  never(o, "poll_drop_fd", t);  // an fd never moves to another thread
  never(o, "poll_skip_fd", t);
  never(o, "conn_dead", t);  // an fd leaves epoll before its connection is freed
  line(o, "stream_calls", t, &S::stream_calls);
  line(o, "pool_fail", t, &S::pool_fail);
  never(o, "buf_wait", t);  // nothing queues for a buffer: a refused one is an error
  line(o, "cpust_ms_tot", t, &S::cpust_ms_tot);
  line(o, "cpust_ms_1s", t, &S::cpust_ms_1s);
  line(o, "cpust_ms_15s", t, &S::cpust_ms_15s);
  line(o, "avg_loop_us", t, &S::avg_loop_us, /*avg=*/true);
  line(o, "accepted", t, &S::accepted);
  never(o, "accq_pushed", t);  // each thread accepts on its own sockets: no accept queue
  never(o, "accq_full", t);
  never(o, "accq_ring", t);
  never(o, "fd_takeover", t);  // idle connections are never taken from another thread
  return o + "\n";
}

ThreadSnapshot snapshot_thread(const LoopActivity& a) {
  ThreadSnapshot s;
  constexpr auto r = std::memory_order_relaxed;
  s.pthread_id = a.thread_id.load(r);
  s.active = !a.polling.load(r);
  s.has_timers = a.timers_at_poll.load(r) > 0;
  s.tasklets = a.tasklets_at_poll.load(r);
  s.has_tasklets = s.tasklets > 0;
  s.profiling = a.profiling.load(r);
  s.cpu_at_poll_ns = uint64_t(a.cpu_at_poll_ns.load(r));
  s.cpu_now_ns = cpu_clock_of(s.pthread_id);
  if (s.active) {
    s.cur_tasklet = a.cur_tasklet.load(r);
    s.cur_fn = a.cur_fn.load(r);
    s.cur_ctx = a.cur_ctx.load(r);
    s.stuck = s.cpu_now_ns > s.cpu_at_poll_ns && s.cpu_now_ns - s.cpu_at_poll_ns >= kStuckNs;
  }
  return s;
}

std::string format_threads(const std::vector<ThreadSnapshot>& t) {
  std::string o;
  char b[256];
  for (size_t i = 0; i < t.size(); ++i) {
    const ThreadSnapshot& s = t[i];
    const unsigned n = unsigned(i + 1);
    // No '*': the thread answering the CLI is not a worker. Hearth has one
    // thread group, no global run queue and no run queue of tasks (timers
    // fire from their heap): glob, rq and rqsz are 0; tl and tlsz are the
    // tasklets queued, wq whether timers are armed.
    snprintf(b, sizeof b,
             "  Thread %-2u: id=0x%llx act=%d glob=0 wq=%d rq=0 tl=%d tlsz=%llu rqsz=0\n"
             "      1/%-2u   stuck=%d prof=%d harmless=%d wantrdv=0\n"
             "             cpu_ns: poll=%llu now=%llu diff=%llu\n",
             n, static_cast<unsigned long long>(s.pthread_id), s.active ? 1 : 0,
             s.has_timers ? 1 : 0, s.has_tasklets ? 1 : 0,
             static_cast<unsigned long long>(s.tasklets), n, s.stuck ? 1 : 0, s.profiling ? 1 : 0,
             s.active ? 0 : 1, static_cast<unsigned long long>(s.cpu_at_poll_ns),
             static_cast<unsigned long long>(s.cpu_now_ns),
             static_cast<unsigned long long>(
                 s.cpu_now_ns > s.cpu_at_poll_ns ? s.cpu_now_ns - s.cpu_at_poll_ns : 0));
    o += b;
    if (!s.cur_tasklet) {
      o += "             curr_task=0\n";
      continue;
    }
    snprintf(b, sizeof b, "             curr_task=%p (tasklet)\n               fct=%p ctx=%p\n",
             s.cur_tasklet, s.cur_fn, s.cur_ctx);
    o += b;
  }
  return o + "\n";
}

std::string cli_activity_command(const std::vector<std::string>& w,
                                 const std::vector<const EventLoop*>& loops) {
  if (w.size() < 2 || w[0] != "show") return "";
  const bool activity = w[1] == "activity";
  if (!activity && w[1] != "threads") return "";
  if (w.size() > 2) return "'show " + w[1] + "' does not support '" + w[2] + "' in Hearth.\n\n";
  if (activity) {
    const int64_t now_ms = MonotonicClock::instance()->now_ms();
    std::vector<ActivitySnapshot> snaps;
    for (const EventLoop* l : loops) snaps.push_back(snapshot_activity(l->activity(), now_ms));
    timeval tv{};
    gettimeofday(&tv, nullptr);
    return format_activity(snaps, int64_t(tv.tv_sec) * 1000000 + tv.tv_usec);
  }
  std::vector<ThreadSnapshot> snaps;
  for (const EventLoop* l : loops) snaps.push_back(snapshot_thread(l->activity()));
  return format_threads(snaps);
}

}  // namespace hearth::admin
