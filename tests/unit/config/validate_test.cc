// validate(): checks across the whole configuration, and Config::find.
#include "config/validate.h"

#include <gtest/gtest.h>

#include "config_test_util.h"

namespace hearth::config {
namespace {

using testing::dump;
using testing::has;
using testing::kValidTcp;
using testing::only_error;
using testing::parse_and_validate;

TEST(Validate, MinimalTcpConfigIsValidWithoutWarnings) {
  auto r = parse_and_validate(kValidTcp);
  EXPECT_TRUE(r.ok()) << dump(r.errors);
  EXPECT_TRUE(r.warnings.empty()) << dump(r.warnings);
}

TEST(Validate, ListenWithServersIsValid) {
  auto r = parse_and_validate(
      "listen li :8080\n  timeout client 1s\n  timeout connect 1s\n  timeout server 1s\n"
      "  server s 127.0.0.1:80\n");
  EXPECT_TRUE(r.ok()) << dump(r.errors);
  EXPECT_TRUE(r.warnings.empty()) << dump(r.warnings);
}

TEST(Validate, DefaultBackendMustExist) {
  auto r = parse_and_validate(std::string(kValidTcp) +
                              "frontend fe2\n  bind :81\n  default_backend nope\n");
  EXPECT_EQ(only_error(r),
            "t.cfg:13: 'default_backend': no backend or listen section named 'nope'");
}

TEST(Validate, DefaultBackendCannotBeAFrontend) {
  auto r = parse_and_validate(std::string(kValidTcp) +
                              "frontend fe2\n  bind :81\n  default_backend fe\n");
  EXPECT_EQ(only_error(r),
            "t.cfg:13: 'default_backend': no backend or listen section named 'fe' ('fe' is a "
            "frontend, which cannot serve as a backend)");
}

TEST(Validate, DefaultBackendMayBeAListen) {
  auto r = parse_and_validate(std::string(kValidTcp) +
                              "listen li :81\n  server s 127.0.0.1:80\n"
                              "frontend fe2\n  bind :82\n  default_backend li\n");
  EXPECT_TRUE(r.ok()) << dump(r.errors);
}

TEST(Validate, DefaultBackendErrorPointsAtTheDefaultsLine) {
  auto r = parse_and_validate(
      "defaults\n  timeout client 1s\n  default_backend gone\nfrontend fe\n  bind :80\n");
  EXPECT_EQ(only_error(r), "t.cfg:3: 'default_backend': no backend or listen section named 'gone'");
}

TEST(Validate, HttpFrontendCannotUseTcpBackend) {
  auto r = parse_and_validate(
      "defaults\n  timeout connect 1s\n  timeout client 1s\n  timeout server 1s\n"
      "frontend web\n  mode http\n  bind :80\n  default_backend app\n"
      "backend app\n  mode tcp\n  server s 10.0.0.1:80\n");
  EXPECT_EQ(only_error(r),
            "t.cfg:8: 'default_backend': backend 'app' is in tcp mode but frontend 'web' is in "
            "http mode: add 'mode http' to 'app' (or use 'mode tcp' in both)");
}

TEST(Validate, TcpFrontendCannotUseHttpBackendYet) {
  auto r = parse_and_validate(
      "defaults\n  timeout connect 1s\n  timeout client 1s\n  timeout server 1s\n"
      "frontend web\n  bind :80\n  default_backend app\n"
      "backend app\n  mode http\n  server s 10.0.0.1:80\n");
  EXPECT_EQ(only_error(r),
            "t.cfg:7: 'default_backend': backend 'app' is in http mode but frontend 'web' is in "
            "tcp mode: Hearth does not upgrade a TCP stream to HTTP yet; use the same mode in "
            "both");
}

TEST(Validate, UseBackendIsCheckedLikeDefaultBackend) {
  auto r = parse_and_validate(
      "defaults\n  timeout connect 1s\n  timeout client 1s\n  timeout server 1s\n"
      "frontend web\n  mode http\n  bind :80\n  use_backend nope\n  use_backend app\n"
      "  use_backend fe2\n"
      "backend app\n  mode tcp\n  server s 10.0.0.1:80\n"
      "frontend fe2\n  bind :81\n");
  ASSERT_EQ(r.errors.size(), 3u) << dump(r.errors);
  EXPECT_EQ(r.errors[0].str(), "t.cfg:8: 'use_backend': no backend or listen section named 'nope'");
  EXPECT_EQ(r.errors[1].str(),
            "t.cfg:9: 'use_backend': backend 'app' is in tcp mode but frontend 'web' is in http "
            "mode: add 'mode http' to 'app' (or use 'mode tcp' in both)");
  EXPECT_EQ(r.errors[2].str(),
            "t.cfg:10: 'use_backend': no backend or listen section named 'fe2' ('fe2' is a "
            "frontend, which cannot serve as a backend)");
}

// As HAProxy: a frontend or listen without any backend is valid; its
// requests get a 503.
TEST(Validate, FrontendNeedsBindButNoBackend) {
  auto r = parse_and_validate("defaults\n  timeout client 1s\nfrontend fe\n");
  EXPECT_EQ(only_error(r), "t.cfg:3: 'frontend': 'fe' has no bind line: add 'bind ADDR:PORT'");
  auto l = parse_and_validate("defaults\n  timeout client 1s\nlisten li :80\n");
  EXPECT_TRUE(l.ok()) << dump(l.errors);
}

TEST(Validate, BindAddressesAreChecked) {
  auto r = parse_and_validate(std::string(kValidTcp) +
                              "listen li 8080\n  server s 1.2.3.4:5\n"
                              "listen lj\n  bind :1,:99999\n  server s 1.2.3.4:5\n");
  ASSERT_EQ(r.errors.size(), 2u) << dump(r.errors);
  EXPECT_EQ(r.errors[0].str(),
            "t.cfg:11: 'bind': invalid address '8080': missing ':PORT' (expects ADDR:PORT, :PORT, "
            "*:PORT, [IPV6]:PORT, /PATH, unix@PATH, abns@NAME or fd@N)");
  EXPECT_TRUE(has(r.errors, "t.cfg:14: 'bind': invalid address ':99999': invalid port '99999'"));
}

// As HAProxy: no port is the client's; no host is the client's destination.
TEST(Validate, ServerAddressMayLeavePortAndHostToTheClient) {
  auto r =
      parse_and_validate(std::string(kValidTcp) +
                         "  server s2 10.0.0.2\n  server s3 :80\n  server s4 10.0.0.2:99999\n");
  EXPECT_EQ(only_error(r),
            "t.cfg:13: 'server': server 's4': address '10.0.0.2:99999': invalid port '99999': "
            "expects a number between 0 and 65535, or +N / -N relative to the client's port");
}

TEST(Validate, DuplicateServerNames) {
  auto r = parse_and_validate(std::string(kValidTcp) + "  server s1 127.0.0.1:9001\n");
  EXPECT_EQ(only_error(r),
            "t.cfg:11: 'server': server name 's1' is already used in 'be' at t.cfg:10: choose "
            "another name");
}

TEST(Validate, SameServerNameInTwoBackendsIsFine) {
  auto r = parse_and_validate(std::string(kValidTcp) + "backend be2\n  server s1 127.0.0.1:9001\n");
  EXPECT_TRUE(r.ok()) << dump(r.errors);
}

TEST(Validate, DuplicateProxyNames) {
  auto r = parse_and_validate(std::string(kValidTcp) + "backend be\n  server s 1.2.3.4:5\n");
  EXPECT_EQ(only_error(r),
            "t.cfg:11: 'backend': name 'be' is already used by the backend at t.cfg:9: choose "
            "another name");
  auto l = parse_and_validate(std::string(kValidTcp) + "listen fe :1\n  server s 1.2.3.4:5\n");
  EXPECT_TRUE(
      has(l.errors, "t.cfg:11: 'listen': name 'fe' is already used by the frontend at t.cfg:6"));
}

TEST(Validate, FrontendAndBackendMayShareAName) {
  auto r = parse_and_validate(
      "defaults\n  timeout connect 1s\n  timeout client 1s\n  timeout server 1s\n"
      "frontend app\n  bind :80\n  default_backend app\nbackend app\n  server s 10.0.0.1:80\n");
  EXPECT_TRUE(r.ok()) << dump(r.errors);
  EXPECT_EQ(r.config.find("app", true)->kind, ProxyKind::kBackend);
  EXPECT_EQ(r.config.find("app", false)->kind, ProxyKind::kFrontend);
}

TEST(Validate, RangesOfHandBuiltConfigs) {
  ParseResult r = testing::parse(kValidTcp);
  r.config.proxies[1].servers[0].weight = 257;
  r.config.proxies[1].servers[0].maxconn = -1;
  r.config.proxies[0].maxconn = -1;
  validate(r);
  EXPECT_TRUE(has(r.errors, "t.cfg:10: 'server': server 's1': weight expects 0 to 256, got 257"));
  EXPECT_TRUE(
      has(r.errors, "t.cfg:10: 'server': server 's1': maxconn expects 0 (no limit) or more"));
  EXPECT_TRUE(has(r.errors, "t.cfg:6: 'frontend': 'fe': maxconn expects 0 (global limit) or more"));
  EXPECT_EQ(r.errors.size(), 3u) << dump(r.errors);
}

TEST(Validate, Warnings) {
  auto r = parse_and_validate(
      "global\n  maxconn 100\n"
      "frontend fe\n  bind :80\n  maxconn 200\n  default_backend be\n"
      "  http-request set-header X-A b\n"
      "backend be\n");
  EXPECT_TRUE(r.ok()) << dump(r.errors);
  EXPECT_TRUE(
      has(r.warnings, "t.cfg:3: 'frontend': 'fe': maxconn 200 exceeds the global maxconn 100"));
  EXPECT_TRUE(has(r.warnings, "t.cfg:3: 'frontend': 'fe' has no 'timeout client'"));
  EXPECT_TRUE(
      has(r.warnings, "t.cfg:8: 'backend': 'be' lacks 'timeout connect' or 'timeout server'"));
  EXPECT_TRUE(has(r.warnings, "t.cfg:8: 'backend': 'be' has no server"));
  EXPECT_TRUE(has(r.warnings, "t.cfg:7: 'http-request': ignored: 'fe' is in tcp mode"));
  EXPECT_EQ(r.warnings.size(), 5u) << dump(r.warnings);
}

// option httplog needs HTTP: a tcp-mode frontend is told it keeps tcplog; an
// http-mode one, or a tcp backend inheriting the option, is not warned about.
TEST(Validate, HttplogInTcpFrontendWarns) {
  auto r = parse_and_validate(
      "defaults\n  mode tcp\n  option httplog\n  timeout connect 5s\n  timeout client 30s\n"
      "  timeout server 30s\n"
      "frontend fe\n  bind :8080\n  default_backend be\n"
      "frontend web\n  mode http\n  bind :8081\n  default_backend hb\n"
      "backend be\n  server s1 127.0.0.1:9000\n"
      "backend hb\n  mode http\n  server s1 127.0.0.1:9000\n");
  EXPECT_TRUE(r.ok()) << dump(r.errors);
  EXPECT_TRUE(has(r.warnings,
                  "t.cfg:7: 'option httplog': 'fe' is in tcp mode: it logs with the tcplog "
                  "format instead"))
      << dump(r.warnings);
  EXPECT_EQ(r.warnings.size(), 1u) << dump(r.warnings);
}

TEST(Validate, FindByRole) {
  auto r = testing::parse("frontend f\nbackend b\nlisten l\n");
  const Config& c = r.config;
  EXPECT_EQ(c.find("f", false), &c.proxies[0]);
  EXPECT_EQ(c.find("f", true), nullptr);
  EXPECT_EQ(c.find("b", true), &c.proxies[1]);
  EXPECT_EQ(c.find("b", false), nullptr);
  EXPECT_EQ(c.find("l", true), &c.proxies[2]);
  EXPECT_EQ(c.find("l", false), &c.proxies[2]);
  EXPECT_EQ(c.find("x", true), nullptr);
}

}  // namespace
}  // namespace hearth::config
