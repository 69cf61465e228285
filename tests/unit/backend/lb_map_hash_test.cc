#include "backend/lb_map_hash.h"

#include <gtest/gtest.h>

#include <map>
#include <set>
#include <string>

#include "unit/backend/lb_farm.h"

namespace hearth::backend {
namespace {

using lb_test::LbFarm;

Server* pick_for(LbAlgorithm& lb, uint32_t hash) {
  LbRequest req;
  req.key = hash;
  req.has_key = true;
  return lb.pick(req);
}

// Returns: the keys used throughout: consecutive, as balance source's keys of
// neighbouring IPv4 addresses are.
uint32_t client(int i) { return 0x0a000000u + static_cast<uint32_t>(i); }

TEST(MapHashLbTest, SameClientAlwaysGetsTheSameServer) {
  LbFarm farm;
  farm.add("a", 1);
  farm.add("b", 2);
  farm.add("c", 3);
  MapHashLb lb(farm.servers);
  std::map<int, Server*> first;
  for (int i = 0; i < 100; ++i) first[i] = pick_for(lb, client(i));
  for (int round = 0; round < 3; ++round) {
    for (int i = 99; i >= 0; --i) ASSERT_EQ(pick_for(lb, client(i)), first[i]) << "client " << i;
  }
  lb.rebuild();  // nothing changed: the layout must not either
  for (int i = 0; i < 100; ++i) ASSERT_EQ(pick_for(lb, client(i)), first[i]) << "client " << i;
}

TEST(MapHashLbTest, SpreadsClientsByWeight) {
  LbFarm farm;
  farm.add("a", 1);
  farm.add("b", 2);
  farm.add("c", 3);
  MapHashLb lb(farm.servers);
  std::map<std::string, int> counts;
  const int n = 10000;
  for (int i = 0; i < n; ++i) ++counts[pick_for(lb, client(i))->name];
  EXPECT_NEAR(counts["a"] / double(n), 1.0 / 6, 0.02);
  EXPECT_NEAR(counts["b"] / double(n), 2.0 / 6, 0.02);
  EXPECT_NEAR(counts["c"] / double(n), 3.0 / 6, 0.02);
}

TEST(MapHashLbTest, LargeWeightsKeepTheirRatio) {
  LbFarm farm;
  farm.add("a", 100);
  farm.add("b", 300);
  MapHashLb lb(farm.servers);
  std::map<std::string, int> counts;
  const int n = 8000;
  for (int i = 0; i < n; ++i) ++counts[pick_for(lb, client(i))->name];
  EXPECT_NEAR(counts["a"] / double(n), 0.25, 0.02);
}

TEST(MapHashLbTest, DownServerLosesOnlyItsOwnClients) {
  LbFarm farm;
  farm.add("a", 1);
  Server* b = farm.add("b", 2);
  farm.add("c", 3);
  MapHashLb lb(farm.servers);
  std::map<int, Server*> before;
  for (int i = 0; i < 1000; ++i) before[i] = pick_for(lb, client(i));
  b->up = false;  // not rebuilt yet
  int moved = 0;
  for (int i = 0; i < 1000; ++i) {
    Server* now = pick_for(lb, client(i));
    ASSERT_NE(now, nullptr);
    ASSERT_NE(now, b);
    if (before[i] != b) {
      EXPECT_EQ(now, before[i]) << "client " << i << " of a healthy server moved";
    } else {
      ++moved;
    }
  }
  EXPECT_GT(moved, 0);
}

TEST(MapHashLbTest, RebuildLeavesDownServerOutOfTheTable) {
  LbFarm farm;
  farm.add("a", 1);
  Server* b = farm.add("b", 2);
  farm.add("c", 3);
  MapHashLb lb(farm.servers);
  b->up = false;
  lb.rebuild();
  std::map<std::string, int> counts;
  const int n = 8000;
  for (int i = 0; i < n; ++i) ++counts[pick_for(lb, client(i))->name];
  EXPECT_EQ(counts.count("b"), 0u);
  EXPECT_NEAR(counts["a"] / double(n), 0.25, 0.02);
}

TEST(MapHashLbTest, FullServerSendsClientToAnotherThatHasRoom) {
  LbFarm farm;
  farm.add("a", 1, false, /*maxconn=*/1);
  farm.add("b", 1, false, /*maxconn=*/1);
  farm.add("c", 1, false, /*maxconn=*/1);
  MapHashLb lb(farm.servers);
  const uint32_t h = client(42);
  Server* home = pick_for(lb, h);
  ++home->cur_sess;
  Server* second = pick_for(lb, h);
  ASSERT_NE(second, nullptr);
  EXPECT_NE(second, home);
  ++second->cur_sess;
  Server* third = pick_for(lb, h);
  ASSERT_NE(third, nullptr);
  EXPECT_EQ(std::set<Server*>({home, second, third}).size(), 3u);
  ++third->cur_sess;
  EXPECT_EQ(pick_for(lb, h), nullptr);
  --home->cur_sess;
  EXPECT_EQ(pick_for(lb, h), home) << "client goes home once there is room";
}

TEST(MapHashLbTest, ServerUpSinceLastRebuildStillServesWhenTableIsEmpty) {
  LbFarm farm;
  Server* a = farm.add("a");
  a->up = false;
  MapHashLb lb(farm.servers);  // table built with nobody usable
  a->up = true;                // and no rebuild() yet
  EXPECT_EQ(pick_for(lb, client(1)), a);
}

}  // namespace
}  // namespace hearth::backend
