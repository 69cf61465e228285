#pragma once
// One event loop per thread: an epoll poller, a tasklet run queue and a timer
// queue. Each iteration waits for fd events (no longer than the next timer),
// lets fd handlers mark readiness and queue tasklets, runs the queued tasklets,
// then fires expired timers.
#include <sys/epoll.h>

#include <atomic>
#include <cstdint>
#include <mutex>
#include <vector>

#include "core/clock.h"
#include "core/loop_activity.h"
#include "core/tasklet.h"
#include "core/timer.h"

namespace hearth {

class FdHandler {
 public:
  virtual ~FdHandler() = default;
  // Called from the poller with the EPOLL* bits that fired. Must not block.
  virtual void on_fd_event(uint32_t events) = 0;
  // What "show fd" names the handler's code by.
  virtual const char* fd_kind() const { return "unknown"; }
};

// One registered fd, as "show fd" lists it.
struct FdSlot {
  int fd = -1;
  FdHandler* handler = nullptr;
  uint32_t events = 0;  // the EPOLL* bits it is registered for
};

class EventLoop {
 public:
  explicit EventLoop(const Clock* clock = MonotonicClock::instance());
  ~EventLoop();
  EventLoop(const EventLoop&) = delete;
  EventLoop& operator=(const EventLoop&) = delete;

  // The loop running on the calling thread, set by run()/make_current().
  static EventLoop* current();
  void make_current();

  // Returns: false (errno set) if epoll refused.
  bool add_fd(int fd, uint32_t events, FdHandler* h);
  bool mod_fd(int fd, uint32_t events, FdHandler* h);
  void del_fd(int fd);

  void wake(Tasklet* t, uint32_t why = kWakeOther) { runq_.wake(t, why); }
  TimerQueue& timers() { return timers_; }
  // On the loop's thread: tasklets queued to run now.
  size_t run_queue_size() const { return runq_.size(); }
  int64_t now_ms() const { return now_; }
  void update_time() { now_ = clock_->now_ms(); }
  const Clock* clock() const { return clock_; }

  // Thread-safe: runs fn(arg) on this loop's thread at its next iteration.
  void post(void (*fn)(void*), void* arg);
  // Thread-safe: makes run() return after the current iteration.
  void stop();
  bool stopping() const { return stop_.load(std::memory_order_relaxed); }

  // One iteration, waiting at most max_wait_ms (-1: until an event or timer).
  void run_once(int max_wait_ms = -1);
  // tune.maxpollevents: events one wait returns at most (events left over
  // are returned by the next one); tune.runqueue-depth: tasklets one
  // iteration runs at most (0: every one queued before it).
  // Requires: before run(), on the loop's own thread or before it starts.
  void set_limits(int max_events, int runqueue_depth);
  void run();

  // What the loop did and does (show activity, show threads).
  LoopActivity& activity() { return activity_; }
  const LoopActivity& activity() const { return activity_; }
  // Calls fn(slot) for each fd registered with this loop, in fd order. Holds
  // the table's lock: fn must not add or remove fds. The handlers are the
  // loop thread's objects: read them on that thread.
  template <typename Fn>
  void for_each_fd(Fn&& fn) const {
    std::lock_guard<std::mutex> g(fd_mu_);
    for (const FdSlot& s : fds_)
      if (s.handler) fn(s);
  }

 private:
  void note_fd(int fd, FdHandler* h, uint32_t events);
  class Notifier;
  void run_posted();

  const Clock* clock_;
  int epfd_ = -1;
  int64_t now_ = 0;
  RunQueue runq_;
  int runqueue_depth_ = 0;
  std::vector<epoll_event> events_;  // sized once by set_limits (or the constructor)
  TimerQueue timers_;
  std::atomic<bool> stop_{false};
  std::mutex post_mu_;
  std::vector<std::pair<void (*)(void*), void*>> posted_;
  Notifier* notifier_;
  LoopActivity activity_;
  int64_t last_work_ns_ = -1;        // the last turn's work, wall clock (-1: none yet)
  uint64_t bytes_out_windowed_ = 0;  // activity_.bytes_out already in bytes_out_1s
  int64_t work_since_cpu_ns_ = 0;    // work since the CPU clock was last read
  static constexpr int64_t kCpuSampleNs = 1000000;
  mutable std::mutex fd_mu_;
  std::vector<FdSlot> fds_;  // indexed by fd; guarded by fd_mu_
};

}  // namespace hearth
