// UNIX socket addresses on bind and server lines ("/PATH", "unix@PATH",
// "abns@NAME") and the bind options for their file (mode, user, group, uid,
// gid).
#include <grp.h>
#include <gtest/gtest.h>
#include <pwd.h>
#include <unistd.h>

#include "config/address.h"
#include "config/server_address.h"
#include "config_test_util.h"

namespace hearth::config {
namespace {

using testing::dump;
using testing::has;
using testing::only_error;
using testing::parse;
using testing::parse_and_validate;

const std::string kLong(108, 'a');  // one more than a sockaddr_un holds

TEST(UnixAddress, CheckedForBindAndServer) {
  EXPECT_EQ(check_bind_address("/run/hearth.sock"), "");
  EXPECT_EQ(check_bind_address("unix@rel.sock"), "");
  EXPECT_EQ(check_bind_address("abns@name"), "");
  EXPECT_EQ(check_server_address("/run/app.sock"), "");
  EXPECT_EQ(check_server_address("abns@name"), "");
  EXPECT_EQ(check_bind_address("unix@"), "expects a path after 'unix@'");
  EXPECT_EQ(check_server_address("abns@"), "expects a name after 'abns@'");
  EXPECT_EQ(check_bind_address("/" + kLong),
            "UNIX socket path too long (109 characters, at most 107)");
  EXPECT_EQ(check_bind_address("sockpair@3"), "'sockpair@' addresses are not supported by Hearth");
  EXPECT_EQ(check_unix_address("127.0.0.1:80"), std::nullopt);
}

TEST(UnixAddress, ServerAddressHasNoPort) {
  ServerPort port;
  std::string err;
  EXPECT_EQ(split_server_port("/tmp/x.sock", &port, &err), "/tmp/x.sock");
  EXPECT_FALSE(port.from_client);
  EXPECT_EQ(port.port, 0);
  EXPECT_EQ(split_server_port("unix@x.sock", &port, &err), "unix@x.sock");
  EXPECT_EQ(split_server_port("abns@n", &port, &err), "abns@n");
  // A colon in a path is part of the path, not a port.
  EXPECT_EQ(split_server_port("/tmp/a:1.sock", &port, &err), "/tmp/a:1.sock");
  EXPECT_EQ(split_server_port("unix@", &port, &err), "");
  EXPECT_EQ(err, "expects a path after 'unix@'");
}

TEST(UnixAddress, BindAndServerLinesLoad) {
  auto r = parse_and_validate(
      "defaults\n  mode http\n  timeout connect 1s\n  timeout client 1s\n  timeout server 1s\n"
      "frontend fe\n  bind /tmp/fe.sock mode 600 uid 0 gid 0\n  bind /tmp/x2,abns@fe2\n"
      "  default_backend be\n"
      "backend be\n  server s1 /tmp/be.sock check\n  server s2 unix@be2.sock\n"
      "  server s3 abns@be3\n");
  ASSERT_TRUE(r.ok()) << dump(r.errors);
  EXPECT_TRUE(r.warnings.empty()) << dump(r.warnings);
  const ProxyConfig& fe = r.config.proxies.at(0);
  ASSERT_EQ(fe.binds.size(), 3u);
  EXPECT_EQ(fe.binds[0].address, "/tmp/fe.sock");
  EXPECT_EQ(fe.binds[0].opts.unix_mode, 0600);
  EXPECT_EQ(fe.binds[0].opts.unix_uid, 0);
  EXPECT_EQ(fe.binds[0].opts.unix_gid, 0);
  EXPECT_EQ(fe.binds[2].address, "abns@fe2");
  const ProxyConfig& be = r.config.proxies.at(1);
  EXPECT_EQ(be.servers.at(0).address, "/tmp/be.sock");
  EXPECT_FALSE(be.servers.at(0).port_from_client);
  EXPECT_EQ(be.servers.at(1).address, "unix@be2.sock");
  EXPECT_EQ(be.servers.at(2).address, "abns@be3");
}

TEST(UnixAddress, BindUserAndGroupByName) {
  const passwd* pw = getpwuid(0);
  const group* gr = getgrgid(0);
  ASSERT_TRUE(pw && gr);
  auto r = parse("frontend fe\n  bind /tmp/s.sock user " + std::string(pw->pw_name) + " group " +
                 gr->gr_name + "\n");
  ASSERT_TRUE(r.ok()) << dump(r.errors);
  EXPECT_EQ(r.config.proxies.at(0).binds.at(0).opts.unix_uid, 0);
  EXPECT_EQ(r.config.proxies.at(0).binds.at(0).opts.unix_gid, 0);
}

TEST(UnixAddress, ErrorsNameFileLineAndKeyword) {
  EXPECT_EQ(only_error(parse("frontend fe\n  bind /tmp/s.sock mode 800\n")),
            "t.cfg:2: 'bind': invalid mode '800': expects octal permissions such as 600");
  EXPECT_EQ(only_error(parse("frontend fe\n  bind /tmp/s.sock user no-such-user-here\n")),
            "t.cfg:2: 'bind': no user named 'no-such-user-here' on this system");
  EXPECT_EQ(only_error(parse("frontend fe\n  bind /tmp/s.sock uid x\n")),
            "t.cfg:2: 'bind': 'uid' expects a number, got 'x'");
  EXPECT_EQ(only_error(parse("frontend fe\n  bind /tmp/s.sock gid\n")),
            "t.cfg:2: 'bind': 'gid' expects a value");
  EXPECT_EQ(only_error(parse_and_validate("frontend fe\n  bind /" + kLong + "\n")),
            "t.cfg:2: 'bind': invalid address '/" + kLong +
                "': UNIX socket path too long (109 characters, at most 107)");
  EXPECT_EQ(only_error(parse_and_validate("frontend fe\n  bind sockpair@4\n")),
            "t.cfg:2: 'bind': invalid address 'sockpair@4': 'sockpair@' addresses are not "
            "supported by Hearth");
  EXPECT_EQ(only_error(parse("backend be\n  server s abns@\n")),
            "t.cfg:2: 'server': server 's': address 'abns@': expects a name after 'abns@'");
  EXPECT_EQ(only_error(parse("frontend fe\n  bind /tmp/s.sock level admin\n")),
            "t.cfg:2: 'bind': bind option 'level': bind lines serving the CLI (a stats socket's "
            "options) are not supported by Hearth: use 'stats socket'");
}

TEST(UnixAddress, OptionsForTheOtherKindAreWarnedAsIgnored) {
  auto r = parse_and_validate("frontend fe\n  bind :8080 mode 600\n  bind /tmp/s.sock tfo\n");
  EXPECT_TRUE(has(r.warnings,
                  "t.cfg:2: 'bind': 'mode' applies to UNIX sockets only: ignored on "
                  "':8080'"))
      << dump(r.warnings);
  EXPECT_TRUE(has(r.warnings,
                  "t.cfg:3: 'bind': 'tfo' applies to TCP sockets only: ignored on the "
                  "UNIX socket '/tmp/s.sock'"))
      << dump(r.warnings);
}

}  // namespace
}  // namespace hearth::config
