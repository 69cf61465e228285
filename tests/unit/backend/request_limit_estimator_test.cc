// The learned request limit per connection, on a fake clock (the estimator
// takes the time as an argument; FakeClock moves it).
#include "backend/request_limit_estimator.h"

#include <gtest/gtest.h>

#include "core/clock.h"

namespace hearth::backend {
namespace {

// A connection serving `n` requests: each answered, as the pool reports it
// (the 2nd to the nth were reuses, answered).
void serve(RequestLimitEstimator& e, uint32_t n) {
  for (uint32_t k = 1; k <= n; ++k) {
    e.observe_served(k);
    if (k > 1) e.note_reuse_answered();
  }
}

TEST(RequestLimitEstimatorTest, LearnsACapAfterThreeDeathsAtOneCount) {
  FakeClock clock;
  RequestLimitEstimator e;
  EXPECT_EQ(e.limit(), 0u);
  for (int i = 0; i < 2; ++i) {
    serve(e, 6);
    EXPECT_TRUE(e.observe_death(6, clock.now_ms()));
    clock.advance(10);
  }
  EXPECT_EQ(e.limit(), 0u) << "two deaths are not a cluster yet";
  serve(e, 6);
  EXPECT_TRUE(e.observe_death(6, clock.now_ms()));
  EXPECT_EQ(e.limit(), 6u);
  EXPECT_EQ(e.proven(), 6u);
  EXPECT_EQ(e.evidence_count(), 3);
}

TEST(RequestLimitEstimatorTest, DeathsBelowTheProvenCountAreNotACap) {
  FakeClock clock;
  RequestLimitEstimator e;
  serve(e, 30);  // one connection served 30 requests
  // Random drops at lower counts: not evidence of a cap at those counts.
  for (uint32_t n : {1u, 1u, 1u, 4u, 4u, 4u, 9u, 9u, 9u}) {
    EXPECT_FALSE(e.observe_death(n, clock.now_ms()));
    clock.advance(5);
  }
  EXPECT_EQ(e.limit(), 0u);
  EXPECT_EQ(e.evidence_count(), 0);
}

TEST(RequestLimitEstimatorTest, ScatteredDeathsMakeNoCluster) {
  FakeClock clock;
  RequestLimitEstimator e;
  // Each death at or above what was served so far, but at different counts.
  for (uint32_t n : {2u, 3u, 4u, 5u, 5u, 6u, 7u, 7u}) {
    serve(e, n);
    e.observe_death(n, clock.now_ms());
  }
  EXPECT_EQ(e.limit(), 0u);
  // Three at 7 among them still are not more than half of the evidence.
  serve(e, 7);
  e.observe_death(7, clock.now_ms());
  EXPECT_EQ(e.limit(), 0u);
}

TEST(RequestLimitEstimatorTest, MostDeathsAtOneCountOutweighAStray) {
  FakeClock clock;
  RequestLimitEstimator e;
  serve(e, 5);
  e.observe_death(5, clock.now_ms());  // a stray death (a restart, say)
  for (int i = 0; i < 3; ++i) {
    serve(e, 6);
    e.observe_death(6, clock.now_ms());
  }
  EXPECT_EQ(e.limit(), 6u);
}

TEST(RequestLimitEstimatorTest, AConnectionServingMoreContradictsTheLimit) {
  FakeClock clock;
  RequestLimitEstimator e;
  for (int i = 0; i < 3; ++i) {
    serve(e, 6);
    e.observe_death(6, clock.now_ms());
  }
  ASSERT_EQ(e.limit(), 6u);
  e.observe_served(9);  // the server did serve a 9th request on one connection
  e.roll(clock.now_ms());
  EXPECT_EQ(e.limit(), 0u);
}

TEST(RequestLimitEstimatorTest, EvidenceExpires) {
  FakeClock clock;
  RequestLimitEstimator e;
  for (int i = 0; i < 3; ++i) {
    serve(e, 6);
    e.observe_death(6, clock.now_ms());
  }
  ASSERT_EQ(e.limit(), 6u);
  clock.advance(RequestLimitEstimator::kEvidenceTtlMs / 2);
  e.roll(clock.now_ms());
  EXPECT_EQ(e.limit(), 6u);
  clock.advance(RequestLimitEstimator::kEvidenceTtlMs);
  e.roll(clock.now_ms());
  EXPECT_EQ(e.limit(), 0u) << "a server whose cap was raised gets re-learned";
  EXPECT_EQ(e.evidence_count(), 0);
}

TEST(RequestLimitEstimatorTest, ALoweredCapIsLearnedOnceTheOldProofRollsOut) {
  FakeClock clock;
  RequestLimitEstimator e;
  serve(e, 100);
  EXPECT_FALSE(e.observe_death(4, clock.now_ms()));  // below the proven 100
  e.roll(clock.now_ms());                            // 100 is now the previous interval's
  serve(e, 4);
  EXPECT_FALSE(e.observe_death(4, clock.now_ms()));
  e.roll(clock.now_ms());  // and now it is gone
  EXPECT_EQ(e.proven(), 4u);
  for (int i = 0; i < 3; ++i) EXPECT_TRUE(e.observe_death(4, clock.now_ms()));
  EXPECT_EQ(e.limit(), 4u);
}

TEST(RequestLimitEstimatorTest, NonReplayableRequestsStayWithinTheProvenCount) {
  FakeClock clock;
  RequestLimitEstimator e;
  serve(e, 3);
  e.note_idempotent();
  // No death that looks like a cap: keep-alive POSTs go on warm connections.
  EXPECT_EQ(e.max_unproven_exchanges(clock.now_ms()), UINT32_MAX);
  e.note_idempotent();
  EXPECT_TRUE(e.observe_death(3, clock.now_ms()));  // a cap is suspected
  // Idempotent requests explore: a POST may be at most the 3rd request.
  EXPECT_EQ(e.max_unproven_exchanges(clock.now_ms()), 2u);
  e.roll(clock.now_ms());
  EXPECT_EQ(e.max_unproven_exchanges(clock.now_ms()), 2u) << "the previous interval still counts";
  e.roll(clock.now_ms());
  EXPECT_EQ(e.max_unproven_exchanges(clock.now_ms()), UINT32_MAX)
      << "two intervals without idempotent ones";
  e.note_idempotent();
  clock.advance(RequestLimitEstimator::kEvidenceTtlMs + 1);
  EXPECT_EQ(e.max_unproven_exchanges(clock.now_ms()), UINT32_MAX) << "the suspicion faded";
}

TEST(RequestLimitEstimatorTest, ASecondRequestIsAlwaysTrusted) {
  FakeClock clock;
  RequestLimitEstimator e;
  e.note_idempotent();
  serve(e, 1);
  EXPECT_TRUE(e.observe_death(1, clock.now_ms()));
  // A connection that answered its first request with keep-alive may carry
  // a second one that cannot be replayed.
  EXPECT_EQ(e.max_unproven_exchanges(clock.now_ms()), 1u);
}

}  // namespace
}  // namespace hearth::backend

namespace hearth::backend {
namespace {

TEST(RequestLimitEstimatorTest, OneProbeAtATime) {
  FakeClock clock;
  RequestLimitEstimator e;
  EXPECT_FALSE(e.suspected(clock.now_ms()));
  serve(e, 4);
  e.observe_death(4, clock.now_ms());  // looks like a cap at 4: probe one at a time
  EXPECT_TRUE(e.suspected(clock.now_ms()));
  EXPECT_EQ(e.max_proven_exchanges(), 3u);
  ASSERT_TRUE(e.take_probe(clock.now_ms()));
  EXPECT_FALSE(e.take_probe(clock.now_ms())) << "a second concurrent probe";
  e.observe_served(5);  // the probe was answered: a new count is proven
  EXPECT_EQ(e.max_proven_exchanges(), 4u);
  ASSERT_TRUE(e.take_probe(clock.now_ms()));
  e.observe_death(5, clock.now_ms());  // this one died: the next may probe
  ASSERT_TRUE(e.take_probe(clock.now_ms()));
  // A probe whose outcome never comes (its client left) holds the lease for
  // kProbeLeaseMs at most.
  clock.advance(RequestLimitEstimator::kProbeLeaseMs - 1);
  EXPECT_FALSE(e.take_probe(clock.now_ms()));
  clock.advance(1);
  EXPECT_TRUE(e.take_probe(clock.now_ms()));
  clock.advance(RequestLimitEstimator::kEvidenceTtlMs);
  EXPECT_FALSE(e.suspected(clock.now_ms()));
}

}  // namespace
}  // namespace hearth::backend

namespace hearth::backend {
namespace {

// A server dropping 20% of reused connections at random: deaths below the
// proven count (which no cap explains) make the background rate, and a few
// deaths in a row at the proven count are then no cap.
TEST(RequestLimitEstimatorTest, RandomDropsRaiseTheDeathsACapNeeds) {
  FakeClock clock;
  RequestLimitEstimator e;
  EXPECT_EQ(e.deaths_needed(), RequestLimitEstimator::kMinDeaths);
  serve(e, 10);                                          // 9 reuses answered
  for (int i = 0; i < 31; ++i) e.note_reuse_answered();  // 40 in all
  for (int i = 0; i < 10; ++i) EXPECT_FALSE(e.observe_death(3, clock.now_ms()));
  // p = 10/50: k - 1 >= ln(0.001)/ln(0.2) = 4.3.
  EXPECT_EQ(e.deaths_needed(), 6);
  for (int i = 0; i < 5; ++i) {
    EXPECT_TRUE(e.observe_death(10, clock.now_ms()));
    clock.advance(10);
  }
  EXPECT_EQ(e.limit(), 0u) << "five deaths in a row happen by chance once in 625";
  EXPECT_TRUE(e.observe_death(10, clock.now_ms()));
  EXPECT_EQ(e.limit(), 10u);
}

// A server whose connections die only at their cap needs kMinDeaths, however
// many reuses it answered; a rare stray death barely moves it.
TEST(RequestLimitEstimatorTest, ACleanServerNeedsTheMinimum) {
  FakeClock clock;
  RequestLimitEstimator e;
  serve(e, 6);
  for (int i = 0; i < 500; ++i) e.note_reuse_answered();
  EXPECT_EQ(e.deaths_needed(), RequestLimitEstimator::kMinDeaths);
  EXPECT_FALSE(e.observe_death(2, clock.now_ms()));
  EXPECT_EQ(e.deaths_needed(), RequestLimitEstimator::kMinDeaths);
  // Early, a stray death among few reuses weighs as one in kMinRateSample.
  RequestLimitEstimator early;
  serve(early, 6);
  EXPECT_FALSE(early.observe_death(2, clock.now_ms()));
  EXPECT_EQ(early.deaths_needed(), 4);  // p = 1/20: 1 + ceil(2.31)
  // Past the horizon, roll() halves both counts: the rate stays, its weight fades.
  for (int i = 0; i < 2000; ++i) e.note_reuse_answered();
  e.roll(clock.now_ms());
  EXPECT_EQ(e.deaths_needed(), RequestLimitEstimator::kMinDeaths);
}

}  // namespace
}  // namespace hearth::backend
