// The rise/fall counter, the check intervals, the status text and the
// per-server health figures: pure logic, driven check by check.
#include "backend/health.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

namespace hearth::backend {
namespace {

using Change = HealthCounter::Change;

// Feeds a pattern of results ('+' passed, '-' failed). Returns: the changes as
// a string: 'U' went up, 'D' went down, '.' no change.
std::string feed(HealthCounter& c, const std::string& results) {
  std::string out;
  for (char r : results) {
    Change ch = c.record(r == '+');
    out += ch == Change::kWentUp ? 'U' : ch == Change::kWentDown ? 'D' : '.';
  }
  return out;
}

TEST(HealthCounter, FullyUpNeedsFallConsecutiveFailures) {
  HealthCounter c(2, 3, InitState::kFullyUp);
  EXPECT_TRUE(c.up());
  EXPECT_EQ(c.health(), 4);
  EXPECT_EQ(feed(c, "--"), "..");
  EXPECT_TRUE(c.up());
  EXPECT_EQ(feed(c, "-"), "D");
  EXPECT_FALSE(c.up());
  EXPECT_EQ(c.health(), 0);
}

TEST(HealthCounter, ASuccessResetsAFallingServer) {
  HealthCounter c(2, 3, InitState::kFullyUp);
  EXPECT_EQ(feed(c, "--+--+--"), "........");
  EXPECT_TRUE(c.up());
  EXPECT_EQ(feed(c, "-"), "D");
}

TEST(HealthCounter, DefaultInitStateGoesDownAtTheFirstFailure) {
  // HAProxy's default: UP, but not yet proven, so one failure takes it DOWN.
  HealthCounter c(2, 3, InitState::kUp);
  EXPECT_TRUE(c.up());
  EXPECT_EQ(feed(c, "-"), "D");
}

TEST(HealthCounter, DefaultInitStateBecomesFullyUpAfterOneSuccess) {
  HealthCounter c(2, 3, InitState::kUp);
  EXPECT_EQ(feed(c, "+--"), "...");
  EXPECT_EQ(feed(c, "-"), "D");
}

TEST(HealthCounter, DownNeedsRiseConsecutiveSuccesses) {
  HealthCounter c(3, 2, InitState::kFullyDown);
  EXPECT_FALSE(c.up());
  EXPECT_EQ(feed(c, "++"), "..");
  EXPECT_EQ(feed(c, "-"), ".");  // a failure starts the climb over
  EXPECT_EQ(feed(c, "++"), "..");
  EXPECT_EQ(feed(c, "+"), "U");
  EXPECT_EQ(c.health(), 4);  // fully up at once
}

TEST(HealthCounter, InitStateDownComesUpAtTheFirstSuccess) {
  HealthCounter c(3, 2, InitState::kDown);
  EXPECT_FALSE(c.up());
  EXPECT_EQ(feed(c, "+"), "U");
  HealthCounter d(3, 2, InitState::kDown);
  EXPECT_EQ(feed(d, "-+++"), "...U");  // a failure makes it fully down
}

TEST(HealthCounter, RiseAndFallOfOne) {
  HealthCounter c(1, 1, InitState::kUp);
  EXPECT_EQ(feed(c, "-+-+"), "DUDU");
}

TEST(HealthCounter, ResetReturnsToTheInitState) {
  HealthCounter c(2, 3, InitState::kUp);
  feed(c, "-");
  ASSERT_FALSE(c.up());
  c.reset(InitState::kUp);
  EXPECT_TRUE(c.up());
  EXPECT_EQ(c.health(), 2);
}

TEST(HealthCounter, IntervalFollowsTheState) {
  CheckIntervals iv{1000, 100, 5000};
  HealthCounter c(2, 3, InitState::kFullyUp);
  EXPECT_EQ(c.next_interval(iv), 1000);  // fully up: inter
  feed(c, "-");
  EXPECT_EQ(c.next_interval(iv), 100);  // going down: fastinter
  feed(c, "--");
  EXPECT_EQ(c.next_interval(iv), 5000);  // fully down: downinter
  feed(c, "+");
  EXPECT_EQ(c.next_interval(iv), 100);  // going up: fastinter
}

TEST(HealthCounter, UnsetIntervalsFallBackToInter) {
  CheckIntervals iv{700, 0, 0};
  HealthCounter c(2, 3, InitState::kUp);
  EXPECT_EQ(c.next_interval(iv), 700);  // not proven yet: a transition
  feed(c, "-");
  EXPECT_EQ(c.next_interval(iv), 700);
}

TEST(HealthStatusText, ShowsTransitionsAsHAProxyDoes) {
  // rise 2, fall 3: health 0..4, UP from 2.
  EXPECT_EQ(health_status_text(4, 2, 3), "UP");
  EXPECT_EQ(health_status_text(3, 2, 3), "UP 2/3");
  EXPECT_EQ(health_status_text(2, 2, 3), "UP 1/3");
  EXPECT_EQ(health_status_text(1, 2, 3), "DOWN 1/2");
  EXPECT_EQ(health_status_text(0, 2, 3), "DOWN");
}

TEST(CheckStatusNames, CodesReasonsAndVerdicts) {
  EXPECT_STREQ(check_status_code(CheckStatus::kL4Con), "L4CON");
  EXPECT_STREQ(check_status_code(CheckStatus::kL7Sts), "L7STS");
  EXPECT_STREQ(check_status_reason(CheckStatus::kL4Con), "Layer4 connection problem");
  EXPECT_TRUE(check_passed(CheckStatus::kL4Ok));
  EXPECT_TRUE(check_passed(CheckStatus::kL7Ok));
  for (CheckStatus s : {CheckStatus::kL4Timeout, CheckStatus::kL4Con, CheckStatus::kL7Timeout,
                        CheckStatus::kL7Rsp, CheckStatus::kL7Sts, CheckStatus::kSockErr})
    EXPECT_FALSE(check_passed(s)) << check_status_code(s);
}

TEST(ServerHealth, DowntimeAccumulatesOverDownPeriods) {
  ServerHealth h;
  h.start(true, 1000);
  EXPECT_EQ(h.downtime_ms(5000), 0);
  h.note_serving(false, 2000);
  EXPECT_EQ(h.last_change_ms(), 2000);
  EXPECT_EQ(h.downtime_ms(2500), 500);
  h.note_serving(false, 2600);  // no change: not a new period
  EXPECT_EQ(h.last_change_ms(), 2000);
  h.note_serving(true, 3000);
  EXPECT_EQ(h.downtime_ms(9000), 1000);
  h.note_serving(false, 10000);
  EXPECT_EQ(h.downtime_ms(10250), 1250);
}

TEST(ServerHealth, StartingDownCountsFromTheStart) {
  ServerHealth h;
  h.start(false, 1000);
  EXPECT_EQ(h.downtime_ms(1400), 400);
  EXPECT_EQ(h.last_change_ms(), 1000);
}

TEST(ServerHealth, LastCheckIsKept) {
  ServerHealth h;
  h.set_last(CheckStatus::kL7Sts, 503, 4, "HTTP status 503");
  ServerHealth::LastCheck l = h.last();
  EXPECT_EQ(l.status, CheckStatus::kL7Sts);
  EXPECT_EQ(l.code, 503);
  EXPECT_EQ(l.duration_ms, 4);
  EXPECT_EQ(l.info, "HTTP status 503");
}

}  // namespace
}  // namespace hearth::backend
