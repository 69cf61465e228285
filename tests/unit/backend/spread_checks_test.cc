// spread-checks: the interval moves within +/- the percentage.
#include <gtest/gtest.h>

#include "backend/health.h"

namespace hearth::backend {
namespace {

TEST(SpreadChecks, StaysWithinTheRangeAndCoversIt) {
  EXPECT_EQ(spread_interval(2000, 0, 12345), 2000);         // off
  EXPECT_EQ(spread_interval(2000, 10, 0), 2200);            // one end
  EXPECT_EQ(spread_interval(2000, 10, 0xffffffffu), 1800);  // the other
  EXPECT_EQ(spread_interval(2000, 10, 0x80000000u), 2000);  // the middle
  EXPECT_EQ(spread_interval(2000, 50, 0xffffffffu), 1000);
  EXPECT_EQ(spread_interval(1, 50, 0xffffffffu), 1);  // never below 1 ms
}

TEST(SpreadChecks, ThreadGeneratorMovesTheIntervals) {
  int64_t lo = 1 << 30, hi = 0;
  for (int i = 0; i < 1000; ++i) {
    const int64_t v = spread_interval(10000, 5, check_random());
    ASSERT_GE(v, 9500);
    ASSERT_LE(v, 10500);
    lo = std::min(lo, v);
    hi = std::max(hi, v);
  }
  EXPECT_LT(lo, 9700);  // the draws spread over the range, not one value
  EXPECT_GT(hi, 10300);
}

}  // namespace
}  // namespace hearth::backend
