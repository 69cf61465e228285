// Stick-counter actions (track-sc*, sc-inc-gpc*, sc-set-gpt*) in the tcp and
// http rule sets, and stick-table references (from actions, fetches and
// converters) resolved to the tables of the configuration, declared before
// or after their use; what names no table is refused at its line.
#include <gtest/gtest.h>

#include "config_test_util.h"

namespace hearth::config {
namespace {

using testing::dump;
using testing::has;
using testing::parse;

TEST(StickRules, ActionsParseWithTheirSlotsAndTables) {
  auto r = parse(
      "frontend f\n"
      "  stick-table type ip size 10 store gpc0,gpt0\n"
      "  tcp-request connection track-sc0 src\n"
      "  tcp-request content track-sc1 req.hdr(x),lower table b\n"
      "  http-request track-sc2 src table b if TRUE\n"
      "  http-request sc-inc-gpc0(0)\n"
      "  http-request sc-inc-gpc(1,2) if TRUE\n"
      "  http-request sc-set-gpt0(1) 42\n"
      "  http-request sc-set-gpt(1,0) int(7)\n"
      "  http-response sc-inc-gpc1(0) unless TRUE\n"
      "backend b\n"
      "  stick-table type string len 8 size 10\n");
  ASSERT_TRUE(r.errors.empty()) << dump(r.errors);
  const ProxyConfig& f = r.config.proxies.at(0);
  const auto& c = f.tcp.connection.at(0);
  ASSERT_EQ(c.action, TcpRule::Action::kStick);
  EXPECT_EQ(c.stick->kind, StickAction::Kind::kTrack);
  EXPECT_EQ(c.stick->slot, 0);
  EXPECT_EQ(c.stick->table->name, "f");  // the proxy's own
  EXPECT_EQ(c.stick->table->index, 0);
  EXPECT_EQ(f.tcp.content.at(0).stick->table->index, 1);  // declared later: resolved
  const auto& h = f.http_request_rules;
  ASSERT_EQ(h.size(), 5u);
  EXPECT_EQ(h[0].stick->slot, 2);
  EXPECT_TRUE(h[0].cond != nullptr);
  EXPECT_EQ(h[1].stick->kind, StickAction::Kind::kIncGpc);
  EXPECT_EQ(h[1].stick->which, StickAction::Which::k0);
  EXPECT_EQ(h[2].stick->which, StickAction::Which::kArray);
  EXPECT_EQ(h[2].stick->idx, 1);
  EXPECT_EQ(h[2].stick->slot, 2);
  EXPECT_EQ(h[3].stick->kind, StickAction::Kind::kSetGpt);
  EXPECT_EQ(h[3].stick->value, 42);
  EXPECT_EQ(h[3].stick->expr, nullptr);
  EXPECT_NE(h[4].stick->expr, nullptr);
  ASSERT_EQ(f.http_response_rules.size(), 1u);
  EXPECT_EQ(f.http_response_rules[0].stick->which, StickAction::Which::k1);
}

TEST(StickRules, FetchAndConverterTablesResolveOrAreRefused) {
  auto ok = parse(
      "frontend f\n"
      "  http-request deny if { src_conn_rate(b) gt 3 } || { src,table_http_req_rate(b) gt 5 }\n"
      "  http-request deny if { sc0_http_req_rate gt 10 } || { sc_get_gpc(1,2,b) gt 0 }\n"
      "backend b\n"
      "  stick-table type ip size 10 store conn_rate(10s),http_req_rate(10s)\n"
      "  http-request deny if { src_conn_cnt gt 3 } || { table_cnt gt 0 }\n");
  EXPECT_TRUE(ok.errors.empty()) << dump(ok.errors);
  const char* const bad[][2] = {
      // No table in the proxy: the default one does not exist.
      {"  http-request deny if { src_conn_cnt gt 3 }\n", "unable to find stick-table 'f'"},
      {"  http-request deny if { sc0_conn_cnt(nosuch) gt 3 }\n",
       "unable to find stick-table 'nosuch'"},
      {"  http-request deny if { src,table_conn_cnt(x) gt 3 }\n", "unable to find stick-table 'x'"},
      {"  http-request deny if { sc_conn_cnt(3) gt 3 }\n", "between 0 and 2"},
      {"  http-request deny if { sc_get_gpc(100,0) gt 3 }\n", "between 0 and 99"},
      {"  http-request deny if { src,in_table() }\n", "stick table"},
      {"  http-request track-sc0 src table nosuch\n", "unable to find stick-table 'nosuch'"},
      {"  http-after-response track-sc0 src\n", "unknown action"},
      {"  tcp-request connection track-sc0 src table\n", "missing table name"},
      {"  http-request sc-inc-gpc0 if TRUE\n", "expects sc-inc-gpc0(SC)"},
      {"  http-request sc-inc-gpc(1) if TRUE\n", "expects sc-inc-gpc(IDX,SC)"},
      {"  http-request track-sc1 src extra\n", "unexpected 'extra'"},
  };
  for (const auto& c : bad) {
    auto r = parse(std::string("frontend f\n") + c[0]);
    EXPECT_TRUE(has(r.errors, "t.cfg:2: '", c[1])) << c[0] << dump(r.errors);
  }
  auto resp =
      parse("backend b\n  stick-table type ip size 1\n  tcp-response content track-sc0 src\n");
  EXPECT_TRUE(has(resp.errors, "t.cfg:3: '", "not possible in this rule set")) << dump(resp.errors);
}

}  // namespace
}  // namespace hearth::config
