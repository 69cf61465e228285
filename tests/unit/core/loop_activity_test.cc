// The per-loop activity counters ("show activity", "show threads") and the fd
// table ("show fd"): each counts what the loop did, and only that.
#include "core/loop_activity.h"

#include <fcntl.h>
#include <gtest/gtest.h>
#include <sys/epoll.h>
#include <unistd.h>

#include <vector>

#include "core/event_loop.h"
#include "core/pool.h"

namespace hearth {
namespace {

struct Reader final : FdHandler {
  int calls = 0;
  void on_fd_event(uint32_t) override { ++calls; }
  const char* fd_kind() const override { return "test_reader"; }
};

struct Probe {
  Tasklet tasklet;
  TaskProfile prof;
  int runs = 0;
  Probe() : tasklet(&Probe::run, this) {}
  static void run(Tasklet*, void* ctx, uint32_t) { ++static_cast<Probe*>(ctx)->runs; }
};

TEST(LoopActivity, CountsTurnsWaitsAndWork) {
  EventLoop loop;
  const LoopActivity& a = loop.activity();
  // A turn whose wait times out with nothing to do.
  loop.run_once(1);
  EXPECT_EQ(a.loops.get(), 1u);
  EXPECT_EQ(a.poll_exp.get(), 1u);
  EXPECT_EQ(a.poll_io.get(), 0u);
  EXPECT_EQ(a.empty_rq.get(), 1u);
  EXPECT_EQ(a.wake_tasks.get(), 0u);
  // A queued tasklet: the wait is skipped and the call counted; one with a
  // profile is a stream's.
  Probe plain, stream;
  stream.tasklet.prof = &stream.prof;
  loop.wake(&plain.tasklet);
  loop.wake(&stream.tasklet);
  loop.run_once(-1);
  EXPECT_EQ(plain.runs + stream.runs, 2);
  EXPECT_EQ(a.loops.get(), 2u);
  EXPECT_EQ(a.wake_tasks.get(), 1u);
  EXPECT_EQ(a.ctxsw.get(), 2u);
  EXPECT_EQ(a.stream_calls.get(), 1u);
  EXPECT_EQ(a.empty_rq.get(), 1u);
  EXPECT_EQ(a.poll_exp.get(), 1u);  // a wait of 0 that returns nothing is not a timeout
  // A timer that fires is a task switch.
  Timer t([](Timer*, void*) {}, nullptr);
  loop.timers().arm(&t, loop.clock()->now_ms());
  loop.run_once(-1);
  EXPECT_EQ(a.tasksw.get(), 1u);
  EXPECT_EQ(a.ctxsw.get(), 3u);
  // An fd event.
  int p[2];
  ASSERT_EQ(pipe2(p, O_NONBLOCK | O_CLOEXEC), 0);
  Reader r;
  ASSERT_TRUE(loop.add_fd(p[0], EPOLLIN, &r));
  ASSERT_EQ(write(p[1], "x", 1), 1);
  loop.run_once(1000);
  EXPECT_EQ(r.calls, 1);
  EXPECT_EQ(a.poll_io.get(), 1u);
  loop.del_fd(p[0]);
  close(p[0]);
  close(p[1]);
  EXPECT_FALSE(a.polling.load());
  EXPECT_GT(a.cpu_at_poll_ns.load(), 0);
}

TEST(LoopActivity, LongRunQueueIsCountedWhenTheDepthLeavesTaskletsQueued) {
  EventLoop loop;
  loop.set_limits(16, /*runqueue_depth=*/1);
  Probe x, y;
  loop.wake(&x.tasklet);
  loop.wake(&y.tasklet);
  loop.run_once(0);
  EXPECT_EQ(loop.activity().long_rq.get(), 1u);
  loop.run_once(0);
  EXPECT_EQ(loop.activity().long_rq.get(), 1u);
  EXPECT_EQ(x.runs + y.runs, 2);
}

TEST(LoopActivity, FdTableListsWhatIsRegisteredInFdOrder) {
  EventLoop loop;
  int p[2], q[2];
  ASSERT_EQ(pipe2(p, O_NONBLOCK | O_CLOEXEC), 0);
  ASSERT_EQ(pipe2(q, O_NONBLOCK | O_CLOEXEC), 0);
  Reader r1, r2;
  ASSERT_TRUE(loop.add_fd(q[0], EPOLLIN, &r2));
  ASSERT_TRUE(loop.add_fd(p[1], EPOLLOUT, &r1));
  std::vector<FdSlot> seen;
  loop.for_each_fd([&](const FdSlot& s) { seen.push_back(s); });
  // The loop's own notifier, then the two, in fd order.
  ASSERT_EQ(seen.size(), 3u);
  EXPECT_STREQ(seen[0].handler->fd_kind(), "loop_notifier");
  EXPECT_EQ(seen[1].fd, p[1]);
  EXPECT_EQ(seen[1].events, uint32_t(EPOLLOUT));
  EXPECT_EQ(seen[2].fd, q[0]);
  EXPECT_EQ(seen[2].handler, &r2);
  ASSERT_TRUE(loop.mod_fd(q[0], EPOLLIN | EPOLLOUT, &r2));
  loop.del_fd(p[1]);
  seen.clear();
  loop.for_each_fd([&](const FdSlot& s) { seen.push_back(s); });
  ASSERT_EQ(seen.size(), 2u);
  EXPECT_EQ(seen[1].fd, q[0]);
  EXPECT_EQ(seen[1].events, uint32_t(EPOLLIN | EPOLLOUT));
  // A refused registration is not listed.
  EXPECT_FALSE(loop.add_fd(q[0], EPOLLIN, &r1));
  seen.clear();
  loop.for_each_fd([&](const FdSlot& s) { seen.push_back(s); });
  EXPECT_EQ(seen.size(), 2u);
  EXPECT_EQ(seen[1].handler, &r2);
  loop.del_fd(q[0]);
  for (int fd : {p[0], p[1], q[0], q[1]}) close(fd);
}

TEST(LoopActivity, StolenTimeCountsOnlyHalfMillisecondsAndMore) {
  LoopActivity a;
  note_turn(&a, 400000, 0, 1000);  // 0.4 ms: not counted
  EXPECT_EQ(a.stolen_ns.get(), 0u);
  note_turn(&a, 3000000, 1000000, 1000);  // 2 ms stolen
  EXPECT_EQ(a.stolen_ns.get(), 2000000u);
  EXPECT_EQ(a.stolen_1s.read(1500), 2000000u);
  EXPECT_EQ(a.stolen_15s.read(1500), 2000000u);
  // The next second weighs the last one by what is left of the window.
  EXPECT_EQ(a.stolen_1s.read(2250), 1500000u);
  EXPECT_EQ(a.stolen_1s.read(3000), 0u);
  EXPECT_EQ(a.stolen_15s.read(3000), 2000000u);
  EXPECT_GT(a.avg_loop_ns.load(), 0);
}

TEST(LoopActivity, PoolFailuresCountOnTheLoopOfTheThread) {
  EventLoop loop;
  loop.make_current();
  BlockPool pool("activity_test", 64);
  pool.set_limit(1);
  void* first = pool.get();
  ASSERT_NE(first, nullptr);
  EXPECT_EQ(pool.get(), nullptr);
  EXPECT_EQ(loop.activity().pool_fail.get(), 1u);
  pool.put(first);
  set_current_activity(nullptr);
}

}  // namespace
}  // namespace hearth
