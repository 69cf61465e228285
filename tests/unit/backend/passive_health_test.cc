// Passive health's pure part: which events count in which mode, HAProxy's
// words for them, and the count of consecutive errors, alone and under
// threads.
#include "backend/passive_health.h"

#include <gtest/gtest.h>

#include <thread>
#include <vector>

namespace hearth::backend {
namespace {

using E = PassiveEvent;
using V = PassiveVerdict;

TEST(PassiveHealth, Layer4CountsConnectionsOnly) {
  EXPECT_EQ(passive_verdict(ObserveMode::kLayer4, E::kL4Ok), V::kSuccess);
  EXPECT_EQ(passive_verdict(ObserveMode::kLayer4, E::kL4Err), V::kError);
  for (E e : {E::kHttpOk, E::kHttpSts, E::kHttpHdrRsp, E::kHttpRsp, E::kHttpReadError,
              E::kHttpReadTimeout, E::kHttpBrokenPipe})
    EXPECT_EQ(passive_verdict(ObserveMode::kLayer4, e), V::kIgnored) << passive_event_text(e);
}

TEST(PassiveHealth, Layer7CountsResponsesAndFailedConnections) {
  EXPECT_EQ(passive_verdict(ObserveMode::kLayer7, E::kL4Ok), V::kIgnored);
  EXPECT_EQ(passive_verdict(ObserveMode::kLayer7, E::kL4Err), V::kError);
  EXPECT_EQ(passive_verdict(ObserveMode::kLayer7, E::kHttpOk), V::kSuccess);
  for (E e : {E::kHttpSts, E::kHttpHdrRsp, E::kHttpRsp, E::kHttpReadError, E::kHttpReadTimeout,
              E::kHttpBrokenPipe})
    EXPECT_EQ(passive_verdict(ObserveMode::kLayer7, e), V::kError) << passive_event_text(e);
  EXPECT_EQ(passive_verdict(ObserveMode::kNone, E::kL4Err), V::kIgnored);
}

TEST(PassiveHealth, StatusesThatBlameTheServer) {
  for (int st : {100, 101, 200, 302, 404, 499, 501, 505})
    EXPECT_EQ(http_status_event(st), E::kHttpOk) << st;
  for (int st : {500, 502, 503, 504, 506, 599, 99})
    EXPECT_EQ(http_status_event(st), E::kHttpSts) << st;
}

TEST(PassiveHealth, TextsAreHAProxys) {
  EXPECT_STREQ(passive_event_text(E::kL4Err), "L4 unsuccessful connection");
  EXPECT_STREQ(passive_event_text(E::kHttpSts), "Wrong http response");
  EXPECT_STREQ(passive_event_text(E::kHttpHdrRsp), "Invalid http response (headers)");
  EXPECT_STREQ(passive_event_text(E::kHttpReadTimeout), "Read timeout (http)");
  EXPECT_STREQ(passive_event_text(E::kHttpBrokenPipe), "Close from server (http)");
}

TEST(PassiveHealth, TheLimitIsReachedByConsecutiveErrorsOnly) {
  PassiveHealth p;
  p.mode = ObserveMode::kLayer7;
  p.error_limit = 3;
  EXPECT_FALSE(p.record(E::kHttpSts));
  EXPECT_FALSE(p.record(E::kL4Err));
  EXPECT_FALSE(p.record(E::kL4Ok));  // ignored in layer7: the count stays
  EXPECT_EQ(p.consecutive(), 2);
  EXPECT_FALSE(p.record(E::kHttpOk));  // a success starts it again
  EXPECT_EQ(p.consecutive(), 0);
  EXPECT_FALSE(p.record(E::kHttpSts));
  EXPECT_FALSE(p.record(E::kHttpSts));
  EXPECT_TRUE(p.record(E::kHttpBrokenPipe));
  EXPECT_EQ(p.consecutive(), 0);
  EXPECT_EQ(p.failed(), 1u);
  EXPECT_FALSE(p.record(E::kHttpSts));
  p.clear();  // a passed health check
  EXPECT_EQ(p.consecutive(), 0);
}

TEST(PassiveHealth, ALimitOfOneActsOnEveryError) {
  PassiveHealth p;
  p.mode = ObserveMode::kLayer4;
  p.error_limit = 1;
  EXPECT_TRUE(p.record(E::kL4Err));
  EXPECT_TRUE(p.record(E::kL4Err));
  EXPECT_EQ(p.failed(), 2u);
}

// Errors from many threads: every error_limit-th one acts, exactly once.
TEST(PassiveHealth, ThreadsReachTheLimitOncePerLimitErrors) {
  PassiveHealth p;
  p.mode = ObserveMode::kLayer4;
  p.error_limit = 10;
  constexpr int kThreads = 4, kEach = 2500;
  std::atomic<int> acted{0};
  std::vector<std::thread> ts;
  for (int t = 0; t < kThreads; ++t)
    ts.emplace_back([&] {
      for (int i = 0; i < kEach; ++i)
        if (p.record(E::kL4Err)) acted.fetch_add(1);
    });
  for (auto& t : ts) t.join();
  // A reset by the acting thread may swallow an increment landing between
  // its own and the reset: never more actions than limits reached.
  EXPECT_LE(acted.load(), kThreads * kEach / 10);
  EXPECT_GE(acted.load(), kThreads * kEach / 20);
  EXPECT_EQ(uint64_t(acted.load()), p.failed());
}

}  // namespace
}  // namespace hearth::backend
