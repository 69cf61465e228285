// slowstart's arithmetic, as HAProxy 2.6 ramps: whole-second steps, the
// weight factor in sixteenths, the maxconn ratio, the throttle column.
#include "backend/slowstart.h"

#include <gtest/gtest.h>

#include <vector>

namespace hearth::backend {
namespace {

TEST(Slowstart, PeriodIsRoundedUpToSeconds) {
  EXPECT_EQ(slowstart_period_s(0), 0);
  EXPECT_EQ(slowstart_period_s(1), 1);
  EXPECT_EQ(slowstart_period_s(1000), 1);
  EXPECT_EQ(slowstart_period_s(1500), 2);
  EXPECT_EQ(slowstart_period_s(10000), 10);
}

TEST(Slowstart, StepsAreWholeSecondsSinceTheServerCameBack) {
  EXPECT_EQ(slowstart_step(10, -1, 5000), -1);   // not back (or never left)
  EXPECT_EQ(slowstart_step(0, 1000, 1000), -1);  // no slowstart
  EXPECT_EQ(slowstart_step(10, 1000, 1000), 0);
  EXPECT_EQ(slowstart_step(10, 1000, 1999), 0);
  EXPECT_EQ(slowstart_step(10, 1000, 2000), 1);
  EXPECT_EQ(slowstart_step(10, 1000, 10999), 9);
  EXPECT_EQ(slowstart_step(10, 1000, 11000), -1);  // over
}

// maxconn follows the date's seconds, as HAProxy's live limit: back at
// 10.9 s, the second step starts at 11.0 s.
TEST(Slowstart, MaxconnStepsTurnWithTheDate) {
  EXPECT_EQ(slowstart_maxconn_step(4, 10900, 10999), 0);
  EXPECT_EQ(slowstart_maxconn_step(4, 10900, 11000), 1);
  EXPECT_EQ(slowstart_maxconn_step(4, 10900, 13999), 3);
  EXPECT_EQ(slowstart_maxconn_step(4, 10900, 14000), -1);
  EXPECT_EQ(slowstart_maxconn_step(4, -1, 14000), -1);
}

// HAProxy's show stat over a 10 s ramp of weight 100: 7, 13, 25, 32, 44,
// 57, 63, 75, 82, 94, then 100 (captured from haproxy 2.6).
TEST(Slowstart, WeightFollowsHAProxysSteps) {
  std::vector<int> shown;
  for (int k = 0; k < 10; ++k) {
    const int eweight = 100 * slowstart_weight_factor(k, 10);
    shown.push_back((eweight + kWeightScale - 1) / kWeightScale);
  }
  EXPECT_EQ(shown, (std::vector<int>{7, 13, 25, 32, 44, 57, 63, 75, 82, 94}));
  EXPECT_EQ(slowstart_weight_factor(-1, 10), 16);
  EXPECT_EQ(slowstart_throttle(100, slowstart_weight_factor(0, 10)), 6);
  EXPECT_EQ(slowstart_throttle(100, slowstart_weight_factor(4, 10)), 43);
  EXPECT_EQ(slowstart_throttle(100, slowstart_weight_factor(8, 10)), 81);
  EXPECT_EQ(slowstart_throttle(0, 1), 100);
}

TEST(Slowstart, MaxconnGrowsFromOne) {
  EXPECT_EQ(slowstart_maxconn(50, 0, 10), 1);
  EXPECT_EQ(slowstart_maxconn(50, 1, 10), 5);
  EXPECT_EQ(slowstart_maxconn(50, 9, 10), 45);
  EXPECT_EQ(slowstart_maxconn(50, -1, 10), 50);
  EXPECT_EQ(slowstart_maxconn(3, 1, 10), 1);  // never below one
  EXPECT_EQ(slowstart_maxconn(7, 1, 3), 2);   // 33 % of 7
}

}  // namespace
}  // namespace hearth::backend
