// The tune.* keywords of tune_keywords.cc.
#include <gtest/gtest.h>

#include "config_test_util.h"

namespace hearth::config {
namespace {

using testing::dump;
using testing::has;
using testing::parse;

TEST(TuneKeywords, DefaultsAreHearthsBuiltInValues) {
  auto r = parse("global\n");
  ASSERT_TRUE(r.ok()) << dump(r.errors);
  const GlobalConfig& g = r.config.global;
  EXPECT_EQ(g.tune_maxaccept, 64);
  EXPECT_EQ(g.tune_maxpollevents, 256);
  EXPECT_EQ(g.tune_runqueue_depth, 0);
  EXPECT_EQ(g.tune_rcvbuf_client, 0);
  EXPECT_EQ(g.tune_sndbuf_server, 0);
  EXPECT_EQ(g.tune_http_logurilen, 1023);
}

TEST(TuneKeywords, EachSetsItsValue) {
  auto r = parse(
      "global\n  tune.maxaccept 5\n  tune.maxpollevents 7\n  tune.runqueue-depth 9\n"
      "  tune.rcvbuf.client 8k\n  tune.sndbuf.client 16384\n  tune.rcvbuf.server 1m\n"
      "  tune.sndbuf.server 4096\n  tune.http.logurilen 80\n");
  ASSERT_TRUE(r.ok()) << dump(r.errors);
  const GlobalConfig& g = r.config.global;
  EXPECT_EQ(g.tune_maxaccept, 5);
  EXPECT_EQ(g.tune_maxpollevents, 7);
  EXPECT_EQ(g.tune_runqueue_depth, 9);
  EXPECT_EQ(g.tune_rcvbuf_client, 8192);
  EXPECT_EQ(g.tune_sndbuf_client, 16384);
  EXPECT_EQ(g.tune_rcvbuf_server, 1048576);
  EXPECT_EQ(g.tune_sndbuf_server, 4096);
  EXPECT_EQ(g.tune_http_logurilen, 80);
}

TEST(TuneKeywords, MaxAcceptTakesMinusOneForNoLimit) {
  auto r = parse("global\n  tune.maxaccept -1\n");
  ASSERT_TRUE(r.ok()) << dump(r.errors);
  EXPECT_EQ(r.config.global.tune_maxaccept, -1);
  EXPECT_TRUE(has(parse("global\n  tune.maxpollevents -1\n").errors,
                  "t.cfg:2: 'tune.maxpollevents'", "got '-1'"));
}

TEST(TuneKeywords, BadValuesAreErrors) {
  EXPECT_TRUE(has(parse("global\n  tune.maxaccept 0\n").errors, "t.cfg:2: 'tune.maxaccept'",
                  "expects -1 (no limit) or a number"));
  EXPECT_TRUE(has(parse("global\n  tune.http.logurilen x\n").errors,
                  "t.cfg:2: 'tune.http.logurilen'", "got 'x'"));
  EXPECT_TRUE(has(parse("global\n  tune.sndbuf.server\n").errors, "t.cfg:2: 'tune.sndbuf.server'"));
}

TEST(TuneKeywords, PoolFdRatios) {
  auto r = parse("global\n  tune.pool-low-fd-ratio 5\n  tune.pool-high-fd-ratio 0\n");
  ASSERT_TRUE(r.ok()) << dump(r.errors);
  EXPECT_EQ(r.config.global.tune_pool_low_fd_ratio, 5);
  EXPECT_EQ(r.config.global.tune_pool_high_fd_ratio, 0);
  EXPECT_EQ(parse("global\n").config.global.tune_pool_low_fd_ratio, 20);
  EXPECT_EQ(parse("global\n").config.global.tune_pool_high_fd_ratio, 25);
  EXPECT_TRUE(has(parse("global\n  tune.pool-high-fd-ratio 101\n").errors,
                  "t.cfg:2: 'tune.pool-high-fd-ratio'", "a number between 0 and 100"));
}

// tune.recv_enough takes a size; Hearth's default is 0 (net/transport.h).
TEST(TuneKeywords, RecvEnough) {
  auto r = parse("global\n  tune.recv_enough 10k\n");
  ASSERT_TRUE(r.ok()) << dump(r.errors);
  EXPECT_EQ(r.config.global.tune_recv_enough, 10240);
  EXPECT_EQ(parse("global\n").config.global.tune_recv_enough, 0);
  EXPECT_TRUE(has(parse("global\n  tune.recv_enough -1\n").errors, "t.cfg:2: 'tune.recv_enough'",
                  "a number between 0 and"));
}

}  // namespace
}  // namespace hearth::config
