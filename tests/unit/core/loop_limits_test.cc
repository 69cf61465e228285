// tune.maxpollevents and tune.runqueue-depth: EventLoop::set_limits bounds
// what one iteration takes from the poller and from the run queue, and what
// is left is taken by the next iterations, none lost.
#include <fcntl.h>
#include <gtest/gtest.h>
#include <sys/epoll.h>
#include <unistd.h>

#include <vector>

#include "core/event_loop.h"

namespace hearth {
namespace {

struct Counter final : FdHandler {
  int* total;
  int calls = 0;
  explicit Counter(int* t) : total(t) {}
  void on_fd_event(uint32_t) override {
    ++calls;
    ++*total;
  }
};

struct Probe {
  Tasklet tasklet;
  int runs = 0;
  Probe() : tasklet(&Probe::run, this) {}
  static void run(Tasklet*, void* ctx, uint32_t) { ++static_cast<Probe*>(ctx)->runs; }
};

TEST(LoopLimits, MaxPollEventsBoundsTheHandlersOneIterationCalls) {
  EventLoop loop;
  loop.set_limits(/*max_events=*/2, /*runqueue_depth=*/0);
  int total = 0;
  std::vector<Counter> handlers(5, Counter(&total));
  std::vector<int> fds;
  for (Counter& h : handlers) {
    int p[2];
    ASSERT_EQ(pipe2(p, O_NONBLOCK | O_CLOEXEC), 0);
    ASSERT_EQ(write(p[1], "x", 1), 1);  // readable, level-triggered: stays ready
    ASSERT_TRUE(loop.add_fd(p[0], EPOLLIN, &h));
    fds.push_back(p[0]);
    fds.push_back(p[1]);
  }
  loop.run_once(0);
  EXPECT_EQ(total, 2);
  loop.run_once(0);
  loop.run_once(0);
  EXPECT_EQ(total, 6);  // epoll rotates the ready list: everyone gets a turn
  for (const Counter& h : handlers) EXPECT_GE(h.calls, 1);
  for (int fd : fds) close(fd);
}

TEST(LoopLimits, DefaultTakesEveryReadyFd) {
  EventLoop loop;
  int total = 0;
  std::vector<Counter> handlers(5, Counter(&total));
  std::vector<int> fds;
  for (Counter& h : handlers) {
    int p[2];
    ASSERT_EQ(pipe2(p, O_NONBLOCK | O_CLOEXEC), 0);
    ASSERT_EQ(write(p[1], "x", 1), 1);
    ASSERT_TRUE(loop.add_fd(p[0], EPOLLIN, &h));
    fds.push_back(p[0]);
    fds.push_back(p[1]);
  }
  loop.run_once(0);
  EXPECT_EQ(total, 5);
  for (int fd : fds) close(fd);
}

TEST(LoopLimits, RunqueueDepthLeavesTheRestForTheNextIteration) {
  EventLoop loop;
  loop.set_limits(/*max_events=*/0, /*runqueue_depth=*/3);
  std::vector<Probe> probes(7);
  for (Probe& p : probes) loop.wake(&p.tasklet, kWakeOther);
  loop.run_once(1000);  // tasklets are queued: no wait
  int ran = 0;
  for (const Probe& p : probes) ran += p.runs;
  EXPECT_EQ(ran, 3);
  EXPECT_EQ(probes[0].runs, 1);  // in the order they were queued
  EXPECT_EQ(probes[3].runs, 0);
  loop.run_once(1000);  // still queued: does not block
  loop.run_once(1000);
  ran = 0;
  for (const Probe& p : probes) {
    EXPECT_EQ(p.runs, 1);
    ran += p.runs;
  }
  EXPECT_EQ(ran, 7);
}

}  // namespace
}  // namespace hearth
