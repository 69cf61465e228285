// option external-check, external-check command|path and the global
// external-check / insecure-fork-wanted: what is parsed, inherited and
// refused (HAProxy 2.6's rules, compared in
// tests/integration/external_check_test.cc).
#include <gtest/gtest.h>

#include "config_test_util.h"

namespace hearth::config {
namespace {

using testing::dump;
using testing::has;
using testing::only_error;
using testing::parse;
using testing::parse_and_validate;

const char* kGlobal = "global\n  external-check\n  insecure-fork-wanted\n";

TEST(ExternalCheck, ParsedWithItsCommandAndPath) {
  auto r = parse_and_validate(std::string(kGlobal) +
                              "backend b\n  option external-check\n"
                              "  external-check command /usr/bin/chk\n"
                              "  external-check path /usr/bin:/bin\n"
                              "  server s 127.0.0.1:80 check\n");
  ASSERT_TRUE(r.ok()) << dump(r.errors);
  EXPECT_TRUE(r.warnings.empty() || !has(r.warnings, "t.cfg", "external")) << dump(r.warnings);
  EXPECT_TRUE(r.config.global.external_check);
  EXPECT_TRUE(r.config.global.insecure_fork_wanted);
  const CheckConfig& c = r.config.proxies[0].check;
  EXPECT_EQ(c.type, CheckType::kExternal);
  EXPECT_EQ(c.external.command, "/usr/bin/chk");
  EXPECT_EQ(c.external.path, "/usr/bin:/bin");
}

TEST(ExternalCheck, InheritedFromDefaultsAndReplacedByAnotherCheck) {
  auto r = parse_and_validate(std::string(kGlobal) +
                              "defaults\n  option external-check\n"
                              "  external-check command /bin/true\n"
                              "backend b\n  server s 127.0.0.1:80 check\n"
                              "backend c\n  option httpchk\n  server s 127.0.0.1:80 check\n");
  ASSERT_TRUE(r.ok()) << dump(r.errors);
  EXPECT_EQ(r.config.proxies[0].check.type, CheckType::kExternal);
  EXPECT_EQ(r.config.proxies[0].check.external.command, "/bin/true");
  EXPECT_EQ(r.config.proxies[1].check.type, CheckType::kHttp);
  // As HAProxy: the command is then ignored, with a warning.
  EXPECT_TRUE(has(r.warnings, "t.cfg:6: 'external-check command'", "ignored in 'c'"))
      << dump(r.warnings);
}

TEST(ExternalCheck, ALaterCheckOptionReplacesIt) {
  auto r = parse_and_validate(std::string(kGlobal) +
                              "backend b\n  option external-check\n  option tcp-check\n"
                              "  server s 127.0.0.1:80 check\n");
  ASSERT_TRUE(r.ok()) << dump(r.errors);  // no command needed any more
  EXPECT_EQ(r.config.proxies[0].check.type, CheckType::kTcp);
}

TEST(ExternalCheck, NeedsTheGlobalKeywordAndACommand) {
  auto r =
      parse_and_validate("backend b\n  option external-check\n  server s 127.0.0.1:80 check\n");
  EXPECT_TRUE(has(r.errors, "t.cfg:1: 'option external-check'",
                  "'b' needs 'external-check' in the global section"))
      << dump(r.errors);
  EXPECT_TRUE(
      has(r.errors, "t.cfg:1: 'option external-check'", "'b' has no 'external-check command'"))
      << dump(r.errors);
  EXPECT_TRUE(has(r.warnings, "t.cfg:1: 'option external-check'", "'insecure-fork-wanted'"))
      << dump(r.warnings);
}

TEST(ExternalCheck, WithoutInsecureForkWantedOnlyAWarning) {
  auto r = parse_and_validate(
      "global\n  external-check\n"
      "backend b\n  option external-check\n  external-check command /bin/true\n"
      "  server s 127.0.0.1:80 check\n");
  ASSERT_TRUE(r.ok()) << dump(r.errors);
  EXPECT_TRUE(
      has(r.warnings, "t.cfg:3: 'option external-check'", "'insecure-fork-wanted' is not set"))
      << dump(r.warnings);
  r = parse_and_validate(
      "global\n  external-check\n  insecure-fork-wanted\n  no insecure-fork-wanted\n"
      "backend b\n  option external-check\n  external-check command /bin/true\n");
  ASSERT_TRUE(r.ok()) << dump(r.errors);
  EXPECT_FALSE(r.config.global.insecure_fork_wanted);
}

TEST(ExternalCheck, ACommandWithoutSlashNeedsAPathEvenWithoutTheOption) {
  auto r = parse_and_validate(std::string(kGlobal) +
                              "backend b\n  external-check command chk\n"
                              "  server s 127.0.0.1:80\n");
  EXPECT_TRUE(has(r.errors, "t.cfg:5: 'external-check command'",
                  "'chk' does not begin with '/' and 'external-check path' is not set"))
      << dump(r.errors);
  EXPECT_TRUE(has(r.warnings, "t.cfg:5: 'external-check command'", "needs 'option external-check'"))
      << dump(r.warnings);
  r = parse_and_validate(std::string(kGlobal) +
                         "backend b\n  option external-check\n  external-check command chk\n"
                         "  external-check path /opt/checks\n");
  EXPECT_TRUE(r.ok()) << dump(r.errors);
}

TEST(ExternalCheck, MalformedLinesAreRefused) {
  auto err = [](const std::string& line) {
    return only_error(parse(std::string(kGlobal) + "backend b\n" + line + "\n"));
  };
  EXPECT_EQ(err("  external-check"),
            "t.cfg:5: 'external-check': missing argument: expects 'external-check command CMD' or "
            "'external-check path PATH'");
  EXPECT_EQ(err("  external-check foo bar"),
            "t.cfg:5: 'external-check': only supports 'command' and 'path', got 'foo'");
  EXPECT_EQ(err("  external-check command"),
            "t.cfg:5: 'external-check command': missing argument: expects 'external-check "
            "command CMD'");
  EXPECT_EQ(err("  external-check command \"\""),
            "t.cfg:5: 'external-check command': missing argument: expects 'external-check "
            "command CMD'");
  EXPECT_NE(err("  external-check command /bin/true x").find("unexpected argument"),
            std::string::npos);
  EXPECT_EQ(err("  external-check path"),
            "t.cfg:5: 'external-check path': missing argument: expects 'external-check path "
            "PATH'");
  EXPECT_NE(err("  option external-check x").find("'option external-check'"), std::string::npos);
  EXPECT_EQ(err("  no option external-check"),
            "t.cfg:5: 'no option external-check': 'no' cannot be used with 'option "
            "external-check'");
}

TEST(ExternalCheck, GlobalKeywordsTakeNoArgument) {
  EXPECT_NE(only_error(parse("global\n  external-check x\n")).find("'external-check'"),
            std::string::npos);
  EXPECT_NE(only_error(parse("global\n  insecure-fork-wanted x\n")).find("'insecure-fork-wanted'"),
            std::string::npos);
  EXPECT_NE(only_error(parse("global\n  no external-check\n")).find("'no external-check'"),
            std::string::npos);
}

// Found by the config fuzzer: a bare "no" read past the line's words.
TEST(ExternalCheck, ABareNoIsAnUnknownGlobalKeyword) {
  EXPECT_NE(only_error(parse("global\n  no\n")).find("t.cfg:2: 'no'"), std::string::npos);
}

TEST(ExternalCheck, IgnoredInAFrontend) {
  auto r = parse(
      "global\n  external-check\nfrontend f\n  bind :80\n  option external-check\n"
      "  external-check command /bin/true\n");
  EXPECT_TRUE(r.ok()) << dump(r.errors);
  EXPECT_EQ(r.config.proxies[0].check.type, CheckType::kL4);
  EXPECT_EQ(r.warnings.size(), 2u) << dump(r.warnings);
}

}  // namespace
}  // namespace hearth::config
