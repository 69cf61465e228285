// Behaviour every balancing algorithm shares: eligibility, live state,
// backups, `avoid`, and the factory.
#include "backend/lb.h"

#include <gtest/gtest.h>

#include <map>
#include <string>

#include "unit/backend/lb_farm.h"

namespace hearth::backend {
namespace {

using lb_test::LbFarm;
using lb_test::pick_name;

// Returns: pick counts per server name over `n` picks from different clients,
// so that `balance source` is exercised over many hashes too.
std::map<std::string, int> spread(LbAlgorithm& lb, int n, const Server* avoid = nullptr) {
  std::map<std::string, int> counts;
  for (int i = 0; i < n; ++i) {
    LbRequest req;
    req.key = static_cast<uint32_t>(i) * 2654435761u;
    req.has_key = true;
    req.avoid = avoid;
    ++counts[pick_name(lb, req)];
  }
  return counts;
}

class LbCommonTest : public ::testing::TestWithParam<LbKind> {
 protected:
  std::unique_ptr<LbAlgorithm> make() { return make_lb(GetParam(), farm_.servers); }
  LbFarm farm_;
};

TEST_P(LbCommonTest, NullWithNoServers) {
  auto lb = make();
  EXPECT_EQ(lb->pick({}), nullptr);
}

TEST_P(LbCommonTest, NullWhenEveryServerIsDown) {
  farm_.add("a")->up = false;
  farm_.add("b")->up = false;
  farm_.add("bk", 1, /*backup=*/true)->up = false;
  auto lb = make();
  EXPECT_EQ(spread(*lb, 50), (std::map<std::string, int>{{"-", 50}}));
}

TEST_P(LbCommonTest, SkipsDownDisabledFullAndZeroWeightServers) {
  farm_.add("a");
  farm_.add("down")->up = false;
  farm_.add("disabled")->disabled = true;
  farm_.add("full", 1, false, /*maxconn=*/2)->cur_sess = 2;
  farm_.add("zero", 0);
  farm_.add("b");
  auto lb = make();
  auto counts = spread(*lb, 300);
  EXPECT_EQ(counts["a"] + counts["b"], 300) << "other servers or nullptr were picked";
}

TEST_P(LbCommonTest, ChecksStateLiveWithoutRebuild) {
  Server* a = farm_.add("a");
  farm_.add("b");
  farm_.add("c");
  auto lb = make();
  ASSERT_NE(lb->pick({}), nullptr);
  a->up = false;  // no rebuild(): pick() must still notice
  auto counts = spread(*lb, 300);
  EXPECT_EQ(counts["b"] + counts["c"], 300);
  a->up = true;
  lb->rebuild();
  EXPECT_GT(spread(*lb, 300)["a"], 0) << "a is back up but never picked";
}

TEST_P(LbCommonTest, NullWhenEveryActiveIsFullEvenWithBackups) {
  farm_.add("a", 1, false, /*maxconn=*/1)->cur_sess = 1;
  farm_.add("bk", 1, /*backup=*/true);
  auto lb = make();
  EXPECT_EQ(spread(*lb, 20), (std::map<std::string, int>{{"-", 20}}));
}

TEST_P(LbCommonTest, BackupsIdleWhileAnActiveIsUsable) {
  farm_.add("bk1", 5, /*backup=*/true);
  Server* a = farm_.add("a");
  farm_.add("b");
  farm_.add("bk2", 5, /*backup=*/true);
  auto lb = make();
  auto counts = spread(*lb, 200);
  EXPECT_EQ(counts["a"] + counts["b"], 200);
  a->up = false;
  EXPECT_EQ(spread(*lb, 50)["b"], 50);
}

TEST_P(LbCommonTest, FirstUsableBackupTakesAllWhenActivesAreDown) {
  Server* a = farm_.add("a");
  Server* bk1 = farm_.add("bk1", 1, /*backup=*/true);
  farm_.add("bk2", 9, /*backup=*/true);
  auto lb = make();
  a->up = false;
  EXPECT_EQ(spread(*lb, 50)["bk1"], 50);
  bk1->disabled = true;
  EXPECT_EQ(spread(*lb, 50)["bk2"], 50);
  a->up = true;
  EXPECT_EQ(spread(*lb, 50)["a"], 50);
}

TEST_P(LbCommonTest, BackupOrderFollowsIdNotListOrder) {
  farm_.add("a")->up = false;
  Server* late = farm_.add("late", 1, /*backup=*/true);
  Server* early = farm_.add("early", 1, /*backup=*/true);
  late->id = 7;
  early->id = 3;
  auto lb = make();
  EXPECT_EQ(spread(*lb, 20)["early"], 20);
}

TEST_P(LbCommonTest, FullFirstBackupDoesNotSpillToNextBackup) {
  farm_.add("a")->up = false;
  farm_.add("bk1", 1, /*backup=*/true, /*maxconn=*/1)->cur_sess = 1;
  farm_.add("bk2", 1, /*backup=*/true);
  auto lb = make();
  EXPECT_EQ(lb->pick({}), nullptr);
}

TEST_P(LbCommonTest, AvoidIsHonouredWhenAnotherCandidateExists) {
  farm_.add("a");
  Server* b = farm_.add("b", 5);
  farm_.add("c");
  auto lb = make();
  auto counts = spread(*lb, 300, b);
  EXPECT_EQ(counts["a"] + counts["c"], 300);
}

TEST_P(LbCommonTest, AvoidIsTakenWhenItIsTheOnlyCandidate) {
  Server* a = farm_.add("a");
  farm_.add("b")->up = false;
  farm_.add("c", 1, false, /*maxconn=*/1)->cur_sess = 1;
  auto lb = make();
  LbRequest req;
  req.avoid = a;
  EXPECT_EQ(lb->pick(req), a);
}

TEST_P(LbCommonTest, KeepsItsOwnCopyOfTheServerList) {
  Server* a = farm_.add("a");
  Server* b = farm_.add("b");
  // As Backend::finalize does: the list is a temporary, the servers are not.
  auto lb = make_lb(GetParam(), std::vector<Server*>{a, b});
  a->up = false;
  EXPECT_EQ(spread(*lb, 20)["b"], 20);
}

INSTANTIATE_TEST_SUITE_P(AllKinds, LbCommonTest,
                         ::testing::Values(LbKind::kRoundRobin, LbKind::kStaticRr,
                                           LbKind::kLeastConn, LbKind::kSource, LbKind::kRandom,
                                           LbKind::kFirst),
                         [](const ::testing::TestParamInfo<LbKind>& info) {
                           std::string n = lb_name(info.param);
                           for (char& c : n)
                             if (c == '-') c = '_';
                           return n;
                         });

TEST(LbNameTest, NamesMatchTheBalanceKeyword) {
  EXPECT_STREQ(lb_name(LbKind::kRoundRobin), "roundrobin");
  EXPECT_STREQ(lb_name(LbKind::kStaticRr), "static-rr");
  EXPECT_STREQ(lb_name(LbKind::kLeastConn), "leastconn");
  EXPECT_STREQ(lb_name(LbKind::kSource), "source");
  EXPECT_STREQ(lb_name(LbKind::kRandom), "random");
  EXPECT_STREQ(lb_name(LbKind::kFirst), "first");
}

}  // namespace
}  // namespace hearth::backend
