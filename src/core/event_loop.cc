#include "core/event_loop.h"

#include <pthread.h>
#include <sys/epoll.h>
#include <sys/eventfd.h>
#include <unistd.h>

#include <cerrno>
#include <cstdint>

namespace hearth {
namespace {
thread_local EventLoop* t_current = nullptr;
}

// Wakes the poller from other threads through an eventfd. The posted calls
// run from a tasklet, after every event of the poller's batch was handled:
// a call that frees connections (a soft stop closing idle ones) must not
// free one whose event is still further down the batch.
class EventLoop::Notifier final : public FdHandler {
 public:
  explicit Notifier(EventLoop* loop)
      : loop_(loop), fd_(eventfd(0, EFD_NONBLOCK | EFD_CLOEXEC)), task_(&run_cb, loop) {}
  ~Notifier() override {
    if (fd_ >= 0) close(fd_);
  }
  void on_fd_event(uint32_t) override {
    uint64_t v;
    while (read(fd_, &v, sizeof v) > 0) {
    }
    loop_->wake(&task_);
  }
  void notify() {
    uint64_t one = 1;
    ssize_t r = write(fd_, &one, sizeof one);
    (void)r;
  }
  int fd() const { return fd_; }
  const char* fd_kind() const override { return "loop_notifier"; }

 private:
  static void run_cb(Tasklet*, void* loop, uint32_t) {
    static_cast<EventLoop*>(loop)->run_posted();
  }

  EventLoop* loop_;
  int fd_;
  Tasklet task_;
};

EventLoop::EventLoop(const Clock* clock) : clock_(clock), events_(256) {
  epfd_ = epoll_create1(EPOLL_CLOEXEC);
  now_ = clock_->now_ms();
  notifier_ = new Notifier(this);
  add_fd(notifier_->fd(), EPOLLIN, notifier_);
}

EventLoop::~EventLoop() {
  delete notifier_;
  if (epfd_ >= 0) close(epfd_);
  if (t_current == this) t_current = nullptr;
  if (current_activity() == &activity_) set_current_activity(nullptr);
}

EventLoop* EventLoop::current() { return t_current; }
void EventLoop::make_current() {
  t_current = this;
  set_current_activity(&activity_);
}

void EventLoop::note_fd(int fd, FdHandler* h, uint32_t events) {
  if (fd < 0) return;
  std::lock_guard<std::mutex> g(fd_mu_);
  if (size_t(fd) >= fds_.size()) {
    if (!h) return;
    fds_.resize(size_t(fd) + 1);
  }
  fds_[size_t(fd)] = h ? FdSlot{fd, h, events} : FdSlot{};
}

bool EventLoop::add_fd(int fd, uint32_t events, FdHandler* h) {
  epoll_event ev{};
  ev.events = events;
  ev.data.ptr = h;
  if (epoll_ctl(epfd_, EPOLL_CTL_ADD, fd, &ev) != 0) return false;
  note_fd(fd, h, events);
  return true;
}

bool EventLoop::mod_fd(int fd, uint32_t events, FdHandler* h) {
  epoll_event ev{};
  ev.events = events;
  ev.data.ptr = h;
  if (epoll_ctl(epfd_, EPOLL_CTL_MOD, fd, &ev) != 0) return false;
  note_fd(fd, h, events);
  return true;
}

void EventLoop::del_fd(int fd) {
  epoll_event ev{};
  epoll_ctl(epfd_, EPOLL_CTL_DEL, fd, &ev);
  note_fd(fd, nullptr, 0);
}

void EventLoop::post(void (*fn)(void*), void* arg) {
  {
    std::lock_guard<std::mutex> g(post_mu_);
    posted_.emplace_back(fn, arg);
  }
  notifier_->notify();
}

void EventLoop::run_posted() {
  std::vector<std::pair<void (*)(void*), void*>> work;
  {
    std::lock_guard<std::mutex> g(post_mu_);
    work.swap(posted_);
  }
  for (auto& [fn, arg] : work) fn(arg);
}

void EventLoop::stop() {
  stop_.store(true, std::memory_order_relaxed);
  notifier_->notify();
}

void EventLoop::run_once(int max_wait_ms) {
  make_current();
  LoopActivity& a = activity_;
  int timeout = max_wait_ms;
  if (!runq_.empty()) {
    timeout = 0;
    a.wake_tasks.add();
  } else {
    int64_t next = timers_.next_key();
    if (next != kNever) {
      int64_t delta = next - clock_->now_ms();
      if (delta < 0) delta = 0;
      if (delta > INT32_MAX) delta = INT32_MAX;
      if (timeout < 0 || delta < timeout) timeout = int(delta);
    }
  }
  a.timers_at_poll.store(timers_.size(), std::memory_order_relaxed);
  a.tasklets_at_poll.store(runq_.empty() ? 0 : runq_.size(), std::memory_order_relaxed);
  // The thread's CPU clock is a system call (about 1 us here, against 25 ns
  // for the monotonic clock): it is read only once the work since the last
  // read reaches 1 ms, so a busy loop pays it at most once per ms of work.
  // The CPU time between two reads is that work (plus the kernel's time in
  // the waits between, which makes the stolen time a slight underestimate).
  if (last_work_ns_ >= 0) {
    note_loop_work(&a, last_work_ns_);
    work_since_cpu_ns_ += last_work_ns_;
  }
  if (work_since_cpu_ns_ >= kCpuSampleNs || last_work_ns_ < 0) {
    const int64_t cpu = thread_cpu_ns();
    if (last_work_ns_ >= 0)
      note_stolen(&a, work_since_cpu_ns_, cpu - a.cpu_at_poll_ns.load(std::memory_order_relaxed),
                  now_);
    a.cpu_at_poll_ns.store(cpu, std::memory_order_relaxed);
    work_since_cpu_ns_ = 0;
  }
  a.polling.store(true, std::memory_order_relaxed);
  int n = epoll_wait(epfd_, events_.data(), int(events_.size()), timeout);
  a.polling.store(false, std::memory_order_relaxed);
  const int64_t work_start = mono_ns();
  a.loops.add();
  if (n > 0)
    a.poll_io.add();
  else if (n == 0 && timeout != 0)
    a.poll_exp.add();
  now_ = clock_->now_ms();
  for (int i = 0; i < n; ++i)
    static_cast<FdHandler*>(events_[i].data.ptr)->on_fd_event(events_[i].events);
  const bool queued = !runq_.empty();
  const int ran = runq_.run_batch(runqueue_depth_);
  if (!queued) a.empty_rq.add();
  if (runqueue_depth_ > 0 && ran >= runqueue_depth_ && !runq_.empty()) a.long_rq.add();
  now_ = clock_->now_ms();
  const int fired = timers_.run_expired(now_);
  if (fired > 0) {
    a.tasksw.add(uint64_t(fired));
    a.ctxsw.add(uint64_t(fired));
  }
  const int64_t wall = mono_ns() - work_start;
  last_work_ns_ = wall;
  a.work_1s.add(now_, uint64_t(wall));
  if (const uint64_t out = a.bytes_out.get(); out != bytes_out_windowed_) {
    a.bytes_out_1s.add(now_, out - bytes_out_windowed_);
    bytes_out_windowed_ = out;
  }
  // Auto profiling watches how long the loop's work takes (not its waits).
  if (profiling_mode() == ProfilingMode::kAuto) note_loop_time(wall);
  a.profiling.store(profiling_active(), std::memory_order_relaxed);
}

void EventLoop::set_limits(int max_events, int runqueue_depth) {
  events_.assign(size_t(max_events > 0 ? max_events : 256), epoll_event{});
  runqueue_depth_ = runqueue_depth;
}

void EventLoop::run() {
  make_current();
  activity_.thread_id.store(uint64_t(pthread_self()), std::memory_order_relaxed);
  while (!stopping()) run_once(-1);
}

}  // namespace hearth
