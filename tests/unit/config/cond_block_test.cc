// .if/.elif/.else/.endif and .diag/.notice/.warning/.alert in the parser.
#include <gtest/gtest.h>

#include "config_test_util.h"

namespace hearth::config {
namespace {

using testing::dump;
using testing::only_error;

ParseResult parse_env(const std::string& text) {
  return parse_string(text, "t.cfg", testing::fake_env({{"ON", "1"}}));
}

TEST(CondBlock, KeepsOnlyTheTakenBranch) {
  auto r = parse_env(
      "global\n"
      ".if defined(OFF)\n"
      "  maxconn 1\n"
      ".elif defined(ON)\n"
      "  maxconn 2\n"
      ".elif 1\n"
      "  maxconn 3\n"
      ".else\n"
      "  maxconn 4\n"
      ".endif\n");
  ASSERT_TRUE(r.ok()) << dump(r.errors);
  EXPECT_EQ(r.config.global.maxconn, 2);
  r = parse_env("global\n.if 0\n  maxconn 1\n.else\n  maxconn 4\n.endif\n");
  ASSERT_TRUE(r.ok()) << dump(r.errors);
  EXPECT_EQ(r.config.global.maxconn, 4);
}

TEST(CondBlock, NestedBlocksAndSkippedLinesAreNotRead) {
  auto r = parse_env(
      "global\n"
      ".if 0\n"
      "  nonsense keyword\n"
      "  pidfile \"${UNSET}\"\n"  // an unset variable in a skipped line: not an error
      "  .if 1\n"
      "    maxconn 7\n"
      "  .else\n"
      "    maxconn 8\n"
      "  .endif\n"
      "  .alert not read\n"
      "  .unknown\n"
      ".else\n"
      "  .if 1\n"
      "    maxconn 9\n"
      "  .endif\n"
      ".endif\n");
  ASSERT_TRUE(r.ok()) << dump(r.errors);
  EXPECT_EQ(r.config.global.maxconn, 9);
}

TEST(CondBlock, ConditionIsTheRestOfTheLineJoinedByBlanks) {
  auto r = parse_env("global\n.if streq(a, a)\n  maxconn 5\n.endif\n");
  ASSERT_TRUE(r.ok()) << dump(r.errors);
  EXPECT_EQ(r.config.global.maxconn, 4096);  // "a" and " a" differ, as in HAProxy
  r = parse_env("global\n.if 1 &&  defined(ON)\n  maxconn 5\n.endif\n");
  ASSERT_TRUE(r.ok()) << dump(r.errors);
  EXPECT_EQ(r.config.global.maxconn, 5);
}

TEST(CondBlock, UnbalancedBlocksNameFileAndLine) {
  EXPECT_EQ(only_error(parse_env("global\n.endif\n")), "t.cfg:2: '.endif': no '.if' is open here");
  EXPECT_EQ(only_error(parse_env("global\n.else\n")), "t.cfg:2: '.else': no '.if' is open here");
  EXPECT_EQ(only_error(parse_env("global\n.elif 1\n")), "t.cfg:2: '.elif': no '.if' is open here");
  EXPECT_EQ(only_error(parse_env("global\n\n.if 1\n")),
            "t.cfg:3: '.if': this block has no '.endif' in its file");
  EXPECT_EQ(only_error(parse_env("global\n.if 1\n.else\n.else\n.endif\n")),
            "t.cfg:4: '.else': the '.if' block of line 2 already had its '.else'");
  EXPECT_EQ(only_error(parse_env("global\n.if 1\n.else\n.elif 1\n.endif\n")),
            "t.cfg:4: '.elif': the '.if' block of line 2 already had its '.else'");
  EXPECT_EQ(only_error(parse_env("global\n.if 1\n.endif 1\n")),
            "t.cfg:3: '.endif': takes no argument, got '1'");
}

TEST(CondBlock, BadConditionIsAnError) {
  auto r = parse_env("global\n.if foo\n.endif\n");
  ASSERT_EQ(r.errors.size(), 1u) << dump(r.errors);
  EXPECT_EQ(r.errors[0].loc.line, 2);
  EXPECT_EQ(r.errors[0].keyword, ".if");
  EXPECT_NE(r.errors[0].message.find("'foo'"), std::string::npos) << r.errors[0].message;
  EXPECT_NE(r.errors[0].message.find("character 1"), std::string::npos) << r.errors[0].message;
}

TEST(CondBlock, MessagesGoToTheirLevel) {
  auto r = parse_env(
      "global\n"
      ".diag \"d msg\"\n"
      ".notice \"hello world\"\n"
      ".warning w\n"
      ".if 0\n"
      ".alert skipped\n"
      ".endif\n");
  ASSERT_TRUE(r.ok()) << dump(r.errors);
  ASSERT_EQ(r.diags.size(), 1u);
  EXPECT_EQ(r.diags[0].str(), "t.cfg:2: '.diag': d msg");
  ASSERT_EQ(r.notices.size(), 1u);
  EXPECT_EQ(r.notices[0].str(), "t.cfg:3: '.notice': hello world");
  ASSERT_EQ(r.warnings.size(), 1u);
  EXPECT_EQ(r.warnings[0].str(), "t.cfg:4: '.warning': w");
}

TEST(CondBlock, AlertStopsTheLoad) {
  EXPECT_EQ(only_error(parse_env("global\n.alert \"stop here\"\n")),
            "t.cfg:2: '.alert': stop here");
  EXPECT_EQ(only_error(parse_env("global\n.alert stop here\n")),
            "t.cfg:2: '.alert': takes one message; 'here' is extra (quote a message that has "
            "blanks)");
  EXPECT_EQ(only_error(parse_env(".foo\n")),
            "t.cfg:1: '.foo': unknown directive: expects .if, .elif, .else, .endif, .diag, "
            ".notice, .warning or .alert");
}

}  // namespace
}  // namespace hearth::config
