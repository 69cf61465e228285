#include "backend/lb_random.h"

#include <gtest/gtest.h>

#include <map>
#include <string>

#include "unit/backend/lb_farm.h"

namespace hearth::backend {
namespace {

using lb_test::count_picks;
using lb_test::LbFarm;
using lb_test::pick_name;

constexpr uint64_t kSeed = 0x5eed;

TEST(RandomLbTest, IdleFarmIsServedInProportionToWeight) {
  LbFarm farm;
  farm.add("a", 1);
  farm.add("b", 2);
  farm.add("c", 3);
  RandomLb lb(farm.servers, 2, kSeed);
  const int n = 10000;
  auto counts = count_picks(lb, n);
  EXPECT_NEAR(counts["a"] / double(n), 1.0 / 6, 0.02);
  EXPECT_NEAR(counts["b"] / double(n), 2.0 / 6, 0.02);
  EXPECT_NEAR(counts["c"] / double(n), 3.0 / 6, 0.02);
}

TEST(RandomLbTest, FactorySeedsItselfAndStillFollowsWeights) {
  LbFarm farm;
  farm.add("a", 1);
  farm.add("b", 3);
  auto lb = make_lb(LbKind::kRandom, farm.servers, 2);
  const int n = 10000;
  auto counts = count_picks(*lb, n);
  EXPECT_NEAR(counts["a"] / double(n), 0.25, 0.04);  // unseeded: looser
}

TEST(RandomLbTest, TwoChoicesOfTwoServersTakeTheLessLoaded) {
  LbFarm farm;
  Server* a = farm.add("a");
  Server* b = farm.add("b");
  RandomLb lb(farm.servers, 2, kSeed);
  a->cur_sess = 3;
  b->cur_sess = 1;
  EXPECT_EQ(count_picks(lb, 200)["b"], 200);
  b->cur_sess = 7;
  EXPECT_EQ(count_picks(lb, 200)["a"], 200);
}

TEST(RandomLbTest, TwoChoicesNeverTakeTheMostLoaded) {
  LbFarm farm;
  farm.add("idle")->cur_sess = 0;
  farm.add("some")->cur_sess = 5;
  farm.add("busy")->cur_sess = 10;
  RandomLb lb(farm.servers, 2, kSeed);
  auto counts = count_picks(lb, 3000);
  EXPECT_EQ(counts.count("busy"), 0u);
  // idle wins whenever it is drawn: in 2 of the 3 equally likely pairs.
  EXPECT_NEAR(counts["idle"] / 3000.0, 2.0 / 3, 0.04);
}

TEST(RandomLbTest, LoadIsRelativeToWeight) {
  LbFarm farm;
  farm.add("a", 1)->cur_sess = 2;  // 2 per unit of weight
  farm.add("b", 4)->cur_sess = 4;  // 1 per unit of weight
  RandomLb lb(farm.servers, 2, kSeed);
  EXPECT_EQ(count_picks(lb, 100)["b"], 100);
}

TEST(RandomLbTest, OneDrawIsPlainWeightedRandom) {
  LbFarm farm;
  farm.add("a")->cur_sess = 10;
  farm.add("b");
  RandomLb lb(farm.servers, 1, kSeed);
  EXPECT_NEAR(count_picks(lb, 4000)["a"] / 4000.0, 0.5, 0.04);
}

TEST(RandomLbTest, MoreDrawsThanServersCompareThemAll) {
  LbFarm farm;
  farm.add("a")->cur_sess = 4;
  farm.add("b")->cur_sess = 2;
  farm.add("c")->cur_sess = 3;
  RandomLb lb(farm.servers, 50, kSeed);  // clamped to kMaxDraws, then to 3
  EXPECT_EQ(count_picks(lb, 100)["b"], 100);
}

TEST(RandomLbTest, LongSessionsStayCloseToWeights) {
  LbFarm farm;
  Server* a = farm.add("a", 1);
  Server* b = farm.add("b", 2);
  Server* c = farm.add("c", 3);
  RandomLb lb(farm.servers, 2, kSeed);
  for (int i = 0; i < 600; ++i) ++lb.pick({})->cur_sess;
  // Two choices keep every server within a few sessions of its share.
  EXPECT_NEAR(a->cur_sess.load(), 100, 10);
  EXPECT_NEAR(b->cur_sess.load(), 200, 10);
  EXPECT_NEAR(c->cur_sess.load(), 300, 10);
}

TEST(RandomLbTest, SameSeedSameSequenceOtherSeedOtherSequence) {
  LbFarm farm;
  for (const char* name : {"a", "b", "c", "d"}) farm.add(name);
  RandomLb one(farm.servers, 2, kSeed);
  RandomLb two(farm.servers, 2, kSeed);
  RandomLb other(farm.servers, 2, kSeed + 1);
  std::string s1, s2, s3;
  for (int i = 0; i < 64; ++i) {
    s1 += pick_name(one);
    s2 += pick_name(two);
    s3 += pick_name(other);
  }
  EXPECT_EQ(s1, s2);
  EXPECT_NE(s1, s3);
}

// hash-balance-factor: a server already past its bounded load is not
// drawn while the others are within theirs. Server a holds 30 sessions, b
// and c none: with 125%, a's share of ceil((served + 1) * 1.25) stays below
// 30 until the backend serves about 72, so the next 40 sessions all go to b
// and c. Without the bound, one draw in three lands on a.
int picks_of_a(int factor) {
  LbFarm farm;
  Server* a = farm.add("a");
  farm.add("b");
  farm.add("c");
  a->cur_sess = 30;
  RandomLb lb(farm.servers, 1, kSeed, factor);
  int got = 0;
  for (int i = 0; i < 40; ++i) {
    Server* s = lb.pick({});
    got += s == a;
    ++s->cur_sess;
  }
  return got;
}

TEST(RandomLbTest, BalanceFactorSkipsServersPastTheirBound) {
  EXPECT_EQ(picks_of_a(125), 0);
  EXPECT_GT(picks_of_a(0), 5);
}

}  // namespace
}  // namespace hearth::backend
