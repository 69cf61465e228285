// Consistent hashing: minimal movement when servers leave, come back or
// change weight, spread by weight, bounded loads, keyless round robin.
#include "backend/lb_chash.h"

#include <gtest/gtest.h>

#include <map>
#include <set>
#include <string>

#include "backend/lb_key.h"
#include "expr/hash.h"
#include "unit/backend/lb_farm.h"

namespace hearth::backend {
namespace {

using lb_test::LbFarm;

LbRequest keyed(uint32_t key) {
  LbRequest r;
  r.key = key;
  r.has_key = true;
  return r;
}

// Returns: the key of URI number i, hashed as "hash-type consistent" does.
uint32_t key_of(int i) {
  return lb_key::hash_key(config::HashFunc::kSdbm, true, "/obj/" + std::to_string(i));
}

std::map<int, Server*> place(LbAlgorithm& lb, int n) {
  std::map<int, Server*> m;
  for (int i = 0; i < n; ++i) m[i] = lb.pick(keyed(key_of(i)));
  return m;
}

TEST(ChashLbTest, SameKeySameServer) {
  LbFarm farm;
  for (const char* n : {"a", "b", "c"}) farm.add(n);
  ChashLb lb(farm.servers, 0);
  auto first = place(lb, 500);
  lb.rebuild();
  EXPECT_EQ(place(lb, 500), first);
}

TEST(ChashLbTest, RemovingOneOfFiveMovesOnlyItsKeys) {
  LbFarm farm;
  for (const char* n : {"a", "b", "c", "d", "e"}) farm.add(n);
  ChashLb lb(farm.servers, 0);
  const int n = 10000;
  auto before = place(lb, n);
  Server* gone = farm.servers[2];
  gone->up = false;
  lb.rebuild();
  auto after = place(lb, n);
  int moved = 0;
  for (int i = 0; i < n; ++i) {
    ASSERT_NE(after[i], gone);
    if (before[i] != gone) {
      ASSERT_EQ(after[i], before[i]) << "key " << i << " of a remaining server moved";
    } else {
      ++moved;
    }
  }
  // Only the departed server's share moves: about a fifth.
  EXPECT_NEAR(moved / double(n), 0.2, 0.07);
  // It comes back: every key returns where it was.
  gone->up = true;
  lb.rebuild();
  EXPECT_EQ(place(lb, n), before);
}

TEST(ChashLbTest, AddingAServerTakesKeysOnlyForItself) {
  LbFarm farm;
  for (const char* n : {"a", "b", "c", "d"}) farm.add(n);
  Server* e = farm.add("e");
  e->up = false;
  ChashLb lb(farm.servers, 0);
  const int n = 10000;
  auto before = place(lb, n);
  e->up = true;
  lb.rebuild();
  auto after = place(lb, n);
  int to_e = 0;
  for (int i = 0; i < n; ++i) {
    if (after[i] == e)
      ++to_e;
    else
      ASSERT_EQ(after[i], before[i]) << "key " << i << " moved to another old server";
  }
  EXPECT_NEAR(to_e / double(n), 0.2, 0.07);
}

TEST(ChashLbTest, SpreadFollowsWeight) {
  LbFarm farm;
  farm.add("a", 1);
  farm.add("b", 3);
  ChashLb lb(farm.servers, 0);
  std::map<std::string, int> c;
  const int n = 20000;
  for (auto& [i, s] : place(lb, n)) ++c[s->name];
  EXPECT_NEAR(c["b"] / double(n), 0.75, 0.06);
}

TEST(ChashLbTest, WeightChangeMovesKeysOnlyToOrFromThatServer) {
  LbFarm farm;
  Server* a = farm.add("a", 2);
  farm.add("b", 2);
  farm.add("c", 2);
  ChashLb lb(farm.servers, 0);
  const int n = 10000;
  auto before = place(lb, n);
  a->weight = 1;  // loses its last 16 points
  lb.rebuild();
  auto after = place(lb, n);
  int lost = 0;
  for (int i = 0; i < n; ++i) {
    if (before[i] == a && after[i] != a) {
      ++lost;
      continue;
    }
    ASSERT_EQ(after[i], before[i]) << "key " << i;
  }
  EXPECT_GT(lost, 0);
  a->weight = 2;
  lb.rebuild();
  EXPECT_EQ(place(lb, n), before);
}

TEST(ChashLbTest, DownBeforeRebuildWalksToTheNextPoint) {
  LbFarm farm;
  for (const char* n : {"a", "b", "c"}) farm.add(n);
  ChashLb lb(farm.servers, 0);
  auto before = place(lb, 2000);
  farm.servers[0]->up = false;  // no rebuild()
  auto after = place(lb, 2000);
  for (int i = 0; i < 2000; ++i) {
    ASSERT_NE(after[i], farm.servers[0]);
    if (before[i] != farm.servers[0]) {
      ASSERT_EQ(after[i], before[i]);
    }
  }
}

TEST(ChashLbTest, KeyServerStaysOnAFullServer) {
  LbFarm farm;
  farm.add("a", 1, false, /*maxconn=*/1);
  farm.add("b", 1, false, /*maxconn=*/1);
  ChashLb lb(farm.servers, 0);
  const LbRequest r = keyed(key_of(7));
  Server* home = lb.pick(r);
  ASSERT_NE(home, nullptr);
  home->cur_sess = 1;
  EXPECT_EQ(lb.key_server(r), home) << "the key still designates its (full) server";
  Server* other = lb.pick(r);
  EXPECT_NE(other, home) << "pick() only returns servers with room";
  LbRequest avoid = r;
  avoid.avoid = home;
  EXPECT_NE(lb.key_server(avoid), home);
}

TEST(ChashLbTest, BoundedLoadCapsEachServer) {
  LbFarm farm;
  for (const char* n : {"a", "b", "c", "d"}) farm.add(n);
  const int factor = 125;
  ChashLb lb(farm.servers, factor);
  // Every session carries the same key: without a bound they would all
  // land on one server.
  const LbRequest r = keyed(key_of(1));
  for (int served = 0; served < 400; ++served) {
    Server* s = lb.pick(r);
    ASSERT_NE(s, nullptr);
    // HAProxy's bound for the session being placed.
    const int64_t cap = ((served + 1) * factor + 99) / 100;
    ASSERT_LT(s->cur_sess.load(), (cap + 3) / 4 + 1) << "after " << served;
    ++s->cur_sess;
  }
  int64_t total = 0;
  for (Server* s : farm.servers) {
    EXPECT_LE(s->cur_sess.load(), 400 * factor / 100 / 4 + 1) << s->name;
    total += s->cur_sess.load();
  }
  EXPECT_EQ(total, 400);
}

TEST(ChashLbTest, NoBoundLetsOneKeyLoadOneServer) {
  LbFarm farm;
  for (const char* n : {"a", "b", "c", "d"}) farm.add(n);
  ChashLb lb(farm.servers, 0);
  const LbRequest r = keyed(key_of(1));
  Server* home = lb.pick(r);
  for (int i = 0; i < 100; ++i) {
    ASSERT_EQ(lb.pick(r), home);
    ++home->cur_sess;
  }
}

TEST(ChashLbTest, KeylessRequestsGoRoundTheRing) {
  LbFarm farm;
  farm.add("a", 1);
  farm.add("b", 1);
  farm.add("c", 2);
  ChashLb lb(farm.servers, 0);
  std::map<std::string, int> c;
  const int n = 64 * 10;  // ten turns of the 64-point ring
  for (int i = 0; i < n; ++i) ++c[lb.pick({})->name];
  EXPECT_EQ(c["a"], 160);
  EXPECT_EQ(c["b"], 160);
  EXPECT_EQ(c["c"], 320);
}

TEST(ChashLbTest, PointsFollowPublicIdNotPosition) {
  // Two farms listing the same servers (same ids) in another order place
  // every key alike: the ring depends on ids and weights only.
  LbFarm x, y;
  Server* xa = x.add("a");
  Server* xb = x.add("b");
  Server* yb = y.add("b");
  Server* ya = y.add("a");
  xa->puid = ya->puid = 7;
  xb->puid = yb->puid = 3;
  ChashLb lx(x.servers, 0), ly(y.servers, 0);
  for (int i = 0; i < 1000; ++i)
    ASSERT_EQ(lx.pick(keyed(key_of(i)))->name, ly.pick(keyed(key_of(i)))->name);
}

}  // namespace
}  // namespace hearth::backend
