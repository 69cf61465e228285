#pragma once
// What one event loop has done since it started, and what it is doing now:
// the figures of the runtime API's "show activity" and "show threads". The
// loop's own thread is the only writer; the CLI thread reads them while the
// loop runs, so each is a relaxed atomic (a gauge, never a lock). Counting
// costs a plain load and store per event (no locked instruction), and one
// read of the thread's CPU clock per loop turn (HAProxy's loop reads it twice).
#include <atomic>
#include <cstdint>

namespace hearth {

// A count that only the owning thread raises.
class ActivityCount {
 public:
  void add(uint64_t n = 1) {
    v_.store(v_.load(std::memory_order_relaxed) + n, std::memory_order_relaxed);
  }
  uint64_t get() const { return v_.load(std::memory_order_relaxed); }
  void set(uint64_t v) { v_.store(v, std::memory_order_relaxed); }

 private:
  std::atomic<uint64_t> v_{0};
};

// A sum of events over the last `period_ms`, as a frequency counter: the
// current period's sum plus the previous one's, weighted by how much of it
// is still inside the window. Single writer.
class WindowSum {
 public:
  explicit WindowSum(int64_t period_ms) : period_(period_ms) {}
  void add(int64_t now_ms, uint64_t n);
  uint64_t read(int64_t now_ms) const;

 private:
  const int64_t period_;
  std::atomic<int64_t> start_{0};  // the current period's start (ms)
  std::atomic<uint64_t> curr_{0}, prev_{0};
};

struct LoopActivity {
  // Turns of the loop, and how each ended its wait.
  ActivityCount loops;
  ActivityCount wake_tasks;  // the wait was skipped: tasklets were queued
  ActivityCount poll_io;     // the wait returned fd events
  ActivityCount poll_exp;    // the wait returned none (a timer was due, or its time ran out)
  // Work done.
  ActivityCount ctxsw;         // tasklet calls and timer callbacks
  ActivityCount tasksw;        // timer callbacks (Hearth's tasks)
  ActivityCount empty_rq;      // turns that found no tasklet to run
  ActivityCount long_rq;       // turns that left tasklets queued (tune.runqueue-depth)
  ActivityCount stream_calls;  // calls of a stream's tasklet
  ActivityCount accepted;      // connections accepted by this thread's listeners
  ActivityCount pool_fail;     // pool allocations refused on this thread
  // Stolen CPU: time a turn's work took on the wall clock beyond the CPU time
  // the thread got (counted when 0.5 ms or more, as HAProxy), in ns.
  ActivityCount stolen_ns;
  WindowSum stolen_1s{1000};
  WindowSum stolen_15s{15000};
  std::atomic<int64_t> avg_loop_ns{0};  // a turn's work, averaged over about 512 turns
  WindowSum work_1s{1000};              // ns of work over the last second (show info's Idle_pct)
  // Bytes this thread wrote to sockets, both sides, TLS records as sent
  // (show info's TotalBytesOut), and over the last second (BytesOutRate):
  // the loop moves the count into the window once per turn.
  ActivityCount bytes_out;
  WindowSum bytes_out_1s{1000};

  // Now: whether the thread waits in the poller, the thread's CPU time when it
  // last read it on the way to a wait (at most 1 ms of work before the last
  // wait: EventLoop::kCpuSampleNs), and the tasklet it runs (null: none).
  std::atomic<bool> polling{false};
  std::atomic<int64_t> cpu_at_poll_ns{0};
  std::atomic<const void*> cur_tasklet{nullptr};
  std::atomic<const void*> cur_fn{nullptr};
  std::atomic<const void*> cur_ctx{nullptr};
  // Queues as the thread left them when it last began to wait.
  std::atomic<uint64_t> timers_at_poll{0};
  std::atomic<uint64_t> tasklets_at_poll{0};
  std::atomic<uint64_t> thread_id{0};  // pthread_t of the loop's thread (0: not running)
  std::atomic<bool> profiling{false};  // task profiling measures on this thread
};

// The activity of the loop running on the calling thread (null: none).
LoopActivity* current_activity();
void set_current_activity(LoopActivity* a);

// Bytes written to sockets by threads that run no loop (stats socket
// sessions), counted apart; any thread may call.
void note_unlooped_bytes_out(uint64_t n);
struct BytesOutFigures {
  uint64_t total = 0;    // since the process started
  uint64_t last_1s = 0;  // over the last second
};
BytesOutFigures unlooped_bytes_out(int64_t now_ms);

// Counts n bytes the calling thread wrote to a socket.
inline void note_bytes_out(uint64_t n) {
  if (LoopActivity* a = current_activity())
    a->bytes_out.add(n);
  else
    note_unlooped_bytes_out(n);
}

// The calling thread's CPU time (CLOCK_THREAD_CPUTIME_ID), in ns.
int64_t thread_cpu_ns();

// Adds work to `a`'s stolen time: it took `wall_ns` on the clock and `cpu_ns`
// of CPU time (one turn or several); now_ms dates it for the windows.
void note_stolen(LoopActivity* a, int64_t wall_ns, int64_t cpu_ns, int64_t now_ms);
// Adds one turn's work (`wall_ns`) to the average loop time.
void note_loop_work(LoopActivity* a, int64_t wall_ns);
// Both, for one turn.
void note_turn(LoopActivity* a, int64_t wall_ns, int64_t cpu_ns, int64_t now_ms);

}  // namespace hearth
