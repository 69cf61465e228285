#include "backend/stat_counters.h"

#include <gtest/gtest.h>

#include <thread>
#include <vector>

namespace hearth::backend {
namespace {

struct Block {
  RateWindow rate;
  TimeTallies times;
  Tally last;
};

class StatCounters : public ::testing::Test {
 protected:
  void SetUp() override {
    saved_ = stat_threads();
    set_stat_threads(2);
  }
  void TearDown() override { set_stat_threads(saved_); }
  // Runs f on a thread that is worker `index`.
  template <typename F>
  static void on_worker(int index, F f) {
    std::thread t([&] {
      set_thread_index(index);
      f();
    });
    t.join();
  }
  int saved_ = 1;
};

// Two threads' events in the same second: the rate and its maximum are the
// sum over the threads, not one thread's share.
TEST_F(StatCounters, RateAndMaxSumTheThreads) {
  PerThread<Block> b;
  RateMax max;
  on_worker(0, [&] {
    for (int i = 0; i < 30; ++i) b.local().rate.add(5000, max);
  });
  on_worker(1, [&] {
    for (int i = 0; i < 20; ++i) b.local().rate.add(5100, max);
  });
  EXPECT_EQ(rate_sum(b, &Block::rate, max, 5500), 50u);
  EXPECT_EQ(max.max(), 50u);  // noted by the reader: nobody left second 5 yet
  // Second 6: thread 0 counts 10 and flushes second 5's 30 into the ring.
  on_worker(0, [&] {
    for (int i = 0; i < 10; ++i) b.local().rate.add(6000, max);
  });
  // At 6.5 s: 10 now, plus half of the previous second (30 of thread 0 and
  // 20 of thread 1, which is still in second 5).
  EXPECT_EQ(rate_sum(b, &Block::rate, max, 6500), 10u + 15u + 10u);
  EXPECT_EQ(max.max(), 50u);
  // Far later, nothing is in the window; the maximum stays.
  EXPECT_EQ(rate_sum(b, &Block::rate, max, 60000), 0u);
  EXPECT_EQ(max.max(), 50u);
}

// A thread that goes idle never leaves its second: a reader still adds its
// count to what the other threads flushed of that second.
TEST_F(StatCounters, MaxCountsTheSecondAnIdleThreadLeftOpen) {
  PerThread<Block> b;
  RateMax max;
  on_worker(0, [&] {
    for (int i = 0; i < 10; ++i) b.local().rate.add(7000, max);
  });
  on_worker(1, [&] {
    for (int i = 0; i < 5; ++i) b.local().rate.add(7200, max);
    b.local().rate.add(8000, max);  // leaves second 7: flushes its 5
  });
  EXPECT_EQ(max.max(), 5u);  // what the ring knows alone
  EXPECT_EQ(rate_sum(b, &Block::rate, max, 20000), 0u);
  EXPECT_EQ(max.max(), 15u);  // thread 0's 10, still open, plus thread 1's 5
}

// Both threads leave the same second: the ring adds their counts.
TEST_F(StatCounters, FlushedSecondsAddUpAcrossThreads) {
  PerThread<Block> b;
  RateMax max;
  on_worker(0, [&] {
    for (int i = 0; i < 7; ++i) b.local().rate.add(9000, max);
    b.local().rate.add(10000, max);
  });
  on_worker(1, [&] {
    for (int i = 0; i < 8; ++i) b.local().rate.add(9000, max);
    b.local().rate.add(10000, max);
  });
  EXPECT_EQ(max.flushed(9), 15u);
  EXPECT_EQ(max.max(), 15u);
}

// The average of the times weighs each thread by its samples.
TEST_F(StatCounters, TimeAverageWeighsThreadsBySamples) {
  PerThread<Block> b;
  on_worker(0, [&] {
    const int64_t ms[4] = {0, 10, 20, 30};
    b.local().times.add(ms);
  });
  EXPECT_EQ(time_avg(b, TimeTallies::kConnect), 10u);
  on_worker(1, [&] {
    const int64_t ms[4] = {-1, 50, 60, 80};
    b.local().times.add(ms);
  });
  EXPECT_EQ(time_avg(b, TimeTallies::kConnect), 30u);  // (10 + 50) / 2
  EXPECT_EQ(time_avg(b, TimeTallies::kTotal), 55u);    // (30 + 80) / 2
  // Thread 1 alone had twice the samples: it weighs twice as much.
  on_worker(1, [&] {
    const int64_t ms[4] = {-1, 50, 60, 80};
    b.local().times.add(ms);
  });
  // Thread 1's sliding sum is now 75 over 2 samples (50 - 25 + 50, the
  // warm-up of HAProxy's sliding average), thread 0's 10 over 1.
  EXPECT_EQ(time_avg(b, TimeTallies::kConnect), 29u);  // ceil(85 / 3)
}

TEST_F(StatCounters, LastSessionIsTheLatestOfTheThreads) {
  PerThread<Block> b;
  EXPECT_EQ(last_age_s(b, &Block::last, 10000), -1);
  on_worker(0, [&] { b.local().last.set(2000 + 1); });
  on_worker(1, [&] { b.local().last.set(7000 + 1); });
  EXPECT_EQ(last_age_s(b, &Block::last, 10000), 3);
}

}  // namespace
}  // namespace hearth::backend
