// "acl" lines and the if/unless conditions of rules and use_backend.
#include <gtest/gtest.h>

#include <cstdio>
#include <fstream>

#include "config_test_util.h"

namespace hearth::config {
namespace {

using testing::dump;
using testing::has;
using testing::only_error;
using testing::parse;

ParseResult frontend(const std::string& lines) {
  return parse("frontend f\n  mode http\n" + lines);
}
const ProxyConfig& proxy(const ParseResult& r) { return r.config.proxies.at(0); }

TEST(AclKeyword, LinesOfOneNameMakeOneAcl) {
  auto r = frontend(
      "  acl api path_beg /api\n"
      "  acl api hdr(host) -i api.example.com\n"
      "  acl other method POST\n");
  ASSERT_TRUE(r.ok()) << dump(r.errors);
  ASSERT_EQ(proxy(r).acls.size(), 2u);
  EXPECT_EQ(proxy(r).acls.at("api")->name(), "api");
}

TEST(AclKeyword, ConditionsResolveNamedPredefinedAndAnonymousAcls) {
  auto r = frontend(
      "  acl api path_beg /api\n"
      "  http-request deny deny_status 429 if api !METH_GET || { hdr_cnt(x-a) gt 1 }\n"
      "  http-request set-header X-A b unless api\n"
      "  use_backend b if api\n"
      "  default_backend b\n"
      "backend b\n  mode http\n");
  ASSERT_TRUE(r.ok()) << dump(r.errors);
  const auto& rules = proxy(r).http_request_rules;
  ASSERT_EQ(rules.size(), 2u);
  ASSERT_NE(rules[0].cond, nullptr);
  EXPECT_EQ(rules[0].status, 429);
  EXPECT_EQ(rules[0].cond->any_of.size(), 2u);
  EXPECT_EQ(rules[0].cond->any_of[0].size(), 2u);
  EXPECT_TRUE(rules[0].cond->any_of[0][1].negate);
  ASSERT_NE(rules[1].cond, nullptr);
  EXPECT_TRUE(rules[1].cond->unless);
  EXPECT_EQ(rules[1].value, "b");
  ASSERT_EQ(proxy(r).use_backends.size(), 1u);
  ASSERT_NE(proxy(r).use_backends[0].cond, nullptr);
  EXPECT_EQ(proxy(r).use_backends[0].cond->text, "api");
}

TEST(AclKeyword, AnAclMustBeDeclaredBeforeItIsUsed) {
  EXPECT_EQ(only_error(frontend("  http-request deny if late\n  acl late path /x\n")),
            "t.cfg:3: 'http-request deny': no such ACL : 'late'");
}

TEST(AclKeyword, Errors) {
  EXPECT_EQ(only_error(frontend("  acl x\n")),
            "t.cfg:3: 'acl': expects an ACL name and a criterion: acl NAME CRITERION [VALUE]...");
  EXPECT_EQ(only_error(frontend("  acl x/y path /\n")),
            "t.cfg:3: 'acl': invalid ACL name 'x/y': expects letters, digits, '-', '_', '.' and "
            "':' only");
  EXPECT_EQ(only_error(frontend("  acl x nope /\n")),
            "t.cfg:3: 'acl': ACL 'x': unknown fetch method 'nope'");
  EXPECT_EQ(only_error(frontend("  acl x src 10.0.0.300\n")),
            "t.cfg:3: 'acl': ACL 'x': '10.0.0.300' is not an IPv4 or IPv6 address or network "
            "(Hearth does not resolve host names in patterns)");
  EXPECT_EQ(only_error(frontend("  acl x path -m nope /\n")),
            "t.cfg:3: 'acl': ACL 'x': unknown matching method 'nope' (expects found, bool, int, "
            "ip, bin, len, str, sub, reg, beg, end, dir, dom)");
  EXPECT_EQ(only_error(frontend("  http-request deny if { path /x\n")),
            "t.cfg:3: 'http-request deny': missing '}' closing the anonymous ACL in condition "
            "'{ path /x'");
  EXPECT_EQ(only_error(parse("defaults\n  acl x path /\n")),
            "t.cfg:2: 'acl': not allowed in a defaults section (allowed in: frontend, backend, "
            "listen)");
}

TEST(AclKeyword, AnAclWithoutPatternIsKeptWithAWarning) {
  auto r = frontend("  acl empty path\n");
  ASSERT_TRUE(r.ok()) << dump(r.errors);
  EXPECT_TRUE(has(r.warnings,
                  "t.cfg:3: 'acl': ACL 'empty': no pattern to match against was provided, so "
                  "this ACL will never match"))
      << dump(r.warnings);
}

TEST(AclKeyword, ResponseRulesWarnAboutRequestOnlyAcls) {
  auto r = frontend("  acl p path /x\n  http-response set-header X-A b if p\n");
  ASSERT_TRUE(r.ok()) << dump(r.errors);
  EXPECT_TRUE(has(r.warnings,
                  "t.cfg:4: 'http-response set-header': acl 'p' will never match because it "
                  "only involves keywords that are incompatible with this rule"))
      << dump(r.warnings);
}

TEST(AclKeyword, PatternFiles) {
  const std::string path = ::testing::TempDir() + "/acl_patterns.lst";
  {
    std::ofstream f(path);
    f << "# comment\n\n  /static\n/img\n";
  }
  auto r = frontend("  acl st path_beg -f " + path + " /css\n");
  ASSERT_TRUE(r.ok()) << dump(r.errors);
  EXPECT_EQ(only_error(frontend("  acl st path_beg -f /nonexistent/x.lst\n")),
            "t.cfg:3: 'acl': ACL 'st': failed to open pattern file '/nonexistent/x.lst'");
  // An endless file is refused, not read until memory runs out.
  EXPECT_EQ(only_error(frontend("  acl st path_beg -f /dev/zero\n")),
            "t.cfg:3: 'acl': ACL 'st': pattern file '/dev/zero' is larger than 256 MiB");
  std::remove(path.c_str());
}

}  // namespace
}  // namespace hearth::config
