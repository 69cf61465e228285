// Rates over a sliding period, at and around the period boundaries, with
// HAProxy's rounding: the previous period's count weighted by the time left,
// in 32-bit fixed point.
#include "stick/freq_ctr.h"

#include <gtest/gtest.h>

namespace hearth::stick {
namespace {

TEST(FreqCtr, CountsWithinThePeriod) {
  FreqCtr f;
  EXPECT_EQ(freq_read(f, 1000, 5000), 0u);
  freq_add(f, 1000, 3, 5000);
  freq_add(f, 1000, 7, 5400);
  EXPECT_EQ(freq_read(f, 1000, 5400), 10u);
  EXPECT_EQ(freq_read(f, 1000, 5999), 10u);
}

TEST(FreqCtr, ThePreviousPeriodFadesOut) {
  FreqCtr f;
  freq_add(f, 1000, 10, 5000);
  EXPECT_EQ(freq_read(f, 1000, 6000), 10u);  // a whole period left: all of it
  EXPECT_EQ(freq_read(f, 1000, 6500), 5u);
  EXPECT_EQ(freq_read(f, 1000, 6800), 1u);  // 10 × 200/1000 = 2, less the truncation
  EXPECT_EQ(freq_read(f, 1000, 6900), 0u);  // 10 × 100/1000 = 1, less the truncation
  EXPECT_EQ(freq_read(f, 1000, 6999), 0u);  // 10 × 1/1000, rounded down
  EXPECT_EQ(freq_read(f, 1000, 7000), 0u);  // two periods: gone
  EXPECT_EQ(freq_read(f, 1000, 90000), 0u);
}

TEST(FreqCtr, PeriodsFollowBackToBack) {
  FreqCtr f;
  freq_add(f, 1000, 4, 5000);
  freq_add(f, 1000, 6, 6200);  // the period [6000, 7000) starts at 6000, not 6200
  EXPECT_EQ(freq_read(f, 1000, 6200), 6u + 4u * 800 / 1000);
  EXPECT_EQ(freq_read(f, 1000, 6999), 6u);
  EXPECT_EQ(freq_read(f, 1000, 7000), 6u);
  EXPECT_EQ(freq_read(f, 1000, 7250), 4u);  // 6 × 750/1000 = 4.5
  // More than a period without events: the next one starts afresh.
  freq_add(f, 1000, 1, 9100);
  EXPECT_EQ(freq_read(f, 1000, 9100), 1u);
  EXPECT_EQ(freq_read(f, 1000, 10100), 1u);
}

TEST(FreqCtr, FixedPointRoundsAsHAProxy) {
  // 3 events, 1 ms of a 3 ms period left: exactly 1, but the 32-bit
  // fraction 2^32/3 truncates, and 3 × 1431655765 >> 32 is 0.
  FreqCtr f;
  freq_add(f, 3, 3, 0);
  EXPECT_EQ(freq_read(f, 3, 3), 3u);
  EXPECT_EQ(freq_read(f, 3, 5), 0u);
  // Large counts keep their precision.
  FreqCtr g;
  freq_add(g, 10000, 4000000000u, 0);
  EXPECT_EQ(freq_read(g, 10000, 12500), 3000000000u);  // 4e9 × 0.75 (exact in binary)
}

TEST(FreqCtr, ZeroPeriodCountsNothing) {
  FreqCtr f;
  freq_add(f, 0, 5, 0);
  EXPECT_EQ(freq_read(f, 0, 0), 0u);
}

}  // namespace
}  // namespace hearth::stick
