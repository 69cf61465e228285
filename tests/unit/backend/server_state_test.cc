// Server state files: parsing and printing the version-1 format, and what a
// row does to a server that has not started (HAProxy's loader, as compared
// with haproxy 2.6 in tests/integration/server_state_test.cc).
#include "backend/server_state.h"

#include <gtest/gtest.h>

#include "backend/server.h"
#include "backend/server_state_apply.h"

namespace hearth::backend {
namespace {

const char* const kLine = "2 bk 3 s3 127.0.0.1 2 1 5 1 100 1 0 2 0 0 0 0 - 8080 - 0 0 - - 0";

TEST(ServerStateParse, ReadsEveryColumn) {
  std::string text = std::string("1\n") + kServerStateColumns + "\n" + kLine + "\n";
  std::vector<ServerStateRow> rows;
  int bad = -1;
  ASSERT_EQ(parse_server_state(text, &rows, &bad), StateFileStatus::kOk);
  ASSERT_EQ(rows.size(), 1u);
  const ServerStateRow& r = rows[0];
  EXPECT_EQ(r.be_id, 2);
  EXPECT_EQ(r.be_name, "bk");
  EXPECT_EQ(r.srv_id, 3);
  EXPECT_EQ(r.srv_name, "s3");
  EXPECT_EQ(r.addr, "127.0.0.1");
  EXPECT_EQ(r.op_state, kOpRunning);
  EXPECT_EQ(r.admin_state, kAdminForcedMaint);
  EXPECT_EQ(r.uweight, 5);
  EXPECT_EQ(r.iweight, 1);
  EXPECT_EQ(r.since_change_s, 100);
  EXPECT_EQ(r.port, 8080);
  EXPECT_EQ(r.fqdn, "");
  EXPECT_TRUE(r.invalid.empty());
  // Printing gives the line back.
  EXPECT_EQ(format_server_state_row(r), kLine);
}

TEST(ServerStateParse, SkipsCommentsAndBlankLinesAndExtraColumns) {
  std::vector<ServerStateRow> rows;
  int bad = -1;
  std::string text = std::string("1\n# x\n\n") + kLine + " 9 9\n\r\n" + kLine + "\r\n";
  ASSERT_EQ(parse_server_state(text, &rows, &bad), StateFileStatus::kOk);
  EXPECT_EQ(rows.size(), 2u);
}

TEST(ServerStateParse, VersionMustComeFirst) {
  std::vector<ServerStateRow> rows;
  int bad = -1;
  EXPECT_EQ(parse_server_state(std::string("2\n") + kLine, &rows, &bad),
            StateFileStatus::kNoVersion);
  EXPECT_EQ(parse_server_state(kLine, &rows, &bad), StateFileStatus::kNoVersion);
  EXPECT_EQ(parse_server_state("", &rows, &bad), StateFileStatus::kNoVersion);
  EXPECT_EQ(parse_server_state("1\n", &rows, &bad), StateFileStatus::kOk);
  EXPECT_TRUE(rows.empty());
}

TEST(ServerStateParse, ShortLineCorruptsTheFileCountingAfterTheVersion) {
  std::vector<ServerStateRow> rows;
  int bad = -1;
  // The short line is the file's 5th line, the 4th after the version.
  std::string text = std::string("1\n# c\n") + kLine + "\n\n2 bk 3 s3 127.0.0.1 2 1 5\n";
  EXPECT_EQ(parse_server_state(text, &rows, &bad), StateFileStatus::kCorrupted);
  EXPECT_EQ(bad, 4);
}

TEST(ServerStateParse, BadValueMarksOnlyItsRow) {
  std::vector<ServerStateRow> rows;
  int bad = -1;
  std::string text = std::string("1\n") +
                     "2 bk 3 s3 127.0.0.1 7 1 5 1 100 1 0 2 0 0 0 0 - 80 - 0 0 - - 0\n" +
                     "2 bk 3 s3 127.0.0.1 2 x 5 1 100 1 0 2 0 0 0 0 - 80 - 0 0 - - 0\n" +
                     "2 bk 3 s3 127.0.0.1 2 0 300 1 100 1 0 2 0 0 0 0 - 80 - 0 0 - - 0\n" + kLine;
  ASSERT_EQ(parse_server_state(text, &rows, &bad), StateFileStatus::kOk);
  ASSERT_EQ(rows.size(), 4u);
  EXPECT_EQ(rows[0].invalid, "invalid srv_op_state value '7'");
  EXPECT_EQ(rows[1].invalid, "invalid srv_admin_state value 'x'");
  EXPECT_EQ(rows[2].invalid, "invalid srv_uweight value '300'");
  EXPECT_TRUE(rows[3].invalid.empty());
}

void init_server(Server& s, int weight, int port) {
  s.name = "s3";
  std::string err;
  s.set_address(*net::Address::parse("127.0.0.1:" + std::to_string(port), &err));
  s.iweight = weight;
  s.weight = weight;
}

ServerStateRow row_of(const std::string& line) {
  std::vector<ServerStateRow> rows;
  int bad = 0;
  EXPECT_EQ(parse_server_state("1\n" + line, &rows, &bad), StateFileStatus::kOk);
  return rows.at(0);
}

TEST(ServerStateApply, MaintenanceWeightPortAndAge) {
  Server s;
  init_server(s, 1, 80);
  AppliedState a;
  std::string msg;
  ASSERT_TRUE(apply_server_state(row_of(kLine), false, s, &a, &msg));
  EXPECT_TRUE(s.disabled.load());
  EXPECT_EQ(s.weight.load(), 5);  // iweight 1 = the configured weight
  EXPECT_EQ(s.address().port(), 8080);
  EXPECT_EQ(a.since_change_s, 100);
  EXPECT_FALSE(a.check_start.has_value());  // unchecked
}

TEST(ServerStateApply, ChangedConfigWeightWins) {
  Server s;
  init_server(s, 3, 80);
  AppliedState a;
  std::string msg;
  ASSERT_TRUE(apply_server_state(row_of(kLine), false, s, &a, &msg));
  EXPECT_EQ(s.weight.load(), 3);
}

TEST(ServerStateApply, DrainAndCheckedDown) {
  Server s;
  init_server(s, 1, 80);
  AppliedState a;
  std::string msg;
  ASSERT_TRUE(apply_server_state(
      row_of("2 bk 3 s3 127.0.0.1 2 8 1 1 5 6 3 4 6 0 0 0 - 80 - 0 0 - - 0"), true, s, &a, &msg));
  EXPECT_TRUE(s.drain.load());
  EXPECT_FALSE(s.disabled.load());
  EXPECT_EQ(msg, "remains in forced drain mode.");
  EXPECT_EQ(a.check_start, InitState::kFullyUp);

  Server d;
  init_server(d, 1, 80);
  ASSERT_TRUE(apply_server_state(
      row_of("2 bk 3 s3 127.0.0.1 0 0 1 1 5 8 2 0 6 0 0 0 - 80 - 0 0 - - 0"), true, d, &a, &msg));
  EXPECT_EQ(a.check_start, InitState::kFullyDown);
  EXPECT_FALSE(d.drain.load());
}

TEST(ServerStateApply, InvalidRowChangesNothing) {
  Server s;
  init_server(s, 1, 80);
  AppliedState a;
  std::string msg;
  EXPECT_FALSE(
      apply_server_state(row_of("2 bk 3 s3 127.0.0.1 2 1 300 1 5 1 0 2 0 0 0 0 - 81 - 0 0 - - 0"),
                         false, s, &a, &msg));
  EXPECT_EQ(msg, "invalid srv_uweight value '300'");
  EXPECT_FALSE(s.disabled.load());
  EXPECT_EQ(s.address().port(), 80);
}

}  // namespace
}  // namespace hearth::backend
