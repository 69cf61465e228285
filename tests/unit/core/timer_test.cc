#include "core/timer.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <memory>
#include <random>
#include <vector>

#include "core/clock.h"
#include "core/event_loop.h"

namespace hearth {
namespace {

// Records which timers fired, in order, and at what deadline they were due.
struct FireLog {
  std::vector<int> ids;
};

struct TestTimer {
  Timer timer;
  int id = 0;
  FireLog* log = nullptr;
  TestTimer(int i, FireLog* l) : timer(&TestTimer::on_fire, this), id(i), log(l) {}
  static void on_fire(Timer*, void* ctx) {
    auto* self = static_cast<TestTimer*>(ctx);
    self->log->ids.push_back(self->id);
  }
};

TEST(TimerQueueTest, FiresInDeadlineOrderAndOnlyWhenDue) {
  TimerQueue q;
  FireLog log;
  TestTimer a(1, &log), b(2, &log), c(3, &log);
  q.arm(&c.timer, 300);
  q.arm(&a.timer, 100);
  q.arm(&b.timer, 200);
  EXPECT_EQ(q.size(), 3u);
  EXPECT_EQ(q.next_key(), 100);

  EXPECT_EQ(q.run_expired(99), 0);
  EXPECT_TRUE(log.ids.empty());

  EXPECT_EQ(q.run_expired(200), 2);
  EXPECT_EQ(log.ids, (std::vector<int>{1, 2}));
  EXPECT_FALSE(a.timer.queued());
  EXPECT_EQ(a.timer.expire, kNever);
  EXPECT_TRUE(c.timer.queued());
  EXPECT_EQ(q.next_key(), 300);

  EXPECT_EQ(q.run_expired(1000), 1);
  EXPECT_EQ(log.ids, (std::vector<int>{1, 2, 3}));
  EXPECT_EQ(q.size(), 0u);
  EXPECT_EQ(q.next_key(), kNever);
}

TEST(TimerQueueTest, CancelRemovesTimer) {
  TimerQueue q;
  FireLog log;
  TestTimer a(1, &log), b(2, &log), c(3, &log);
  q.arm(&a.timer, 100);
  q.arm(&b.timer, 200);
  q.arm(&c.timer, 300);
  q.cancel(&b.timer);
  EXPECT_FALSE(b.timer.queued());
  EXPECT_EQ(q.size(), 2u);
  q.cancel(&a.timer);  // cancelling the top
  EXPECT_EQ(q.next_key(), 300);
  q.cancel(&a.timer);  // cancelling twice is harmless
  EXPECT_EQ(q.run_expired(1000), 1);
  EXPECT_EQ(log.ids, (std::vector<int>{3}));
}

TEST(TimerQueueTest, ArmNeverDisarms) {
  TimerQueue q;
  FireLog log;
  TestTimer a(1, &log);
  q.arm(&a.timer, 100);
  q.arm(&a.timer, kNever);
  EXPECT_FALSE(a.timer.queued());
  EXPECT_EQ(q.run_expired(1000), 0);
  EXPECT_TRUE(log.ids.empty());
}

TEST(TimerQueueTest, RearmLaterIsLazyAndFiresAtNewDeadline) {
  TimerQueue q;
  FireLog log;
  TestTimer a(1, &log);
  q.arm(&a.timer, 100);
  q.arm(&a.timer, 500);
  // Lazy: the heap still sorts by the old, earlier key.
  EXPECT_EQ(a.timer.key, 100);
  EXPECT_EQ(a.timer.expire, 500);
  EXPECT_EQ(q.next_key(), 100);

  // Reaching the stale key fires nothing and requeues at the real deadline.
  EXPECT_EQ(q.run_expired(100), 0);
  EXPECT_TRUE(log.ids.empty());
  EXPECT_TRUE(a.timer.queued());
  EXPECT_EQ(q.next_key(), 500);

  EXPECT_EQ(q.run_expired(499), 0);
  EXPECT_EQ(q.run_expired(500), 1);
  EXPECT_EQ(log.ids, (std::vector<int>{1}));
}

TEST(TimerQueueTest, RearmLaterThenEarlierButAfterKeyUsesLatestDeadline) {
  TimerQueue q;
  FireLog log;
  TestTimer a(1, &log);
  q.arm(&a.timer, 100);
  q.arm(&a.timer, 300);
  q.arm(&a.timer, 200);  // earlier than 300 but after the key 100
  EXPECT_EQ(q.run_expired(150), 0);
  EXPECT_EQ(q.run_expired(199), 0);
  EXPECT_EQ(q.run_expired(200), 1);
  EXPECT_EQ(log.ids, (std::vector<int>{1}));
}

TEST(TimerQueueTest, LazilyRearmedTimerStillFiresInDeadlineOrder) {
  TimerQueue q;
  FireLog log;
  TestTimer a(1, &log), b(2, &log);
  q.arm(&a.timer, 100);
  q.arm(&a.timer, 500);  // lazy: key stays 100
  q.arm(&b.timer, 400);
  // Both are due; b's deadline (400) is before a's (500).
  EXPECT_EQ(q.run_expired(600), 2);
  EXPECT_EQ(log.ids, (std::vector<int>{2, 1}));
}

TEST(TimerQueueTest, RearmEarlierMovesTimerAhead) {
  TimerQueue q;
  FireLog log;
  TestTimer a(1, &log), b(2, &log);
  q.arm(&a.timer, 100);
  q.arm(&b.timer, 500);
  q.arm(&b.timer, 50);
  EXPECT_EQ(q.next_key(), 50);
  EXPECT_EQ(q.run_expired(60), 1);
  EXPECT_EQ(log.ids, (std::vector<int>{2}));
  EXPECT_EQ(q.run_expired(100), 1);
  EXPECT_EQ(log.ids, (std::vector<int>{2, 1}));
}

struct Rearming {
  Timer timer;
  TimerQueue* q;
  int fired = 0;
  int64_t period;
  int max_fires;
  Rearming(TimerQueue* queue, int64_t p, int max)
      : timer(&Rearming::on_fire, this), q(queue), period(p), max_fires(max) {}
  static void on_fire(Timer* t, void* ctx) {
    auto* self = static_cast<Rearming*>(ctx);
    ++self->fired;
    if (self->fired < self->max_fires) self->q->arm(t, t->key + self->period);
  }
};

TEST(TimerQueueTest, RearmFromInsideCallback) {
  TimerQueue q;
  Rearming r(&q, 100, 3);
  q.arm(&r.timer, 100);
  EXPECT_EQ(q.run_expired(100), 1);
  EXPECT_EQ(r.fired, 1);
  EXPECT_TRUE(r.timer.queued());
  EXPECT_EQ(q.next_key(), 200);
  EXPECT_EQ(q.run_expired(150), 0);
  // Both remaining deadlines (200, 300) are due: the re-armed timer fires again
  // within the same call.
  EXPECT_EQ(q.run_expired(300), 2);
  EXPECT_EQ(r.fired, 3);
  EXPECT_FALSE(r.timer.queued());
}

struct CancelOther {
  Timer timer;
  TimerQueue* q;
  Timer* victim;
  CancelOther(TimerQueue* queue, Timer* v) : timer(&CancelOther::on_fire, this), q(queue), victim(v) {}
  static void on_fire(Timer*, void* ctx) {
    auto* self = static_cast<CancelOther*>(ctx);
    self->q->cancel(self->victim);
  }
};

TEST(TimerQueueTest, CallbackMayCancelAnotherDueTimer) {
  TimerQueue q;
  FireLog log;
  TestTimer victim(7, &log);
  CancelOther killer(&q, &victim.timer);
  q.arm(&killer.timer, 100);
  q.arm(&victim.timer, 110);
  EXPECT_EQ(q.run_expired(200), 1);
  EXPECT_TRUE(log.ids.empty());
  EXPECT_EQ(q.size(), 0u);
}

TEST(TimerQueueTest, ManyTimersRandomOrderFireSortedByDeadline) {
  TimerQueue q;
  FireLog log;
  std::mt19937 rng(12345);
  std::uniform_int_distribution<int64_t> when(1, 100000);
  constexpr int kCount = 2000;
  std::vector<std::unique_ptr<TestTimer>> timers;
  std::vector<int64_t> deadline(kCount);
  for (int i = 0; i < kCount; ++i) {
    timers.push_back(std::make_unique<TestTimer>(i, &log));
    deadline[i] = when(rng);
    q.arm(&timers[i]->timer, deadline[i]);
  }
  // Push a random third later (lazy path), cancel a random tenth.
  std::vector<bool> cancelled(kCount, false);
  for (int i = 0; i < kCount; ++i) {
    int r = int(rng() % 10);
    if (r < 3) {
      deadline[i] += when(rng);
      q.arm(&timers[i]->timer, deadline[i]);
    } else if (r == 3) {
      q.cancel(&timers[i]->timer);
      cancelled[i] = true;
    } else if (r == 4) {
      deadline[i] = deadline[i] / 2 + 1;  // earlier
      q.arm(&timers[i]->timer, deadline[i]);
    }
  }
  // Advance time in steps; every fire must happen at the first step >= deadline.
  int fired_total = 0;
  for (int64_t now = 0; now <= 250000; now += 997) {
    size_t before = log.ids.size();
    fired_total += q.run_expired(now);
    for (size_t k = before; k < log.ids.size(); ++k) {
      int id = log.ids[k];
      EXPECT_LE(deadline[id], now);
      EXPECT_GT(deadline[id], now - 997) << "timer " << id << " fired late";
    }
  }
  int expected = 0;
  for (int i = 0; i < kCount; ++i) expected += cancelled[i] ? 0 : 1;
  EXPECT_EQ(fired_total, expected);
  ASSERT_EQ(int(log.ids.size()), expected);
  for (size_t k = 1; k < log.ids.size(); ++k)
    EXPECT_LE(deadline[log.ids[k - 1]], deadline[log.ids[k]]) << "at position " << k;
  EXPECT_EQ(q.size(), 0u);
}

TEST(TimerQueueTest, SingleStepFiresAllInSortedOrder) {
  TimerQueue q;
  FireLog log;
  std::mt19937 rng(777);
  constexpr int kCount = 500;
  std::vector<std::unique_ptr<TestTimer>> timers;
  std::vector<int64_t> deadline(kCount);
  for (int i = 0; i < kCount; ++i) {
    timers.push_back(std::make_unique<TestTimer>(i, &log));
    deadline[i] = int64_t(rng() % 10000);
    q.arm(&timers[i]->timer, deadline[i]);
  }
  EXPECT_EQ(q.run_expired(10000), kCount);
  ASSERT_EQ(int(log.ids.size()), kCount);
  for (size_t k = 1; k < log.ids.size(); ++k)
    EXPECT_LE(deadline[log.ids[k - 1]], deadline[log.ids[k]]);
}

TEST(TimerQueueTest, EventLoopFiresExpiredTimersWithFakeClock) {
  FakeClock clock(1000);
  EventLoop loop(&clock);
  FireLog log;
  TestTimer a(1, &log), b(2, &log);
  loop.timers().arm(&a.timer, 1100);
  loop.timers().arm(&b.timer, 1200);

  loop.run_once(0);
  EXPECT_TRUE(log.ids.empty());

  clock.advance(100);
  loop.run_once(0);
  EXPECT_EQ(log.ids, (std::vector<int>{1}));
  EXPECT_EQ(loop.now_ms(), 1100);

  clock.advance(50);
  loop.run_once(0);
  EXPECT_EQ(log.ids, (std::vector<int>{1}));

  clock.advance(50);
  // With the timer already due, even an unbounded wait returns at once.
  loop.run_once(-1);
  EXPECT_EQ(log.ids, (std::vector<int>{1, 2}));
  EXPECT_EQ(loop.timers().size(), 0u);
}

}  // namespace
}  // namespace hearth
