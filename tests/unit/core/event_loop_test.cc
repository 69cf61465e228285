#include "core/event_loop.h"

#include <fcntl.h>
#include <gtest/gtest.h>
#include <sys/epoll.h>
#include <unistd.h>

#include <atomic>
#include <chrono>
#include <thread>

#include "core/clock.h"

namespace hearth {
namespace {

struct Probe {
  Tasklet tasklet;
  int runs = 0;
  uint32_t last_state = 0;
  Probe() : tasklet(&Probe::run, this) {}
  static void run(Tasklet*, void* ctx, uint32_t state) {
    auto* p = static_cast<Probe*>(ctx);
    ++p->runs;
    p->last_state = state;
  }
};

TEST(EventLoopTest, RunOnceMakesLoopCurrentAndRunsWokenTasklets) {
  EventLoop loop;
  Probe p;
  loop.wake(&p.tasklet, kWakeTimer);
  loop.run_once(1000);  // must not wait: a tasklet is queued
  EXPECT_EQ(EventLoop::current(), &loop);
  EXPECT_EQ(p.runs, 1);
  EXPECT_EQ(p.last_state, kWakeTimer);
}

TEST(EventLoopTest, RunOnceWithNothingToDoHonoursTimeout) {
  EventLoop loop;
  auto t0 = std::chrono::steady_clock::now();
  loop.run_once(30);
  auto elapsed = std::chrono::steady_clock::now() - t0;
  EXPECT_GE(elapsed, std::chrono::milliseconds(25));
}

TEST(EventLoopTest, RealClockTimerFiresAfterItsDelay) {
  EventLoop loop;
  int fired = 0;
  Timer t([](Timer*, void* ctx) { ++*static_cast<int*>(ctx); }, &fired);
  loop.update_time();
  loop.timers().arm(&t, loop.now_ms() + 20);
  auto t0 = std::chrono::steady_clock::now();
  for (int i = 0; i < 100 && !fired; ++i) loop.run_once(-1);  // sleeps until the timer
  EXPECT_EQ(fired, 1);
  EXPECT_GE(std::chrono::steady_clock::now() - t0, std::chrono::milliseconds(15));
}

struct PostState {
  std::thread::id ran_on;
  std::atomic<int> runs{0};
  EventLoop* loop = nullptr;
  EventLoop* current_seen = nullptr;
};

TEST(EventLoopTest, PostFromAnotherThreadRunsOnLoopThread) {
  EventLoop loop;
  PostState st;
  std::thread poster([&] {
    loop.post(
        [](void* arg) {
          auto* s = static_cast<PostState*>(arg);
          s->ran_on = std::this_thread::get_id();
          s->current_seen = EventLoop::current();
          s->runs.fetch_add(1);
        },
        &st);
  });
  poster.join();
  for (int i = 0; i < 50 && st.runs.load() == 0; ++i) loop.run_once(100);
  EXPECT_EQ(st.runs.load(), 1);
  EXPECT_EQ(st.ran_on, std::this_thread::get_id());
  EXPECT_EQ(st.current_seen, &loop);
  // The eventfd was drained: the next iteration does not run it again.
  loop.run_once(0);
  EXPECT_EQ(st.runs.load(), 1);
}

TEST(EventLoopTest, PostWakesABlockedLoop) {
  EventLoop loop;
  PostState st;
  std::thread loop_thread([&] {
    loop.run_once(-1);  // blocks until something happens
  });
  std::this_thread::sleep_for(std::chrono::milliseconds(20));
  loop.post([](void* arg) { static_cast<PostState*>(arg)->runs.fetch_add(1); }, &st);
  loop_thread.join();
  EXPECT_EQ(st.runs.load(), 1);
}

TEST(EventLoopTest, StopFromAnotherThreadEndsRun) {
  EventLoop loop;
  std::atomic<bool> returned{false};
  std::thread loop_thread([&] {
    loop.run();
    returned = true;
  });
  std::this_thread::sleep_for(std::chrono::milliseconds(20));
  EXPECT_FALSE(returned.load());
  loop.stop();
  loop_thread.join();
  EXPECT_TRUE(returned.load());
  EXPECT_TRUE(loop.stopping());
}

struct PipeHandler final : FdHandler {
  int calls = 0;
  uint32_t last = 0;
  void on_fd_event(uint32_t events) override {
    ++calls;
    last = events;
  }
};

TEST(EventLoopTest, FdHandlerGetsPipeEvents) {
  EventLoop loop;
  int p[2];
  ASSERT_EQ(pipe2(p, O_NONBLOCK | O_CLOEXEC), 0);
  PipeHandler h;
  ASSERT_TRUE(loop.add_fd(p[0], EPOLLIN, &h));

  loop.run_once(0);
  EXPECT_EQ(h.calls, 0);  // nothing written yet

  ASSERT_EQ(write(p[1], "x", 1), 1);
  loop.run_once(1000);
  EXPECT_EQ(h.calls, 1);
  EXPECT_TRUE(h.last & EPOLLIN);

  // Level-triggered: still readable, reported again.
  loop.run_once(0);
  EXPECT_EQ(h.calls, 2);
  char c;
  ASSERT_EQ(read(p[0], &c, 1), 1);
  loop.run_once(0);
  EXPECT_EQ(h.calls, 2);

  // Edge-triggered via mod_fd: one report per write.
  ASSERT_TRUE(loop.mod_fd(p[0], EPOLLIN | EPOLLET, &h));
  ASSERT_EQ(write(p[1], "y", 1), 1);
  loop.run_once(1000);
  loop.run_once(0);
  EXPECT_EQ(h.calls, 3);

  // Writer closes: EPOLLHUP.
  loop.del_fd(p[0]);
  ASSERT_TRUE(loop.add_fd(p[0], EPOLLIN, &h));
  close(p[1]);
  loop.run_once(1000);
  EXPECT_EQ(h.calls, 4);
  EXPECT_TRUE(h.last & EPOLLHUP);

  loop.del_fd(p[0]);
  loop.run_once(0);
  EXPECT_EQ(h.calls, 4);
  close(p[0]);
}

TEST(EventLoopTest, AddFdRejectsBadFd) {
  EventLoop loop;
  PipeHandler h;
  EXPECT_FALSE(loop.add_fd(-1, EPOLLIN, &h));
}

TEST(EventLoopTest, FakeClockDrivesNowAndTimers) {
  FakeClock clock(5000);
  EventLoop loop(&clock);
  EXPECT_EQ(loop.now_ms(), 5000);
  EXPECT_EQ(loop.clock(), &clock);
  int fired = 0;
  Timer t([](Timer*, void* ctx) { ++*static_cast<int*>(ctx); }, &fired);
  loop.timers().arm(&t, 5010);
  loop.run_once(0);
  EXPECT_EQ(fired, 0);
  clock.set(5010);
  loop.run_once(0);
  EXPECT_EQ(fired, 1);
  EXPECT_EQ(loop.now_ms(), 5010);
}

TEST(EventLoopTest, DestroyingLoopClearsCurrent) {
  {
    EventLoop loop;
    loop.make_current();
    EXPECT_EQ(EventLoop::current(), &loop);
  }
  EXPECT_EQ(EventLoop::current(), nullptr);
}

}  // namespace
}  // namespace hearth

namespace hearth {
namespace {

// A posted call may free what the poller's events point to (a soft stop
// closing idle connections): it runs after every event of the batch, even
// when the wake-up was the first event reported.
TEST(EventLoopTest, PostedCallsRunAfterTheWholeBatchOfEvents) {
  EventLoop loop;
  struct Order final : FdHandler {
    std::vector<std::string>* log;
    void on_fd_event(uint32_t) override { log->push_back("fd"); }
  };
  std::vector<std::string> log;
  int p[2];
  ASSERT_EQ(pipe2(p, O_NONBLOCK | O_CLOEXEC), 0);
  Order h;
  h.log = &log;
  ASSERT_TRUE(loop.add_fd(p[0], EPOLLIN | EPOLLET, &h));
  loop.post([](void* arg) { static_cast<std::vector<std::string>*>(arg)->push_back("post"); },
            &log);  // the wake-up is ready before the pipe
  ASSERT_EQ(write(p[1], "x", 1), 1);
  for (int i = 0; i < 3 && log.size() < 2; ++i) loop.run_once(100);
  ASSERT_EQ(log.size(), 2u);
  EXPECT_EQ(log[0], "fd");
  EXPECT_EQ(log[1], "post");
  close(p[0]);
  close(p[1]);
}

}  // namespace
}  // namespace hearth
