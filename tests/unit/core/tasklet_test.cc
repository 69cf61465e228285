#include "core/tasklet.h"

#include <gtest/gtest.h>

#include <memory>
#include <vector>

namespace hearth {
namespace {

struct Probe {
  Tasklet tasklet;
  int runs = 0;
  std::vector<uint32_t> states;
  std::vector<int>* order = nullptr;
  int id = 0;
  Probe() : tasklet(&Probe::run, this) {}
  static void run(Tasklet*, void* ctx, uint32_t state) {
    auto* p = static_cast<Probe*>(ctx);
    ++p->runs;
    p->states.push_back(state);
    if (p->order) p->order->push_back(p->id);
  }
};

TEST(RunQueueTest, WakeQueuesOnceAndMergesStateBits) {
  RunQueue q;
  Probe p;
  EXPECT_TRUE(q.empty());
  q.wake(&p.tasklet, kWakeRecv);
  q.wake(&p.tasklet, kWakeSend);
  q.wake(&p.tasklet, kWakeRecv);
  EXPECT_TRUE(p.tasklet.queued());
  EXPECT_FALSE(q.empty());
  EXPECT_EQ(q.run_batch(), 1);
  EXPECT_EQ(p.runs, 1);
  ASSERT_EQ(p.states.size(), 1u);
  EXPECT_EQ(p.states[0], kWakeRecv | kWakeSend);
  EXPECT_EQ(p.tasklet.state, 0u);  // cleared for the next wake
  EXPECT_FALSE(p.tasklet.queued());
  EXPECT_TRUE(q.empty());
  EXPECT_EQ(q.run_batch(), 0);
}

TEST(RunQueueTest, RunsInWakeOrder) {
  RunQueue q;
  std::vector<int> order;
  Probe a, b, c;
  a.id = 1, b.id = 2, c.id = 3;
  a.order = b.order = c.order = &order;
  q.wake(&b.tasklet, kWakeOther);
  q.wake(&a.tasklet, kWakeOther);
  q.wake(&c.tasklet, kWakeOther);
  q.wake(&b.tasklet, kWakeTimer);  // already queued: keeps its place
  EXPECT_EQ(q.run_batch(), 3);
  EXPECT_EQ(order, (std::vector<int>{2, 1, 3}));
  EXPECT_EQ(b.states[0], kWakeOther | kWakeTimer);
}

struct SelfRequeue {
  Tasklet tasklet;
  RunQueue* q;
  int runs = 0;
  int max_runs;
  SelfRequeue(RunQueue* queue, int max) : tasklet(&SelfRequeue::run, this), q(queue), max_runs(max) {}
  static void run(Tasklet* t, void* ctx, uint32_t) {
    auto* s = static_cast<SelfRequeue*>(ctx);
    ++s->runs;
    if (s->runs < s->max_runs) s->q->wake(t, kWakeOther);
  }
};

TEST(RunQueueTest, SelfRequeuedTaskletRunsInNextBatch) {
  RunQueue q;
  SelfRequeue s(&q, 1000);
  q.wake(&s.tasklet, kWakeOther);
  EXPECT_EQ(q.run_batch(), 1);
  EXPECT_EQ(s.runs, 1);
  EXPECT_TRUE(s.tasklet.queued());
  EXPECT_FALSE(q.empty());
  EXPECT_EQ(q.run_batch(), 1);
  EXPECT_EQ(s.runs, 2);
}

TEST(RunQueueTest, TaskletWokenByAnotherDuringBatchWaitsForNextBatch) {
  RunQueue q;
  Probe later;
  struct Waker {
    Tasklet tasklet;
    RunQueue* q;
    Tasklet* target;
    static void run(Tasklet*, void* ctx, uint32_t) {
      auto* w = static_cast<Waker*>(ctx);
      w->q->wake(w->target, kWakeOther);
    }
  } waker{{&Waker::run, &waker}, &q, &later.tasklet};
  q.wake(&waker.tasklet, kWakeOther);
  EXPECT_EQ(q.run_batch(), 1);
  EXPECT_EQ(later.runs, 0);
  EXPECT_EQ(q.run_batch(), 1);
  EXPECT_EQ(later.runs, 1);
}

TEST(RunQueueTest, FreeingQueuedTaskletUnlinksIt) {
  RunQueue q;
  Probe keep;
  auto gone = std::make_unique<Probe>();
  q.wake(&gone->tasklet, kWakeOther);
  q.wake(&keep.tasklet, kWakeOther);
  gone.reset();
  EXPECT_EQ(q.run_batch(), 1);
  EXPECT_EQ(keep.runs, 1);
  EXPECT_TRUE(q.empty());
}

TEST(RunQueueTest, TaskletFreedByAnotherInSameBatchDoesNotRun) {
  RunQueue q;
  auto victim = std::make_unique<Probe>();
  struct Killer {
    Tasklet tasklet;
    std::unique_ptr<Probe>* victim;
    static void run(Tasklet*, void* ctx, uint32_t) { static_cast<Killer*>(ctx)->victim->reset(); }
  } killer{{&Killer::run, &killer}, &victim};
  q.wake(&killer.tasklet, kWakeOther);
  q.wake(&victim->tasklet, kWakeOther);
  EXPECT_EQ(q.run_batch(), 1);
  EXPECT_EQ(victim, nullptr);
  EXPECT_TRUE(q.empty());
}

TEST(RunQueueTest, CancelUnqueuesAndClearsState) {
  RunQueue q;
  Probe p;
  q.wake(&p.tasklet, kWakeRecv);
  p.tasklet.cancel();
  EXPECT_FALSE(p.tasklet.queued());
  EXPECT_EQ(p.tasklet.state, 0u);
  EXPECT_EQ(q.run_batch(), 0);
  EXPECT_EQ(p.runs, 0);
  q.wake(&p.tasklet, kWakeSend);
  EXPECT_EQ(q.run_batch(), 1);
  EXPECT_EQ(p.states[0], kWakeSend);
}

TEST(RunQueueTest, TaskletMayFreeItself) {
  RunQueue q;
  struct SelfFree {
    Tasklet tasklet;
    int* ran;
    static void run(Tasklet*, void* ctx, uint32_t) {
      auto* s = static_cast<SelfFree*>(ctx);
      ++*s->ran;
      delete s;
    }
  };
  int ran = 0;
  auto* s = new SelfFree{{&SelfFree::run, nullptr}, &ran};
  s->tasklet.ctx = s;
  Probe after;
  q.wake(&s->tasklet, kWakeOther);
  q.wake(&after.tasklet, kWakeOther);
  EXPECT_EQ(q.run_batch(), 2);
  EXPECT_EQ(ran, 1);
  EXPECT_EQ(after.runs, 1);
}

}  // namespace
}  // namespace hearth
