// The distcc token reader behind distcc_body and distcc_param (the
// side-by-side run with HAProxy is tests/integration/distcc_fetch_test.cc).
#include "expr/distcc.h"

#include <gtest/gtest.h>

#include <string>

namespace hearth::expr {
namespace {

std::string tok(const char* name, uint32_t param, const std::string& body = "") {
  char head[16];
  snprintf(head, sizeof head, "%.4s%08x", name, param);
  return head + body;
}

const uint32_t kArgv = distcc_token("ARGV");
const uint32_t kDoti = distcc_token("DOTI");

TEST(Distcc, TokensParamsAndBodies) {
  const std::string m = tok("DIST", 1) + tok("ARGC", 3) + tok("ARGV", 3, "gcc") +
                        tok("ARGV", 2, "-c") + tok("ARGV", 3, "a.c") + tok("DOTI", 5, "int x");
  DistccToken t;
  ASSERT_EQ(distcc_find(m, distcc_token("DIST"), 0, &t), HelloStatus::kOk);
  EXPECT_EQ(t.param, 1u);
  EXPECT_EQ(t.body, "");  // DIST, ARGC, NFIL, STAT and DONE have no body
  ASSERT_EQ(distcc_find(m, distcc_token("ARGC"), 0, &t), HelloStatus::kOk);
  EXPECT_EQ(t.param, 3u);
  ASSERT_EQ(distcc_find(m, kArgv, 0, &t), HelloStatus::kOk);  // 0: the first
  EXPECT_EQ(t.body, "gcc");
  ASSERT_EQ(distcc_find(m, kArgv, 2, &t), HelloStatus::kOk);
  EXPECT_EQ(t.body, "-c");
  EXPECT_EQ(t.param, 2u);
  ASSERT_EQ(distcc_find(m, kArgv, 3, &t), HelloStatus::kOk);
  EXPECT_EQ(t.body, "a.c");
  ASSERT_EQ(distcc_find(m, kDoti, 1, &t), HelloStatus::kOk);
  EXPECT_EQ(t.body, "int x");
  EXPECT_TRUE(t.body_complete);
  // Past the last token: more bytes could bring it.
  EXPECT_EQ(distcc_find(m, kArgv, 4, &t), HelloStatus::kIncomplete);
  EXPECT_EQ(distcc_find(m, distcc_token("DONE"), 0, &t), HelloStatus::kIncomplete);
}

TEST(Distcc, HexDigitsEitherCase) {
  DistccToken t;
  EXPECT_EQ(distcc_find("ARGC0000000aARGV00000003gcc", distcc_token("ARGC"), 0, &t),
            HelloStatus::kOk);
  EXPECT_EQ(t.param, 10u);
  EXPECT_EQ(distcc_find("ARGCFFFFFFFF", distcc_token("ARGC"), 0, &t), HelloStatus::kOk);
  EXPECT_EQ(t.param, 0xffffffffu);
  // Not 8 hexadecimal digits: not distcc, whatever follows.
  EXPECT_EQ(distcc_find("DIST0000000Z", distcc_token("DIST"), 0, &t), HelloStatus::kInvalid);
  EXPECT_EQ(distcc_find("DIST00000001ARGV 0000001x", kArgv, 0, &t), HelloStatus::kInvalid);
}

TEST(Distcc, ShortBytes) {
  DistccToken t;
  EXPECT_EQ(distcc_find("", kArgv, 0, &t), HelloStatus::kIncomplete);
  EXPECT_EQ(distcc_find("DIST00000001AR", kArgv, 0, &t), HelloStatus::kIncomplete);
  EXPECT_EQ(distcc_find("DIST0000000", distcc_token("DIST"), 0, &t), HelloStatus::kIncomplete);
  // A body cut short: what is there, marked incomplete.
  ASSERT_EQ(distcc_find("DOTI00000010abc", kDoti, 0, &t), HelloStatus::kOk);
  EXPECT_EQ(t.param, 16u);
  EXPECT_EQ(t.body, "abc");
  EXPECT_FALSE(t.body_complete);
  // A token after a body that is not all here cannot be reached yet.
  EXPECT_EQ(distcc_find("ARGVffffffffabc", kDoti, 0, &t), HelloStatus::kIncomplete);
}

TEST(Distcc, UnknownTokensAreSkippedByTheirBody) {
  const std::string m =
      tok("XXXX", 4, "abcd") + tok("ARGV", 1, "z") + tok("DONE", 7) + tok("ARGV", 1, "y");
  DistccToken t;
  ASSERT_EQ(distcc_find(m, kArgv, 2, &t), HelloStatus::kOk);
  EXPECT_EQ(t.body, "y");
  ASSERT_EQ(distcc_find(m, distcc_token("DONE"), 0, &t), HelloStatus::kOk);
  EXPECT_EQ(t.param, 7u);
  // An occurrence that never comes (a negative one in the configuration).
  EXPECT_EQ(distcc_find(m, kArgv, 0xffffffffu, &t), HelloStatus::kIncomplete);
}

}  // namespace
}  // namespace hearth::expr
