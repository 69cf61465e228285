// The runtime API's levels (stats socket "level user|operator|admin", the
// "operator" and "user" commands, "show cli level"), compared with haproxy
// on the same configuration: for each command and level, both refuse it
// ("Permission denied") or both run it.
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "http_test_util.h"
#include "support/ports.h"
#include "support/temp_dir.h"

namespace hearth::test::http {
namespace {

const char* kCommands[] = {
    "show info",
    "show stat",
    "show servers state",
    "show sess",
    "show errors",
    "show env",
    "get var proc.x",
    "show table",
    "show map",
    "get weight b/s1",
    "clear counters",
    "clear counters all",
    "set weight b/s1 1",
    "set maxconn global 100",
    "disable server b/s1",
    "set server b/s1 health up",
    "disable health b/s1",
    "experimental-mode on",
    "show fd 0",
    "set profiling tasks on",
    "show cli level",
    "operator; show cli level",
    "user; show cli level",
    "admin",
};

// Per command: "LEVEL:refused" or "LEVEL:ran", for the user and operator
// sockets; the level commands' own answers in full.
std::vector<std::string> run(const std::string& binary) {
  TempDir dir;
  const std::string u = dir.file("u.sock"), o = dir.file("o.sock");
  const uint16_t port = free_tcp_port();
  const std::string cfg = "global\n  stats socket " + u + " level user\n  stats socket " + o +
                          " level operator\n"
                          "defaults\n  mode http\n  timeout connect 1s\n  timeout client 5s\n"
                          "  timeout server 5s\n"
                          "frontend f\n  bind 127.0.0.1:" +
                          std::to_string(port) +
                          "\n  default_backend b\n"
                          "backend b\n  stick-table type ip size 10\n  server s1 127.0.0.1:1\n";
  HearthOptions opt{.wait_ports = {port}};
  if (!binary.empty()) opt.binary = binary, opt.extra_args = {"-db"};
  HearthProcess h(cfg, opt);
  EXPECT_TRUE(h.ready()) << binary << ": " << h.describe();
  if (!h.ready()) return {};
  std::vector<std::string> out;
  for (const char* cmd : kCommands) {
    std::string line = cmd;
    for (const auto& [name, sock] : {std::pair{"user", u}, std::pair{"operator", o}}) {
      const std::string a = stats_command(sock, cmd);
      const bool level_cmd = line.find("level") != std::string::npos;
      line += std::string(" | ") + name + ":" +
              (level_cmd                              ? a
               : a.rfind("Permission denied", 0) == 0 ? "refused"
                                                      : "ran");
    }
    out.push_back(line);
  }
  return out;
}

TEST(CliLevelVsHAProxy, SameCommandsRefused) {
  const std::vector<std::string> theirs = run("haproxy");
  const std::vector<std::string> ours = run("");
  ASSERT_EQ(theirs.size(), std::size(kCommands));
  ASSERT_EQ(ours.size(), theirs.size());
  for (size_t i = 0; i < ours.size(); ++i) EXPECT_EQ(ours[i], theirs[i]);
  // Not vacuous: the user level is refused what the operator level runs.
  EXPECT_EQ(ours[3], "show sess | user:refused | operator:ran");
  EXPECT_EQ(ours[10], "clear counters | user:refused | operator:ran");
  EXPECT_EQ(ours[11], "clear counters all | user:refused | operator:refused");
}

}  // namespace
}  // namespace hearth::test::http
