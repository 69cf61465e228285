// The reuse guard's rate, threshold, hysteresis and decay, on a fake clock.
#include "backend/reuse_guard.h"

#include <gtest/gtest.h>

#include <random>

#include "core/clock.h"

namespace hearth::backend {
namespace {

TEST(ReuseGuardTest, HealthyServerNeverGuards) {
  FakeClock clock;
  ReuseGuard g;
  g.set_threshold_ppm(50000);
  for (int i = 0; i < 1000; ++i) {
    g.observe_answered(clock.now_ms());
    clock.advance(1);
  }
  EXPECT_EQ(g.rate_ppm(clock.now_ms()), 0u);
  EXPECT_FALSE(g.active(clock.now_ms()));
}

TEST(ReuseGuardTest, OneOrTwoStrayDeathsDoNotGuard) {
  FakeClock clock;
  ReuseGuard g;
  g.set_threshold_ppm(50000);  // 5%
  for (int i = 0; i < 200; ++i) {
    if (i == 50 || i == 120) {
      g.observe_unexplained_death(clock.now_ms());
    } else {
      g.observe_answered(clock.now_ms());
    }
    clock.advance(2);
    EXPECT_FALSE(g.active(clock.now_ms())) << i;
  }
  EXPECT_EQ(g.unexplained_deaths(), 2u);
}

TEST(ReuseGuardTest, TwentyPercentDropsGuardWithinTwentyFiveReuses) {
  FakeClock clock;
  ReuseGuard g;
  g.set_threshold_ppm(50000);
  std::mt19937 rng(7);
  int on_at = -1;
  for (int i = 0; i < 400; ++i) {
    if (rng() % 5 == 0)
      g.observe_unexplained_death(clock.now_ms());
    else
      g.observe_answered(clock.now_ms());
    clock.advance(1);
    if (on_at < 0 && g.active(clock.now_ms())) on_at = i;
    if (on_at >= 0) {
      EXPECT_TRUE(g.active(clock.now_ms())) << "flipped off at " << i;
    }
  }
  EXPECT_GE(on_at, 0);
  EXPECT_LE(on_at, 25);
  EXPECT_EQ(g.activations(), 1u);
  // About the drop rate.
  EXPECT_GT(g.rate_ppm(clock.now_ms()), 100000u);
  EXPECT_LT(g.rate_ppm(clock.now_ms()), 320000u);
}

TEST(ReuseGuardTest, SuccessfulReusesTurnItOffBelowHalfTheThreshold) {
  FakeClock clock;
  ReuseGuard g;
  g.set_threshold_ppm(50000);
  for (int i = 0; i < 10; ++i) g.observe_unexplained_death(clock.now_ms());
  ASSERT_TRUE(g.active(clock.now_ms()));
  int answered = 0;
  while (g.active(clock.now_ms())) {
    g.observe_answered(clock.now_ms());
    ++answered;
    // Still on between the threshold and half of it.
    if (g.rate_ppm(clock.now_ms()) >= 25000) {
      EXPECT_TRUE(g.active(clock.now_ms()));
    }
    ASSERT_LT(answered, 10000);
  }
  EXPECT_LT(g.rate_ppm(clock.now_ms()), 25000u);
  EXPECT_GT(answered, 50);  // the evidence fades over tens of reuses, not one
}

TEST(ReuseGuardTest, DecaysWithTimeWithoutOutcomes) {
  FakeClock clock;
  ReuseGuard g;
  g.set_threshold_ppm(50000);
  for (int i = 0; i < 10; ++i) g.observe_unexplained_death(clock.now_ms());
  const uint32_t r0 = g.rate_ppm(clock.now_ms());
  ASSERT_TRUE(g.active(clock.now_ms()));
  clock.advance(ReuseGuard::kHalfLifeMs);
  EXPECT_NEAR(double(g.rate_ppm(clock.now_ms())), r0 / 2.0, r0 * 0.01);
  // A server that only gets non-idempotent requests (new connections while
  // guarded: no outcomes) is trusted again once the evidence has faded.
  clock.advance(4 * ReuseGuard::kHalfLifeMs);
  EXPECT_FALSE(g.active(clock.now_ms()));
}

TEST(ReuseGuardTest, ExplainedDeathsOnlyCount) {
  FakeClock clock;
  ReuseGuard g;
  g.set_threshold_ppm(50000);
  for (int i = 0; i < 50; ++i) g.note_explained_death();
  EXPECT_FALSE(g.active(clock.now_ms()));
  EXPECT_EQ(g.explained_deaths(), 50u);
  EXPECT_EQ(g.rate_ppm(clock.now_ms()), 0u);
}

TEST(ReuseGuardTest, ThresholdZeroIsOff) {
  FakeClock clock;
  ReuseGuard g;
  for (int i = 0; i < 50; ++i) g.observe_unexplained_death(clock.now_ms());
  EXPECT_FALSE(g.active(clock.now_ms()));
  EXPECT_GT(g.rate_ppm(clock.now_ms()), 0u);
}

}  // namespace
}  // namespace hearth::backend
