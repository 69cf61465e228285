#include "backend/lb_roundrobin.h"

#include <gtest/gtest.h>

#include <map>
#include <string>

#include "unit/backend/lb_farm.h"

namespace hearth::backend {
namespace {

using lb_test::count_picks;
using lb_test::LbFarm;
using lb_test::pick_name;

TEST(RoundRobinLbTest, SplitsExactlyByWeightOverWholeCycles) {
  LbFarm farm;
  farm.add("a", 1);
  farm.add("b", 2);
  farm.add("c", 3);
  RoundRobinLb lb(farm.servers);
  auto counts = count_picks(lb, 6000);
  EXPECT_EQ(counts["a"], 1000);
  EXPECT_EQ(counts["b"], 2000);
  EXPECT_EQ(counts["c"], 3000);
}

TEST(RoundRobinLbTest, StaysWithinOnePickOfItsShareAtAnyPoint) {
  LbFarm farm;
  farm.add("a", 1);
  farm.add("b", 2);
  farm.add("c", 3);
  RoundRobinLb lb(farm.servers);
  std::map<std::string, int> counts;
  for (int n = 1; n <= 10000; ++n) {
    ++counts[pick_name(lb)];
    EXPECT_NEAR(counts["a"], n * 1.0 / 6, 1.0) << "after " << n;
    EXPECT_NEAR(counts["b"], n * 2.0 / 6, 1.0) << "after " << n;
    EXPECT_NEAR(counts["c"], n * 3.0 / 6, 1.0) << "after " << n;
    if (::testing::Test::HasFailure()) break;
  }
}

TEST(RoundRobinLbTest, InterleavesAHeavyServerSmoothly) {
  LbFarm farm;
  farm.add("a", 5);
  farm.add("b", 1);
  farm.add("c", 1);
  RoundRobinLb lb(farm.servers);
  std::string seq;
  for (int i = 0; i < 700; ++i) seq += pick_name(lb);
  EXPECT_EQ(seq.substr(0, 14), "aabacaaaabacaa");
  // In every window of 7 picks, nobody gets more than twice its share
  // (a: 5 of 7, b and c: 1 of 7).
  const std::map<char, int> share = {{'a', 5}, {'b', 1}, {'c', 1}};
  for (size_t start = 0; start + 7 <= seq.size(); ++start) {
    for (auto [name, expected] : share) {
      int got = 0;
      for (size_t i = start; i < start + 7; ++i) got += seq[i] == name;
      ASSERT_LE(got, 2 * expected)
          << name << " in window at " << start << ": " << seq.substr(start, 7);
      ASSERT_GE(got, 1) << name << " starved in window at " << start << ": "
                        << seq.substr(start, 7);
    }
  }
}

TEST(RoundRobinLbTest, RedistributesWhileAServerIsDown) {
  LbFarm farm;
  farm.add("a", 1);
  Server* b = farm.add("b", 2);
  farm.add("c", 3);
  RoundRobinLb lb(farm.servers);
  b->up = false;
  auto counts = count_picks(lb, 400);
  EXPECT_EQ(counts["a"], 100);
  EXPECT_EQ(counts["c"], 300);
  b->up = true;
  lb.rebuild();
  counts = count_picks(lb, 600);
  EXPECT_EQ(counts["a"], 100);
  EXPECT_EQ(counts["b"], 200);
  EXPECT_EQ(counts["c"], 300);
}

TEST(RoundRobinLbTest, FollowsAWeightChange) {
  LbFarm farm;
  Server* a = farm.add("a", 1);
  farm.add("b", 1);
  RoundRobinLb lb(farm.servers);
  EXPECT_EQ(count_picks(lb, 100)["a"], 50);
  a->weight = 3;
  lb.rebuild();
  EXPECT_EQ(count_picks(lb, 400)["a"], 300);
}

TEST(RoundRobinLbTest, AvoidShiftsOnlyThosePicks) {
  LbFarm farm;
  farm.add("a", 1);
  Server* b = farm.add("b", 1);
  RoundRobinLb lb(farm.servers);
  LbRequest req;
  req.avoid = b;
  EXPECT_EQ(pick_name(lb, req), "a");
  EXPECT_EQ(pick_name(lb, req), "a");
  auto counts = count_picks(lb, 100);
  EXPECT_EQ(counts["a"], 50);
  EXPECT_EQ(counts["b"], 50);
}

}  // namespace
}  // namespace hearth::backend
