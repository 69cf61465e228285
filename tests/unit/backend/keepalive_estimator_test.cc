#include "backend/keepalive_estimator.h"

#include <gtest/gtest.h>

#include <thread>
#include <vector>

namespace hearth::backend {
namespace {

TEST(KeepAliveEstimatorTest, NoEstimateUntilMinimumCloses) {
  KeepAliveEstimator est;
  EXPECT_FALSE(est.estimate_ms());
  EXPECT_EQ(est.retire_age_ms(), kNever);
  for (int i = 0; i < 20; ++i) est.observe_alive(100);  // alive alone proves no timeout
  est.observe_close(200);
  est.observe_close(200);
  EXPECT_FALSE(est.estimate_ms());
  EXPECT_EQ(est.retire_age_ms(), kNever);
  est.observe_close(200);
  ASSERT_TRUE(est.estimate_ms());
  EXPECT_EQ(*est.estimate_ms(), 200);
}

TEST(KeepAliveEstimatorTest, ConvergesOnA200msServerTimeout) {
  KeepAliveEstimator est;
  // Timeout closes seen with detection jitter, and reuses at various idle times.
  const int64_t closes[] = {201, 199, 203, 200, 206, 198, 202, 200, 204, 199};
  for (int i = 0; i < 10; ++i) {
    est.observe_close(closes[i]);
    est.observe_alive(10 + 18 * i);  // up to 172 ms
  }
  ASSERT_TRUE(est.estimate_ms());
  EXPECT_GE(*est.estimate_ms(), 195);
  EXPECT_LE(*est.estimate_ms(), 205);
  EXPECT_LE(est.retire_age_ms(), 150);  // comfortably below the server's 200 ms
  EXPECT_GE(est.retire_age_ms(), 100);  // but not so low that reuse is wasted
}

TEST(KeepAliveEstimatorTest, IgnoresEarlyAndLateOutliersWithoutAliveEvidence) {
  KeepAliveEstimator est;
  // Early closes with another cause (restart, eviction) and late detections.
  for (int64_t t : {5, 200, 201, 3000, 199, 200, 8, 202, 200, 201, 5000, 199, 200, 3, 200, 201})
    est.observe_close(t);
  ASSERT_TRUE(est.estimate_ms());
  EXPECT_GE(*est.estimate_ms(), 199);
  EXPECT_LE(*est.estimate_ms(), 201);
}

TEST(KeepAliveEstimatorTest, ClosesContradictedByReusesAreIgnored) {
  KeepAliveEstimator est;
  est.observe_alive(150);  // the timeout is known to be above 150 ms
  est.observe_close(20);
  est.observe_close(25);
  est.observe_close(30);
  EXPECT_FALSE(est.estimate_ms());  // all three are early closes with another cause
  EXPECT_EQ(est.ignored_closes(), 3);
  est.observe_close(200);
  est.observe_close(200);
  est.observe_close(201);
  ASSERT_TRUE(est.estimate_ms());
  EXPECT_EQ(*est.estimate_ms(), 200);
  EXPECT_EQ(est.ignored_closes(), 3);
}

TEST(KeepAliveEstimatorTest, ReuseIsALowerBound) {
  KeepAliveEstimator est;
  // Closes observed a little early (the server's timer started before we parked):
  // a reuse after 190 ms still proves the timeout is at least 190 ms.
  est.observe_close(180);
  est.observe_close(181);
  est.observe_close(182);
  est.observe_alive(190);
  ASSERT_TRUE(est.estimate_ms());
  EXPECT_EQ(*est.estimate_ms(), 190);
  EXPECT_EQ(est.ignored_closes(), 0);
}

TEST(KeepAliveEstimatorTest, ReLearnsWhenTheServerTimeoutChanges) {
  KeepAliveEstimator est;
  for (int i = 0; i < 16; ++i) {
    est.observe_close(5000);
    est.observe_alive(3000);
  }
  EXPECT_EQ(*est.estimate_ms(), 5000);
  // The server is reconfigured to 1 s: reuses now happen below it.
  for (int i = 0; i < 16; ++i) {
    est.observe_close(1000);
    est.observe_alive(500);
  }
  ASSERT_TRUE(est.estimate_ms());
  EXPECT_EQ(*est.estimate_ms(), 1000);
  EXPECT_EQ(est.retire_age_ms(), 750);
}

// What a non-idempotent request may rely on: nothing at first, then 90% of the
// longest idle time a reused connection survived, then the retire age once the
// timeout is learned (or the alive evidence if larger).
TEST(KeepAliveEstimatorTest, ProvenIdleGrowsWithEvidence) {
  KeepAliveEstimator e;
  EXPECT_EQ(e.proven_idle_ms(), 0);
  e.observe_close(200);  // one close: no estimate yet, and no proof of liveness
  EXPECT_EQ(e.proven_idle_ms(), 0);
  e.observe_alive(100);
  EXPECT_EQ(e.proven_idle_ms(), 90);
  e.observe_alive(50);  // the largest survivor counts
  EXPECT_EQ(e.proven_idle_ms(), 90);
  e.observe_close(205);
  e.observe_close(198);  // three usable closes: estimate 198 ms, retire age 148
  ASSERT_TRUE(e.estimate_ms().has_value());
  EXPECT_EQ(e.retire_age_ms(), keepalive_retire_age(*e.estimate_ms()));
  EXPECT_EQ(e.proven_idle_ms(), e.retire_age_ms());
  e.observe_alive(190);  // alive evidence beyond the retire age
  EXPECT_EQ(e.proven_idle_ms(), 171);
}

// The largest alive observation leaves the window after kWindow newer ones:
// the proof of liveness it gave goes with it (and smaller ones in between
// change nothing).
TEST(KeepAliveEstimatorTest, ProvenIdleFallsWhenItsLargestEvidenceLeavesTheWindow) {
  KeepAliveEstimator e;
  e.observe_alive(1000);
  EXPECT_EQ(e.proven_idle_ms(), 900);
  for (int i = 1; i < KeepAliveEstimator::kWindow; ++i) {
    e.observe_alive(100);
    EXPECT_EQ(e.proven_idle_ms(), 900) << i;
  }
  e.observe_alive(100);  // evicts the 1000
  EXPECT_EQ(e.proven_idle_ms(), 90);
  e.observe_alive(50);
  EXPECT_EQ(e.proven_idle_ms(), 90);
  e.observe_alive(300);
  EXPECT_EQ(e.proven_idle_ms(), 270);
}

TEST(KeepAliveEstimatorTest, NegativeIdleTimesAreClamped) {
  KeepAliveEstimator est;
  for (int i = 0; i < 3; ++i) est.observe_close(-5);
  ASSERT_TRUE(est.estimate_ms());
  EXPECT_EQ(*est.estimate_ms(), 0);
  EXPECT_EQ(est.retire_age_ms(), 0);
}

TEST(KeepAliveEstimatorTest, RetireAgeMargin) {
  EXPECT_EQ(keepalive_retire_age(200), 150);      // 50 ms floor == a quarter
  EXPECT_EQ(keepalive_retire_age(100), 50);       // 50 ms floor
  EXPECT_EQ(keepalive_retire_age(40), 0);         // never negative
  EXPECT_EQ(keepalive_retire_age(60000), 45000);  // a quarter
}

TEST(KeepAliveEstimatorTest, ConcurrentObserversAgree) {
  KeepAliveEstimator est;
  std::vector<std::thread> threads;
  for (int t = 0; t < 4; ++t)
    threads.emplace_back([&est, t] {
      for (int i = 0; i < 2000; ++i) {
        est.observe_close(400 + (i + t) % 5);
        est.observe_alive(100 + i % 200);
        (void)est.retire_age_ms();
      }
    });
  for (auto& th : threads) th.join();
  ASSERT_TRUE(est.estimate_ms());
  EXPECT_GE(*est.estimate_ms(), 400);
  EXPECT_LE(*est.estimate_ms(), 404);
}

TEST(KeepAliveEstimatorEvidence, RestoredEstimatorAnswersAsTheOriginal) {
  KeepAliveEstimator a;
  for (int i = 0; i < 20; ++i) a.observe_close(1000 + i);  // wraps the ring
  a.observe_alive(400);
  a.observe_alive(900);
  const KeepAliveEstimator::Evidence e = a.evidence();
  EXPECT_EQ(e.closes.size(), size_t(KeepAliveEstimator::kWindow));
  EXPECT_EQ(e.closes.front(), 1004);  // oldest kept first
  EXPECT_EQ(e.closes.back(), 1019);
  ASSERT_EQ(e.alives.size(), 2u);
  EXPECT_EQ(e.alives[1], 900);
  KeepAliveEstimator b;
  b.restore(e);
  EXPECT_EQ(b.estimate_ms(), a.estimate_ms());
  EXPECT_EQ(b.retire_age_ms(), a.retire_age_ms());
  EXPECT_EQ(b.proven_idle_ms(), a.proven_idle_ms());
}

TEST(KeepAliveEstimatorEvidence, EmptyEvidenceLeavesNoEstimate) {
  KeepAliveEstimator b;
  b.restore({});
  EXPECT_FALSE(b.estimate_ms().has_value());
  EXPECT_EQ(b.retire_age_ms(), kNever);
}

}  // namespace
}  // namespace hearth::backend
