// balance static-rr (its fixed map of picks) and option allbackups (every
// algorithm balancing the backups once no active server is usable).
#include <gtest/gtest.h>

#include <string>

#include "backend/lb.h"
#include "unit/backend/lb_farm.h"

namespace hearth::backend {
namespace {

using lb_test::count_picks;
using lb_test::LbFarm;
using lb_test::pick_name;

std::string sequence(LbAlgorithm& lb, int n) {
  std::string out;
  for (int i = 0; i < n; ++i) out += pick_name(lb);
  return out;
}

TEST(StaticRrLb, WeightsGiveAnEvenlySpreadFixedCycle) {
  LbFarm farm;
  farm.add("a", 3);
  farm.add("b", 1);
  farm.add("c", 2);
  auto lb = make_lb(LbKind::kStaticRr, farm.servers);
  // The same cycle of 6 picks again and again, HAProxy 2.6's.
  EXPECT_EQ(sequence(*lb, 12), "aacabcaacabc");
}

TEST(StaticRrLb, AFullServerLosesItsTurnInsteadOfKeepingCredit) {
  LbFarm farm;
  Server* a = farm.add("a", 1, false, /*maxconn=*/1);
  farm.add("b");
  auto lb = make_lb(LbKind::kStaticRr, farm.servers);
  EXPECT_EQ(sequence(*lb, 2), "ab");
  a->cur_sess = 1;  // full: its turns go to the next server in the map
  EXPECT_EQ(sequence(*lb, 3), "bbb");
  a->cur_sess = 0;
  EXPECT_EQ(sequence(*lb, 4), "abab");
}

TEST(StaticRrLb, MapFollowsStateChanges) {
  LbFarm farm;
  Server* a = farm.add("a", 2);
  farm.add("b", 1);
  auto lb = make_lb(LbKind::kStaticRr, farm.servers);
  a->up = false;
  lb->rebuild();
  EXPECT_EQ(count_picks(*lb, 9), (std::map<std::string, int>{{"b", 9}}));
  a->up = true;
  lb->rebuild();
  EXPECT_EQ(count_picks(*lb, 9), (std::map<std::string, int>{{"a", 6}, {"b", 3}}));
}

class AllBackupsTest : public ::testing::TestWithParam<LbKind> {};

TEST_P(AllBackupsTest, BackupsShareTheLoadOnlyWithTheOption) {
  LbFarm farm;
  Server* act = farm.add("act");
  farm.add("bk1", 1, /*backup=*/true);
  farm.add("bk2", 1, /*backup=*/true);
  act->up = false;
  auto first_only = make_lb(GetParam(), farm.servers);
  EXPECT_EQ(count_picks(*first_only, 10), (std::map<std::string, int>{{"bk1", 10}}));

  auto all = make_lb(GetParam(), farm.servers, 2, /*allbackups=*/true);
  std::map<std::string, int> seen;
  for (uint32_t i = 0; i < 200; ++i) {
    LbRequest req;
    req.key = i * 2654435761u;
    req.has_key = true;
    ++seen[pick_name(*all, req)];
  }
  if (GetParam() == LbKind::kFirst) {
    EXPECT_EQ(seen, (std::map<std::string, int>{{"bk1", 200}}));  // first stays first
  } else {
    EXPECT_EQ(seen.size(), 2u) << "bk1 " << seen["bk1"] << " bk2 " << seen["bk2"];
    EXPECT_GT(seen["bk1"], 0);
    EXPECT_GT(seen["bk2"], 0);
  }
  // An active server back (announced or not) takes everything again.
  act->up = true;
  EXPECT_EQ(count_picks(*all, 10), (std::map<std::string, int>{{"act", 10}}));
}

INSTANTIATE_TEST_SUITE_P(AllKinds, AllBackupsTest,
                         ::testing::Values(LbKind::kRoundRobin, LbKind::kStaticRr,
                                           LbKind::kLeastConn, LbKind::kSource, LbKind::kRandom,
                                           LbKind::kFirst),
                         [](const ::testing::TestParamInfo<LbKind>& info) {
                           std::string n = lb_name(info.param);
                           for (char& c : n)
                             if (c == '-') c = '_';
                           return n;
                         });

}  // namespace
}  // namespace hearth::backend
