// "server" and "default-server".
#include <gtest/gtest.h>

#include "config_test_util.h"

namespace hearth::config {
namespace {

using testing::dump;
using testing::has;
using testing::only_error;
using testing::parse;

ParseResult backend(const std::string& lines) { return parse("backend b\n" + lines); }

TEST(Server, NameAndAddressWithBuiltInValues) {
  auto r = backend("  server app1 10.0.0.1:8080\n");
  ASSERT_TRUE(r.ok()) << dump(r.errors);
  const ServerConfig& s = r.config.proxies[0].servers.at(0);
  EXPECT_EQ(s.name, "app1");
  EXPECT_EQ(s.address, "10.0.0.1:8080");
  EXPECT_EQ(s.loc.line, 2);
  EXPECT_EQ(s.weight, 1);
  EXPECT_EQ(s.maxconn, 0);
  EXPECT_FALSE(s.disabled);
  EXPECT_FALSE(s.backup);
  EXPECT_FALSE(s.check);
  EXPECT_EQ(s.pool_max_conn, std::nullopt);
  EXPECT_EQ(s.pool_purge_delay, std::nullopt);
  EXPECT_EQ(s.pool_idle_timeout, std::nullopt);
  EXPECT_EQ(s.max_reuse, std::nullopt);
}

TEST(Server, EveryOption) {
  auto r = backend(
      "  server a 10.0.0.1:80 weight 10 maxconn 100 disabled backup pool-max-conn 50 "
      "pool-purge-delay 5s pool-idle-timeout 30s max-reuse 1000\n");
  ASSERT_TRUE(r.ok()) << dump(r.errors);
  const ServerConfig& s = r.config.proxies[0].servers.at(0);
  EXPECT_EQ(s.weight, 10);
  EXPECT_EQ(s.maxconn, 100);
  EXPECT_TRUE(s.disabled);
  EXPECT_TRUE(s.backup);
  EXPECT_EQ(s.pool_max_conn, 50);
  EXPECT_EQ(s.pool_purge_delay, 5000);
  EXPECT_EQ(s.pool_idle_timeout, 30000);
  EXPECT_EQ(s.max_reuse, 1000);
}

TEST(Server, UnlimitedPoolValues) {
  auto r = backend("  server a 10.0.0.1:80 pool-max-conn -1 max-reuse -1\n");
  ASSERT_TRUE(r.ok()) << dump(r.errors);
  EXPECT_EQ(r.config.proxies[0].servers[0].pool_max_conn, -1);
  EXPECT_EQ(r.config.proxies[0].servers[0].max_reuse, -1);
}

TEST(Server, PoolLowConn) {
  auto r = backend("  server a 10.0.0.1:80 pool-low-conn 2\n");
  ASSERT_TRUE(r.ok()) << dump(r.errors);
  EXPECT_EQ(r.config.proxies[0].servers[0].pool_low_conn, 2);
  EXPECT_EQ(only_error(backend("  server a 10.0.0.1:80 pool-low-conn -1\n")),
            "t.cfg:2: 'server': option 'pool-low-conn' expects an integer between 0 and 10000000, "
            "got '-1'");
}

TEST(Server, CheckIsAcceptedWithoutWarning) {
  auto r = backend("  server a 10.0.0.1:80 check\n");
  ASSERT_TRUE(r.ok()) << dump(r.errors);
  EXPECT_TRUE(r.config.proxies[0].servers[0].check);
  EXPECT_TRUE(r.warnings.empty()) << dump(r.warnings);
}

TEST(Server, DefaultServerSetsLaterServersOnly) {
  auto r = backend(
      "  server a 10.0.0.1:80\n"
      "  default-server weight 5 backup pool-idle-timeout 2s\n"
      "  server b 10.0.0.2:80\n"
      "  server c 10.0.0.3:80 weight 6 no-backup\n");
  ASSERT_TRUE(r.ok()) << dump(r.errors);
  const auto& s = r.config.proxies[0].servers;
  ASSERT_EQ(s.size(), 3u);
  EXPECT_EQ(s[0].weight, 1);
  EXPECT_FALSE(s[0].backup);
  EXPECT_EQ(s[1].weight, 5);
  EXPECT_TRUE(s[1].backup);
  EXPECT_EQ(s[1].pool_idle_timeout, 2000);
  EXPECT_EQ(s[1].loc.line, 4);
  EXPECT_EQ(s[2].weight, 6);
  EXPECT_FALSE(s[2].backup);
}

TEST(Server, DefaultServerDoesNotLeakToOtherBackends) {
  auto r = parse("backend a\n  default-server weight 9\nbackend b\n  server s 10.0.0.1:80\n");
  ASSERT_TRUE(r.ok()) << dump(r.errors);
  EXPECT_EQ(r.config.proxies[1].servers[0].weight, 1);
}

TEST(Server, EnabledUndoesADisabledDefault) {
  auto r = backend("  default-server disabled\n  server a 10.0.0.1:80 enabled\n");
  ASSERT_TRUE(r.ok()) << dump(r.errors);
  EXPECT_FALSE(r.config.proxies[0].servers[0].disabled);
}

TEST(Server, Errors) {
  EXPECT_EQ(only_error(backend("  server a\n")),
            "t.cfg:2: 'server': missing argument: expects 'server NAME HOST:PORT [options]'");
  EXPECT_EQ(only_error(backend("  server a/b 10.0.0.1:80\n")),
            "t.cfg:2: 'server': invalid server name 'a/b': expects letters, digits, '-', '_', '.' "
            "or ':'");
  EXPECT_EQ(only_error(backend("  server a 10.0.0.1:80 weight 300\n")),
            "t.cfg:2: 'server': option 'weight' expects an integer between 0 and 256, got '300'");
  EXPECT_EQ(
      only_error(backend("  server a 10.0.0.1:80 maxconn\n")),
      "t.cfg:2: 'server': option 'maxconn' expects an integer between 0 and 10000000, got ''");
  EXPECT_EQ(only_error(backend("  server a 10.0.0.1:80 pool-max-conn -2\n")),
            "t.cfg:2: 'server': option 'pool-max-conn' expects an integer between -1 and 10000000, "
            "got '-2'");
  EXPECT_EQ(only_error(backend("  server a 10.0.0.1:80 pool-purge-delay forever\n")),
            "t.cfg:2: 'server': option 'pool-purge-delay' expects a duration such as 5s, 500ms or "
            "1m, got 'forever'");
  EXPECT_EQ(only_error(backend("  server a 10.0.0.1:80 usesrc client\n")),
            "t.cfg:2: 'server': server option 'usesrc' is not supported by Hearth yet");
  EXPECT_TRUE(has(backend("  server a 10.0.0.1:80 wieght 2\n").errors,
                  "t.cfg:2: 'server': unknown server option 'wieght'; supported: weight, maxconn"));
  EXPECT_EQ(only_error(backend("  default-server\n")),
            "t.cfg:2: 'default-server': missing argument: expects 'default-server OPTION...'");
  EXPECT_EQ(
      only_error(backend("  default-server weight x\n")),
      "t.cfg:2: 'default-server': option 'weight' expects an integer between 0 and 256, got 'x'");
}

TEST(Server, PassiveHealthAndSlowstart) {
  auto r = parse(
      "defaults\n  mode http\n  default-server observe layer4 error-limit 3\n"
      "backend b\n  server a 10.0.0.1:80 check observe layer7 on-error sudden-death slowstart "
      "1500ms\n  server c 10.0.0.2:80 check\n  server d 10.0.0.3:80 check observe none\n");
  ASSERT_TRUE(r.ok()) << dump(r.errors);
  const auto& sv = r.config.proxies[0].servers;
  EXPECT_EQ(sv.at(0).observe, ObserveMode::kLayer7);
  EXPECT_EQ(sv.at(0).error_limit, 3);
  EXPECT_EQ(sv.at(0).on_error, OnError::kSuddenDeath);
  EXPECT_EQ(sv.at(0).slowstart, 1500);
  EXPECT_EQ(sv.at(1).observe, ObserveMode::kLayer4);
  EXPECT_EQ(sv.at(1).on_error, OnError::kFailCheck);  // HAProxy's default
  EXPECT_EQ(sv.at(1).slowstart, 0);
  EXPECT_EQ(sv.at(2).observe, ObserveMode::kNone);
  EXPECT_EQ(ServerConfig{}.error_limit, 10);
}

TEST(Server, PassiveHealthRefusals) {
  EXPECT_EQ(only_error(backend("  server a 10.0.0.1:80 check observe layer7\n")),
            "t.cfg:2: 'server': option 'observe layer7' needs an HTTP proxy (mode http)");
  EXPECT_EQ(only_error(backend("  server a 10.0.0.1:80 observe layer5\n")),
            "t.cfg:2: 'server': option 'observe' expects none, layer4 or layer7, got 'layer5'");
  EXPECT_EQ(only_error(backend("  server a 10.0.0.1:80 error-limit 0\n")),
            "t.cfg:2: 'server': option 'error-limit' expects an integer between 1 and 2147483647, "
            "got '0'");
  EXPECT_EQ(only_error(backend("  server a 10.0.0.1:80 on-error reboot\n")),
            "t.cfg:2: 'server': option 'on-error' expects fastinter, fail-check, sudden-death or "
            "mark-down, got 'reboot'");
  EXPECT_EQ(only_error(backend("  server a 10.0.0.1:80 slowstart soon\n")),
            "t.cfg:2: 'server': option 'slowstart' expects a duration such as 5s, 500ms or 1m, "
            "got 'soon'");
  // Without check, observe does nothing: a warning, not an error.
  auto r = backend("  server a 10.0.0.1:80 observe layer4\n");
  EXPECT_TRUE(r.ok());
  EXPECT_FALSE(r.warnings.empty());
}

TEST(Server, BadServerIsDropped) {
  auto r = backend("  server a 10.0.0.1:80 weight x\n  server b 10.0.0.2:80\n");
  EXPECT_EQ(r.errors.size(), 1u);
  ASSERT_EQ(r.config.proxies[0].servers.size(), 1u);
  EXPECT_EQ(r.config.proxies[0].servers[0].name, "b");
}

}  // namespace
}  // namespace hearth::config
