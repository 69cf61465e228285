// fix_is_valid and fix_tag_value on a FIX 4.4 logon built by hand (body
// length and checksum computed for it), its prefixes and broken copies.
#include <gtest/gtest.h>

#include <optional>
#include <string>

#include "expr/sample_expr.h"
#include "unit/expr/eval_bin.h"

namespace hearth::expr {
namespace {

// 8=FIX.4.4|9=45|35=A|49=CLIENT1|56=EXECUTOR|34=1|98=0|108=30|10=138|
const std::string kLogon =
    "383d4649582e342e3401393d34350133353d410134393d434c49454e54310135363d4558454355544f5201"
    "33343d310139383d30013130383d33300131303d31333801";

std::optional<std::string> eval(const std::string& hex, const std::string& convs) {
  return testing::eval_bin_hex(hex, convs);
}

TEST(FixConverters, ValidLogon) {
  EXPECT_EQ(eval(kLogon, "fix_is_valid"), "true");
  EXPECT_EQ(eval(kLogon, "fix_tag_value(BeginString)"), "FIX.4.4");
  EXPECT_EQ(eval(kLogon, "fix_tag_value(9)"), "45");
  EXPECT_EQ(eval(kLogon, "fix_tag_value(MsgType)"), "A");
  EXPECT_EQ(eval(kLogon, "fix_tag_value(SenderCompID)"), "CLIENT1");
  EXPECT_EQ(eval(kLogon, "fix_tag_value(TargetCompID)"), "EXECUTOR");
  EXPECT_EQ(eval(kLogon, "fix_tag_value(CheckSum)"), "138");
  EXPECT_EQ(eval(kLogon, "fix_tag_value(108)"), "30");
  EXPECT_EQ(eval(kLogon, "fix_tag_value(553)"), std::nullopt);
}

TEST(FixConverters, PrefixesAndBrokenMessagesAreNotValid) {
  for (size_t n = 0; n < kLogon.size(); n += 2)
    EXPECT_EQ(eval(n ? kLogon.substr(0, n) : "00", "fix_is_valid"), "false") << n;
  std::string bad = kLogon;
  bad[bad.size() - 4] = '9';  // checksum 139
  EXPECT_EQ(eval(bad, "fix_is_valid"), "false");
  bad = kLogon;
  bad[22] = '6';  // body length 46
  EXPECT_EQ(eval(bad, "fix_is_valid"), "false");
  EXPECT_EQ(eval("474554202f20485454502f312e310d0a", "fix_is_valid"), "false");  // GET / HTTP/1.1
}

TEST(FixConverters, BadTagIsALoadError) {
  std::string err;
  EXPECT_EQ(parse_sample_expr("bin(00),fix_tag_value(Nope)", kUseAny, &err), nullptr);
  EXPECT_NE(err.find("FIX tag"), std::string::npos) << err;
}

}  // namespace
}  // namespace hearth::expr
