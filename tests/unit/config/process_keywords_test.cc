// The process keywords of the global section (process_model.h).
#include <gtest/gtest.h>

#include "config_test_util.h"

namespace hearth::config {
namespace {

using testing::dump;
using testing::only_error;
using testing::parse;

ParseResult global(const std::string& lines) { return parse("global\n" + lines); }

TEST(ProcessKeywords, Defaults) {
  auto r = global("");
  ASSERT_TRUE(r.ok());
  const ProcessConfig& p = r.config.global.process;
  EXPECT_FALSE(p.daemon);
  EXPECT_EQ(p.uid, -1);
  EXPECT_EQ(p.gid, -1);
  EXPECT_EQ(p.chroot, "");
  EXPECT_EQ(p.ulimit_n, std::nullopt);
  EXPECT_FALSE(p.maxconn_given);
  EXPECT_TRUE(p.strict_limits);
  EXPECT_FALSE(p.quiet);
  EXPECT_EQ(p.grace_ms, 0);
  EXPECT_EQ(p.spread_checks, 0);
  EXPECT_TRUE(p.cpu_maps.empty());
}

TEST(ProcessKeywords, AllOfThem) {
  auto r = global(
      "  daemon\n"
      "  user nobody\n"
      "  group nogroup\n"
      "  chroot /var/empty\n"
      "  ulimit-n 5000\n"
      "  maxconn 100\n"
      "  no strict-limits\n"
      "  quiet\n"
      "  node edge-1_a\n"
      "  description the front   door\n"
      "  localpeer peer1\n"
      "  grace 2s\n"
      "  spread-checks 5\n"
      "  max-spread-checks 500\n");
  ASSERT_TRUE(r.ok()) << dump(r.errors);
  const ProcessConfig& p = r.config.global.process;
  EXPECT_TRUE(p.daemon);
  EXPECT_EQ(p.uid, 65534);
  EXPECT_EQ(p.user_name, "nobody");
  EXPECT_EQ(p.gid, 65534);
  EXPECT_EQ(p.chroot, "/var/empty");
  EXPECT_EQ(p.ulimit_n, 5000);
  EXPECT_TRUE(p.maxconn_given);
  EXPECT_FALSE(p.strict_limits);
  EXPECT_TRUE(p.quiet);
  EXPECT_EQ(p.node, "edge-1_a");
  EXPECT_EQ(p.description, "the front door");
  EXPECT_EQ(p.localpeer, "peer1");
  EXPECT_EQ(p.grace_ms, 2000);
  EXPECT_EQ(p.spread_checks, 5);
  EXPECT_EQ(p.max_spread_checks_ms, 500);
}

TEST(ProcessKeywords, NumericIds) {
  auto r = global("  uid 1234\n  gid 4321\n");
  ASSERT_TRUE(r.ok()) << dump(r.errors);
  EXPECT_EQ(r.config.global.process.uid, 1234);
  EXPECT_EQ(r.config.global.process.gid, 4321);
  EXPECT_EQ(r.config.global.process.user_name, "");
}

TEST(ProcessKeywords, Errors) {
  EXPECT_EQ(only_error(global("  user no-such-user-here\n")),
            "t.cfg:2: 'user': no user named 'no-such-user-here' on this system");
  EXPECT_EQ(only_error(global("  group no-such-group-here\n")),
            "t.cfg:2: 'group': no group named 'no-such-group-here' on this system");
  EXPECT_EQ(only_error(global("  daemon now\n")),
            "t.cfg:2: 'daemon': unexpected argument 'now': expects 'daemon'");
  EXPECT_EQ(only_error(global("  node a.b\n")),
            "t.cfg:2: 'node': invalid name 'a.b': expects letters, digits, '-' and '_'");
  EXPECT_FALSE(global("  spread-checks 51\n").ok());
  EXPECT_FALSE(global("  ulimit-n 0\n").ok());
  EXPECT_FALSE(global("  uid -1\n").ok());
  EXPECT_FALSE(global("  grace soon\n").ok());
}

TEST(ProcessKeywords, CpuMap) {
  auto r = global(
      "  cpu-map 1/1 0\n"
      "  cpu-map 1/2-3 2-3 5\n"
      "  cpu-map auto:1/1-2 6-7\n"
      "  cpu-map all odd\n"
      "  cpu-map 2/1 1\n");  // group 2 does not exist: ignored
  ASSERT_TRUE(r.ok()) << dump(r.errors);
  const auto& m = r.config.global.process.cpu_maps;
  ASSERT_EQ(m.size(), 4u);
  EXPECT_EQ(m[0].threads, 1u);
  EXPECT_EQ(m[0].cpus, std::vector<int>{0});
  EXPECT_EQ(m[1].threads, 6u);
  EXPECT_EQ(m[1].cpus, (std::vector<int>{2, 3, 5}));
  EXPECT_TRUE(m[2].automatic);
  EXPECT_EQ(m[2].cpus, (std::vector<int>{6, 7}));
  EXPECT_EQ(m[3].threads, ~uint64_t(0));
  EXPECT_EQ(m[3].cpus.size(), 32u);
  EXPECT_EQ(m[3].cpus[0], 1);
  EXPECT_FALSE(global("  cpu-map 1/0 0\n").ok());
  EXPECT_FALSE(global("  cpu-map 1/1 64\n").ok());
  EXPECT_FALSE(global("  cpu-map 1/1 x\n").ok());
  EXPECT_FALSE(global("  cpu-map auto:1/1-3 0-1\n").ok());
  EXPECT_FALSE(global("  cpu-map 1/1\n").ok());
}

}  // namespace
}  // namespace hearth::config

namespace hearth::config {
namespace {

TEST(ProcessKeywords, MasterWorker) {
  auto r = parse("global\n");
  EXPECT_FALSE(r.config.global.process.master_worker);
  EXPECT_TRUE(r.config.global.process.exit_on_failure);
  EXPECT_EQ(r.config.global.process.mworker_max_reloads, -1);
  r = parse("global\n  master-worker\n  mworker-max-reloads 3\n");
  ASSERT_TRUE(r.ok()) << testing::dump(r.errors);
  EXPECT_TRUE(r.config.global.process.master_worker);
  EXPECT_TRUE(r.config.global.process.exit_on_failure);
  EXPECT_EQ(r.config.global.process.mworker_max_reloads, 3);
  r = parse("global\n  master-worker no-exit-on-failure\n");
  ASSERT_TRUE(r.ok()) << testing::dump(r.errors);
  EXPECT_FALSE(r.config.global.process.exit_on_failure);
}

TEST(ProcessKeywords, MasterWorkerErrors) {
  for (const char* bad : {"master-worker exit\n", "master-worker a b\n", "mworker-max-reloads\n",
                          "mworker-max-reloads -1\n", "mworker-max-reloads many\n"}) {
    auto r = parse(std::string("global\n  ") + bad);
    ASSERT_EQ(r.errors.size(), 1u) << bad << testing::dump(r.errors);
    EXPECT_EQ(r.errors[0].loc.line, 2) << bad;
    EXPECT_NE(r.errors[0].keyword.find(std::string(bad).substr(0, 8)), std::string::npos)
        << bad << testing::dump(r.errors);
  }
}

}  // namespace
}  // namespace hearth::config
