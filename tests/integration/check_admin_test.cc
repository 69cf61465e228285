// The runtime API's commands on server checks (set server ... health, agent,
// check-addr, check-port, agent-addr, agent-port, agent-send; enable and
// disable health|agent), run in the same order against haproxy and hearth on
// the same configuration: each answer, the status column of `show stat` and
// the check columns of `show servers state` must match after every command.
// The checks run once at start-up and then only every 100 s, so the states
// seen are those the commands made (an enabled check runs at once in Hearth,
// at its next time in HAProxy: both pass, which changes nothing seen).
#include <gtest/gtest.h>

#include <chrono>
#include <sstream>
#include <string>
#include <vector>

#include "http_test_util.h"
#include "support/client.h"
#include "support/ports.h"
#include "support/scripted_server.h"
#include "support/temp_dir.h"
#include "support/wait.h"

namespace hearth::test::http {
namespace {

using std::chrono::milliseconds;

std::vector<std::string> split(const std::string& s, char sep) {
  std::vector<std::string> out;
  std::string cur;
  for (char c : s) {
    if (c == sep) {
      out.push_back(cur);
      cur.clear();
    } else {
      cur += c;
    }
  }
  out.push_back(cur);
  return out;
}

// "s1=STATUS s2=STATUS ..." from show stat.
std::string statuses(const std::string& sock) {
  std::istringstream in(stats_command(sock, "show stat"));
  std::string line, out;
  while (std::getline(in, line)) {
    const std::vector<std::string> f = split(line, ',');
    if (f.size() > 18 && f[0] == "b" && f[1] != "BACKEND" && f[1] != "FRONTEND")
      out += f[1] + "=" + f[17] + " ";
  }
  return out;
}

// Per server: op state, check health, check state, agent state, check
// port and address, agent address and port (show servers state; the agent's
// own port, which differs from run to run, shown as "A").
std::string check_columns(const std::string& sock, uint16_t agent_port) {
  std::istringstream in(stats_command(sock, "show servers state b"));
  std::string line, out;
  while (std::getline(in, line)) {
    const std::vector<std::string> f = split(line, ' ');
    if (f.size() < 25 || f[0] == "#") continue;
    const std::string ap = f[24] == std::to_string(agent_port) ? "A" : f[24];
    out += f[3] + ":" + f[5] + "," + f[12] + "," + f[13] + "," + f[14] + "," + f[21] + "," + f[22] +
           "," + f[23] + "," + ap + " ";
  }
  return out;
}

// True when no server's check or agent is in progress (bit 0x1 of the
// check and agent states in show servers state). HAProxy keeps the bit
// until the check's connection is closed, which may be after the UP.
bool checks_idle(const std::string& sock) {
  std::istringstream in(stats_command(sock, "show servers state b"));
  std::string line;
  bool any = false;
  while (std::getline(in, line)) {
    const std::vector<std::string> f = split(line, ' ');
    if (f.size() < 25 || f[0] == "#") continue;
    any = true;
    if ((std::stoi(f[13]) & 1) != 0 || (std::stoi(f[14]) & 1) != 0) return false;
  }
  return any;
}

// An answer without its trailing blank lines (HAProxy ends some with one
// newline, some with two).
std::string answer(const std::string& sock, const std::string& cmd) {
  std::string a = stats_command(sock, cmd);
  while (!a.empty() && a.back() == '\n') a.pop_back();
  return a;
}

const char* kSteps[] = {
    "set server b/s1 health down",
    "set server b/s1 health stopping",
    "set server b/s1 health up",
    "set server b/s1 health sideways",
    "set server b/s2 health down",
    "set server b/s2 health stopping",
    "set server b/s2 health up",
    "disable health b/s1",
    "set server b/s1 check-port 80",
    "enable health b/s1",
    "enable health b/s2",
    "disable health b/s2",
    "set server b/s3 agent down",
    "set server b/s3 agent up",
    "set server b/s3 agent maybe",
    "set server b/s1 agent up",
    "set server b/s1 check-port x",
    "set server b/s1 check-port 70000",
    "set server b/s1 check-port",
    "set server b/s2 check-port 80",
    "set server b/s1 check-addr 127.0.0.9 port 9",
    "set server b/s1 check-addr nowhere",
    "set server b/s1 check-addr",
    "set server b/s3 agent-port 7",
    "set server b/s3 agent-addr 127.0.0.8",
    "set server b/s3 agent-addr ::1 port 6",
    "set server b/s3 agent-send hello",
    "set server b/s1 agent-port 7",
    "set server b/s1 agent-send x",
    "disable agent b/s3",
    "set server b/s3 agent down",
    "set server b/s3 agent-port 7",
    "enable agent b/s1",
    "enable health b/nope",
    "disable agent nope",
};

// Runs the steps. Returns: one line per step (answer | statuses | columns).
std::vector<std::string> run(const std::string& binary) {
  HttpBackend server;
  ScriptedServer agent([](int fd) { send_all(fd, "up\n", milliseconds{1000}); });
  TempDir dir;
  const std::string sock = dir.file("s.sock");
  const std::string sp = std::to_string(server.port());
  const std::string cfg = "global\n  max-spread-checks 1\n  stats socket " + sock +
                          " level admin\n"
                          "defaults\n  mode http\n  timeout connect 1s\n  timeout client 5s\n"
                          "  timeout server 5s\n"
                          "backend b\n"
                          "  server s1 127.0.0.1:" +
                          sp +
                          " check inter 100s rise 1 fall 1\n"
                          "  server s2 127.0.0.1:" +
                          sp +
                          "\n"
                          "  server s3 127.0.0.1:" +
                          sp + " check inter 100s rise 1 fall 1 agent-check agent-port " +
                          std::to_string(agent.port()) + " agent-inter 100s\n";
  HearthOptions opt;
  if (!binary.empty()) opt.binary = binary, opt.extra_args = {"-db"};
  HearthProcess h(cfg, opt);
  EXPECT_TRUE(h.ready()) << binary << ": " << h.describe();
  if (!h.ready()) return {};
  // The start-up checks (max-spread-checks: all at once), the agent's "up".
  wait_until([&] { return statuses(sock) == "s1=UP s2=no check s3=UP " && checks_idle(sock); },
             milliseconds{3000});
  std::vector<std::string> out;
  out.push_back("start | " + statuses(sock) + "| " + check_columns(sock, agent.port()));
  for (const char* step : kSteps) {
    const std::string a = answer(sock, step);  // first: then what it left
    const std::string st = statuses(sock);
    out.push_back(std::string(step) + " -> " + a + " | " + st + "| " +
                  check_columns(sock, agent.port()));
  }
  return out;
}

TEST(CheckAdminVsHAProxy, SameAnswersAndStates) {
  const std::vector<std::string> theirs = run("haproxy");
  const std::vector<std::string> ours = run("");
  ASSERT_EQ(theirs.size(), std::size(kSteps) + 1);
  ASSERT_EQ(ours.size(), theirs.size());
  for (size_t i = 0; i < ours.size(); ++i) EXPECT_EQ(ours[i], theirs[i]);
}

}  // namespace
}  // namespace hearth::test::http
