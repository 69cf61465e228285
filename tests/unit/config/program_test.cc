// "program" sections (HAProxy manual 3.7) and the -S argument of the master
// CLI (written as a stats socket with commas).
#include <gtest/gtest.h>

#include "config/master_cli_spec.h"
#include "config_test_util.h"

namespace hearth::config {
namespace {

using testing::dump;
using testing::only_error;
using testing::parse;

TEST(Program, SectionKeywords) {
  auto r = parse(
      "program foo\n  command /bin/sh -c \"trap '' USR1; exec sleep 10\"\n"
      "  user root\n  group root\n  no option start-on-reload\n"
      "program bar\n  command sleep 5\n  option start-on-reload\n");
  ASSERT_TRUE(r.ok()) << dump(r.errors);
  ASSERT_EQ(r.config.programs.size(), 2u);
  const ProgramConfig& a = r.config.programs[0];
  EXPECT_EQ(a.name, "foo");
  EXPECT_EQ(a.command, (std::vector<std::string>{"/bin/sh", "-c", "trap '' USR1; exec sleep 10"}));
  EXPECT_EQ(a.uid, 0);
  EXPECT_EQ(a.gid, 0);
  EXPECT_FALSE(a.start_on_reload);
  const ProgramConfig& b = r.config.programs[1];
  EXPECT_EQ(b.command, (std::vector<std::string>{"sleep", "5"}));
  EXPECT_EQ(b.uid, -1);  // the master's
  EXPECT_TRUE(b.start_on_reload);
}

TEST(Program, Errors) {
  EXPECT_EQ(only_error(parse("program\n  command x\n")),
            "t.cfg:1: 'program': expects one argument: program NAME");
  EXPECT_EQ(only_error(parse("program p\n  command x\nprogram p\n  command y\n")),
            "t.cfg:3: 'program': a program section named 'p' exists");
  EXPECT_EQ(only_error(parse("program p\n")),
            "t.cfg:1: 'program': the program section 'p' has no 'command' line");
  EXPECT_TRUE(testing::has(parse("program p\n  command\n").errors,
                           "t.cfg:2: 'command': expects a command and its arguments"));
  EXPECT_EQ(only_error(parse("program p\n  command x\n  user no-such-user-here\n")),
            "t.cfg:3: 'user': no user named 'no-such-user-here' on this system");
  EXPECT_EQ(only_error(parse("program p\n  command x\n  option httplog\n")),
            "t.cfg:3: 'option': a program section only takes 'option start-on-reload' or "
            "'no option start-on-reload'");
  EXPECT_EQ(only_error(parse("program p\n  command x\n  bind :80\n")),
            "t.cfg:3: 'bind': unknown keyword in a program section: expects command, user, "
            "group, option start-on-reload or no option start-on-reload");
}

TEST(MasterCliSpec, AddressAndOptions) {
  MasterCliSpec m;
  std::string err;
  ASSERT_TRUE(parse_master_cli_spec("/run/m.sock,mode,660,uid,1000,gid,1000", &m, &err)) << err;
  EXPECT_EQ(m.socket.path, "/run/m.sock");
  EXPECT_FALSE(m.socket.tcp);
  EXPECT_EQ(m.socket.mode, 0660);
  EXPECT_EQ(m.socket.uid, 1000);
  EXPECT_EQ(m.socket.gid, 1000);
  EXPECT_EQ(m.level, "admin");  // the master CLI's default
  ASSERT_TRUE(parse_master_cli_spec("ipv4@127.0.0.1:1234,level,user", &m, &err)) << err;
  EXPECT_TRUE(m.socket.tcp);
  EXPECT_EQ(m.socket.path, "127.0.0.1:1234");
  EXPECT_EQ(m.level, "user");
  EXPECT_EQ(m.socket.level, CliLevel::kUser);
  ASSERT_TRUE(parse_master_cli_spec("fd@3", &m, &err)) << err;
  EXPECT_EQ(m.socket.path, "fd@3");
}

TEST(MasterCliSpec, Refusals) {
  MasterCliSpec m;
  std::string err;
  EXPECT_FALSE(parse_master_cli_spec("/m.sock,accept-proxy,1", &m, &err));
  EXPECT_EQ(err,
            "option 'accept-proxy' is not supported: expects level, mode, user, group, uid "
            "or gid");
  EXPECT_FALSE(parse_master_cli_spec("/m.sock,level", &m, &err));
  EXPECT_NE(err.find("'level' expects a value"), std::string::npos) << err;
  EXPECT_FALSE(parse_master_cli_spec("/m.sock,level,root", &m, &err));
  EXPECT_EQ(err, "unknown level 'root': expects admin, operator or user");
  EXPECT_FALSE(parse_master_cli_spec("ipv4@127.0.0.1:1,mode,600", &m, &err));
  EXPECT_EQ(err, "'mode' applies to unix sockets only");
  EXPECT_FALSE(parse_master_cli_spec("abns@x", &m, &err));
  EXPECT_FALSE(parse_master_cli_spec("/m.sock,expose-fd,listeners", &m, &err));
  EXPECT_NE(err.find("'expose-fd' does not apply to the master CLI"), std::string::npos) << err;
}

}  // namespace
}  // namespace hearth::config
