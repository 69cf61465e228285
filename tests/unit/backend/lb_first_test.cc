#include "backend/lb_first.h"

#include <gtest/gtest.h>

#include <string>

#include "unit/backend/lb_farm.h"

namespace hearth::backend {
namespace {

using lb_test::count_picks;
using lb_test::LbFarm;
using lb_test::pick_name;

TEST(FirstLbTest, UnlimitedFirstServerTakesEverything) {
  LbFarm farm;
  farm.add("a", 1);
  farm.add("b", 100);
  FirstLb lb(farm.servers);
  EXPECT_EQ(count_picks(lb, 100)["a"], 100);
}

TEST(FirstLbTest, FillsServersInOrderUpToMaxconn) {
  LbFarm farm;
  farm.add("a", 1, false, /*maxconn=*/2);
  Server* b = farm.add("b", 1, false, /*maxconn=*/2);
  farm.add("c", 1, false, /*maxconn=*/1);
  FirstLb lb(farm.servers);
  std::string seq;
  for (int i = 0; i < 6; ++i) {
    Server* s = lb.pick({});
    if (s == nullptr) {
      seq += "-";
      continue;
    }
    seq += s->name;
    ++s->cur_sess;
  }
  EXPECT_EQ(seq, "aabbc-");
  --b->cur_sess;  // a session on b ends
  EXPECT_EQ(pick_name(lb), "b");
}

TEST(FirstLbTest, FollowsIdOrderNotListOrder) {
  LbFarm farm;
  Server* x = farm.add("x");
  Server* y = farm.add("y");
  x->puid = 5;  // "id": balance first follows it, not the list
  y->puid = 2;
  FirstLb lb(farm.servers);
  EXPECT_EQ(pick_name(lb), "y");
  y->up = false;
  EXPECT_EQ(pick_name(lb), "x");
}

TEST(FirstLbTest, AvoidMovesToTheNextServer) {
  LbFarm farm;
  Server* a = farm.add("a");
  farm.add("b");
  FirstLb lb(farm.servers);
  LbRequest req;
  req.avoid = a;
  EXPECT_EQ(pick_name(lb, req), "b");
  EXPECT_EQ(pick_name(lb), "a");
}

}  // namespace
}  // namespace hearth::backend
