#include "core/event_loop.h"

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
}

EventLoop* EventLoop::current() { return t_current; }
void EventLoop::make_current() { t_current = this; }

bool EventLoop::add_fd(int fd, uint32_t events, FdHandler* h) {
  epoll_event ev{};
  ev.events = events;
  ev.data.ptr = h;
  return epoll_ctl(epfd_, EPOLL_CTL_ADD, fd, &ev) == 0;
}

bool EventLoop::mod_fd(int fd, uint32_t events, FdHandler* h) {
  epoll_event ev{};
  ev.events = events;
  ev.data.ptr = h;
  return epoll_ctl(epfd_, EPOLL_CTL_MOD, fd, &ev) == 0;
}

void EventLoop::del_fd(int fd) {
  epoll_event ev{};
  epoll_ctl(epfd_, EPOLL_CTL_DEL, fd, &ev);
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
  int timeout = max_wait_ms;
  if (!runq_.empty()) {
    timeout = 0;
  } else {
    int64_t next = timers_.next_key();
    if (next != kNever) {
      int64_t delta = next - clock_->now_ms();
      if (delta < 0) delta = 0;
      if (delta > INT32_MAX) delta = INT32_MAX;
      if (timeout < 0 || delta < timeout) timeout = int(delta);
    }
  }
  int n = epoll_wait(epfd_, events_.data(), int(events_.size()), timeout);
  // Auto profiling watches how long the loop's work takes (not its waits).
  const bool watch = profiling_mode() == ProfilingMode::kAuto;
  const int64_t work_start = watch ? mono_ns() : 0;
  now_ = clock_->now_ms();
  for (int i = 0; i < n; ++i)
    static_cast<FdHandler*>(events_[i].data.ptr)->on_fd_event(events_[i].events);
  runq_.run_batch(runqueue_depth_);
  now_ = clock_->now_ms();
  timers_.run_expired(now_);
  if (watch) note_loop_time(mono_ns() - work_start);
}

void EventLoop::set_limits(int max_events, int runqueue_depth) {
  events_.assign(size_t(max_events > 0 ? max_events : 256), epoll_event{});
  runqueue_depth_ = runqueue_depth;
}

void EventLoop::run() {
  make_current();
  while (!stopping()) run_once(-1);
}

}  // namespace hearth
