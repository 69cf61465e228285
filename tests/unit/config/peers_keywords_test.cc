// peers sections: what is read, what stick-tables name, and what is refused
// with file, line and keyword.
#include <gtest/gtest.h>

#include "config_test_util.h"
#include "expr/table_ref.h"

namespace hearth::config {
namespace {

using testing::has;
using testing::only_error;
using testing::parse;

TEST(PeersSection, ReadsPeersBindAndTables) {
  auto r = parse(
      "peers mesh\n"
      "  default-bind ssl crt x.pem\n"
      "  bind 127.0.0.1:1000 alpn x\n"
      "  default-server ssl verify none\n"
      "  server A\n"
      "  server B 127.0.0.1:1001\n"
      "  peer C 127.0.0.1:1002\n"
      "  table t1 type string len 10 size 1k expire 30s store gpc0,conn_rate(10s) srvkey addr\n"
      "  disabled\n"
      "  enable\n"
      "backend b\n"
      "  stick-table type ip size 10 peers mesh srvkey name\n"
      "  stick on src table mesh/t1\n");
  ASSERT_TRUE(r.errors.empty()) << testing::dump(r.errors);
  ASSERT_EQ(r.config.peers.size(), 1u);
  const PeersConfig& p = r.config.peers[0];
  EXPECT_EQ(p.name, "mesh");
  EXPECT_FALSE(p.disabled);  // "enable" came last
  EXPECT_EQ(p.bind, "127.0.0.1:1000");
  ASSERT_EQ(p.peers.size(), 3u);
  EXPECT_EQ(p.peers[0].name, "A");
  EXPECT_EQ(p.peers[0].address, "");
  EXPECT_EQ(p.peers[2].address, "127.0.0.1:1002");
  // TLS: default-bind under the bind line's own options, default-server
  // under every peer line after it.
  EXPECT_TRUE(p.bind_tls.enabled);
  EXPECT_TRUE(p.peers[1].tls.enabled);
  EXPECT_TRUE(p.peers[2].tls.enabled);
  ASSERT_EQ(p.tables.size(), 1u);
  const stick::TableConfig& t = *p.tables[0];
  EXPECT_EQ(t.name, "mesh/t1");
  EXPECT_EQ(t.wire_name, "/t1");
  EXPECT_EQ(t.peers, "mesh");
  EXPECT_TRUE(t.srvkey_addr);
  EXPECT_EQ(t.key_len, 10u);
  EXPECT_EQ(t.peer_key_len, 11u);  // HAProxy counts the NUL
  EXPECT_EQ(t.expire_ms, 30000u);
  // The stick rule made it store server_id and server_key.
  EXPECT_NE(t.layout.find(stick::DataType::kServerId), nullptr);
  EXPECT_NE(t.layout.find(stick::DataType::kServerKey), nullptr);
  ASSERT_EQ(r.config.proxies.size(), 1u);
  const auto& bt = r.config.proxies[0].stick_table;
  ASSERT_TRUE(bt);
  EXPECT_EQ(bt->peers, "mesh");
  EXPECT_EQ(bt->wire_name, "b");
  EXPECT_FALSE(bt->srvkey_addr);
}

// Addresses expand "${NAME}" outside quotes; an unset one is empty, as in
// HAProxy (whose reg-tests name peers they start later), with a warning.
TEST(PeersSection, EnvironmentInPeerAddresses) {
  auto r = parse(
      "peers mesh\n  server A\n  server B ${HEARTH_UNSET_H}:${HEARTH_UNSET_P}\n"
      "  peer C 127.0.0.1:${HEARTH_UNSET_P}2\n");
  ASSERT_TRUE(r.errors.empty()) << testing::dump(r.errors);
  const PeersConfig& p = r.config.peers.at(0);
  EXPECT_EQ(p.peers.at(1).address, ":0");
  EXPECT_EQ(p.peers.at(2).address, "127.0.0.1:2");
  EXPECT_TRUE(
      has(r.warnings, "t.cfg:3: 'server'", "'HEARTH_UNSET_H', 'HEARTH_UNSET_P' are not set"))
      << testing::dump(r.warnings);
}

TEST(PeersSection, TableReferencesCountPeersTablesAfterProxies) {
  auto r = parse(
      "peers p\n  server A\n  table t type ip size 10\n"
      "backend b\n  stick-table type ip size 10\n"
      "frontend f\n  bind :1\n  http-request track-sc0 src table p/t\n"
      "  http-request track-sc1 src table b\n");
  ASSERT_TRUE(r.errors.empty()) << testing::dump(r.errors);
}

TEST(PeersSection, UnknownTableNameIsAnError) {
  auto r = parse(
      "peers p\n  server A\n  table t type ip size 10\n"
      "frontend f\n  bind :1\n  http-request track-sc0 src table t\n");
  EXPECT_TRUE(has(r.errors, "t.cfg:6: 'http-request'", "unable to find stick-table 't'"))
      << testing::dump(r.errors);
}

TEST(PeersSection, RefusedWithFileLineAndKeyword) {
  struct Case {
    const char* line;
    const char* prefix;
    const char* fragment;
  } cases[] = {
      {"  peer A 127.0.0.1:1 weight 3", "t.cfg:2: 'peer'", "only TLS options"},
      {"  server A 127.0.0.1:1 check", "t.cfg:2: 'server'", "only TLS options"},
      {"  bind :1 ssl crt x.pem maxconn 3", "t.cfg:2: 'bind'", "only TLS options"},
      {"  default-bind accept-proxy", "t.cfg:2: 'default-bind'", "only TLS options"},
      {"  default-server send-proxy", "t.cfg:2: 'default-server'", "only TLS options"},
      {"  log stdout format raw local0", "t.cfg:2: 'log'", "not support 'log'"},
      {"  table t type ip size 10 peers x", "t.cfg:2: 'table'", "unexpected 'peers'"},
      {"  table t type ip size 10 srvkey port", "t.cfg:2: 'table'", "invalid srvkey"},
      {"  table t type ip", "t.cfg:2: 'table'", "missing 'size'"},
      {"  peer A", "t.cfg:2: 'peer'", "expects 'peer NAME ADDR:PORT'"},
      {"  frobnicate", "t.cfg:2: 'frobnicate'", "unknown keyword in a peers section"},
  };
  for (const Case& c : cases) {
    auto r = parse(std::string("peers p\n") + c.line + "\n");
    EXPECT_TRUE(has(r.errors, c.prefix, c.fragment)) << c.line << "\n" << testing::dump(r.errors);
  }
}

TEST(PeersSection, DuplicatesAreErrors) {
  EXPECT_TRUE(has(parse("peers p\npeers p\n").errors, "t.cfg:2: 'peers'", "already exists"));
  EXPECT_TRUE(has(parse("peers p\n  server A\n  peer A 1.1.1.1:1\n").errors, "t.cfg:3: 'peer'",
                  "already defined"));
  EXPECT_TRUE(has(parse("peers p\n  table t type ip size 1\n  table t type ip size 1\n").errors,
                  "t.cfg:3: 'table'", "already defined"));
}

TEST(PeersSection, StickTableNamingAnUnknownSection) {
  auto r = parse("backend b\n  stick-table type ip size 10 peers nope\n");
  EXPECT_EQ(only_error(r), "t.cfg:2: 'stick-table': unknown peers section 'nope'");
}

}  // namespace
}  // namespace hearth::config
