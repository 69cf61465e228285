#include "backend/lb_leastconn.h"

#include <gtest/gtest.h>

#include <string>

#include "unit/backend/lb_farm.h"

namespace hearth::backend {
namespace {

using lb_test::count_picks;
using lb_test::LbFarm;
using lb_test::pick_name;

// Picks `n` times, each picked server keeping its session open.
void open_sessions(LbAlgorithm& lb, int n) {
  for (int i = 0; i < n; ++i) {
    Server* s = lb.pick({});
    ASSERT_NE(s, nullptr);
    ++s->cur_sess;
  }
}

TEST(LeastConnLbTest, PrefersTheLeastLoadedServer) {
  LbFarm farm;
  farm.add("a")->cur_sess = 5;
  farm.add("b")->cur_sess = 2;
  farm.add("c")->cur_sess = 3;
  LeastConnLb lb(farm.servers);
  EXPECT_EQ(count_picks(lb, 10)["b"], 10);
}

TEST(LeastConnLbTest, LoadIsRelativeToWeight) {
  LbFarm farm;
  farm.add("a", 1)->cur_sess = 2;  // (2+1)/1 = 3
  farm.add("b", 4)->cur_sess = 6;  // (6+1)/4 = 1.75
  LeastConnLb lb(farm.servers);
  EXPECT_EQ(pick_name(lb), "b");
}

TEST(LeastConnLbTest, LongSessionsFillServersInProportionToWeight) {
  LbFarm farm;
  Server* a = farm.add("a", 1);
  Server* b = farm.add("b", 2);
  Server* c = farm.add("c", 3);
  LeastConnLb lb(farm.servers);
  open_sessions(lb, 600);
  EXPECT_EQ(a->cur_sess.load(), 100);
  EXPECT_EQ(b->cur_sess.load(), 200);
  EXPECT_EQ(c->cur_sess.load(), 300);
}

TEST(LeastConnLbTest, EqualServersAlternate) {
  LbFarm farm;
  farm.add("a");
  farm.add("b");
  farm.add("c");
  LeastConnLb lb(farm.servers);
  std::string seq;
  for (int i = 0; i < 9; ++i) seq += pick_name(lb);  // sessions end at once
  EXPECT_EQ(seq, "abcabcabc");
}

TEST(LeastConnLbTest, FreedSlotAttractsTheNextSession) {
  LbFarm farm;
  Server* a = farm.add("a");
  farm.add("b");
  farm.add("c");
  LeastConnLb lb(farm.servers);
  open_sessions(lb, 9);  // 3 each
  --a->cur_sess;
  --a->cur_sess;
  EXPECT_EQ(pick_name(lb), "a");
  ++a->cur_sess;
  EXPECT_EQ(pick_name(lb), "a");
}

TEST(LeastConnLbTest, LeastLoadedButFullServerIsSkipped) {
  LbFarm farm;
  farm.add("a", 1, false, /*maxconn=*/1)->cur_sess = 1;
  farm.add("b")->cur_sess = 10;
  LeastConnLb lb(farm.servers);
  EXPECT_EQ(pick_name(lb), "b");
}

}  // namespace
}  // namespace hearth::backend
