// "on-marked-down shutdown-sessions" and "on-marked-up shutdown-backup-
// sessions" through hearth and HAProxy 2.6 with the same configuration: TCP
// connections held by servers that never answer are closed when their server
// goes DOWN (the runtime API's "health down", maintenance, the server it
// tracks) or, for a backup server's, when an active server comes UP again
// (its health, leaving maintenance). Their log lines say why: "D-" and "U-".
// A server without the option keeps its sessions.
#include <gtest/gtest.h>
#include <sys/socket.h>

#include <algorithm>
#include <chrono>
#include <map>
#include <regex>
#include <string>
#include <vector>

#include "http_test_util.h"
#include "support/ports.h"
#include "support/scripted_server.h"
#include "support/temp_dir.h"
#include "support/wait.h"

namespace hearth::test::http {
namespace {

using std::chrono::milliseconds;

void hold(int fd) {
  char buf[4096];
  while (recv(fd, buf, sizeof buf, 0) > 0) {
  }
}

// The termination flags of the log lines of proxy `px`, sorted (a session
// its client closed is logged when HAProxy's server side closes too, later).
std::string terms(const std::string& out, const std::string& px) {
  std::vector<std::string> v;
  const std::regex re("\\] " + px + " " + px + "/\\S+ [-\\d/]+ \\d+ (\\S+) ");
  for (std::sregex_iterator it(out.begin(), out.end(), re), end; it != end; ++it)
    v.push_back((*it)[1].str());
  std::sort(v.begin(), v.end());
  std::string t;
  for (const std::string& x : v) t += x + " ";
  return t;
}

struct Seen {
  std::vector<std::string> steps;
  std::string down_terms, up_terms, plain_terms;
};

Seen run(const std::string& binary) {
  ScriptedServer server(hold);
  TempDir dir;
  const std::string sock = dir.file("stats.sock");
  const uint16_t pd = free_tcp_port(), pu = free_tcp_port(), pp = free_tcp_port();
  const std::string srv = "127.0.0.1:" + std::to_string(server.port());
  HearthOptions opt{.wait_ports = {pd, pu, pp}};
  if (!binary.empty()) opt.binary = binary, opt.extra_args = {"-db"};
  HearthProcess h("global\n  stats socket " + sock +
                      " level admin\n"
                      "defaults\n  mode tcp\n  option tcplog\n  log stdout format raw local0\n"
                      "  timeout connect 1s\n  timeout client 30s\n  timeout server 30s\n"
                      "listen down\n  balance first\n  bind 127.0.0.1:" +
                      std::to_string(pd) + "\n  server s1 " + srv +
                      " on-marked-down shutdown-sessions\n"
                      "  server s2 " +
                      srv + " track s3 on-marked-down shutdown-sessions\n  server s3 " + srv +
                      " check inter 100s backup\n"
                      "listen up\n  bind 127.0.0.1:" +
                      std::to_string(pu) + "\n  server s1 " + srv +
                      " on-marked-up shutdown-backup-sessions\n  server bk " + srv +
                      " backup\n"
                      "listen plain\n  bind 127.0.0.1:" +
                      std::to_string(pp) + "\n  server s1 " + srv + "\n",
                  opt);
  EXPECT_TRUE(h.ready()) << binary << ": " << h.describe();
  Seen seen;
  if (!h.ready()) return seen;
  const std::map<uint16_t, std::string> names{{pd, "down"}, {pu, "up"}, {pp, "plain"}};
  const auto closes = [&](uint16_t port, const std::string& before, const std::string& cmd) {
    if (!before.empty()) stats_command(sock, before);
    const uint64_t n = server.accepted();
    const std::string& px = names.at(port);
    const size_t logged = terms(h.output(), px).size();
    {
      HttpClient c(port);
      c.send("hello");
      wait_until([&] { return server.accepted() > n; }, milliseconds{2000});
      stats_command(sock, cmd);
      seen.steps.push_back(cmd + ": " +
                           (c.closed_by_peer(milliseconds(1500)) ? "closed" : "kept open"));
    }
    // A session kept open ends when its client goes; wait for its log line,
    // or the next command could still find it alive and close it ("D-"
    // instead of "--", depending on how fast each proxy's sides closed).
    wait_until([&] { return terms(h.output(), px).size() > logged; }, milliseconds{2000});
  };
  closes(pd, "", "set server down/s1 health down");
  closes(pd, "set server down/s1 health up", "disable server down/s1");
  closes(pd, "enable server down/s1", "set server down/s1 weight 0");  // not a DOWN: kept
  stats_command(sock, "set server down/s1 weight 1");
  // s1 in maintenance: the session goes to s2, which tracks s3 (a backup).
  closes(pd, "disable server down/s1", "set server down/s3 health down");
  stats_command(sock, "set server down/s3 health up");
  stats_command(sock, "enable server down/s1");
  closes(pu, "set server up/s1 health down", "set server up/s1 health up");
  closes(pu, "set server up/s1 health down", "set server up/s1 health stopping");
  closes(pu, "disable server up/s1", "enable server up/s1");
  closes(pp, "", "set server plain/s1 health down");
  seen.down_terms = terms(h.output(), "down");
  seen.up_terms = terms(h.output(), "up");
  seen.plain_terms = terms(h.output(), "plain");
  return seen;
}

TEST(ServerMarkedVsHAProxy, SessionsKilledOnTheTransitions) {
  const Seen theirs = run("haproxy");
  const Seen ours = run("");
  EXPECT_EQ(ours.steps, theirs.steps);
  EXPECT_EQ(ours.down_terms, theirs.down_terms);
  EXPECT_EQ(ours.up_terms, theirs.up_terms);
  EXPECT_EQ(ours.plain_terms, theirs.plain_terms);
  EXPECT_EQ(ours.steps, (std::vector<std::string>{
                            "set server down/s1 health down: closed",
                            "disable server down/s1: closed",
                            "set server down/s1 weight 0: kept open",
                            "set server down/s3 health down: closed",
                            "set server up/s1 health up: closed",
                            "set server up/s1 health stopping: kept open",
                            "enable server up/s1: closed",
                            "set server plain/s1 health down: kept open",
                        }));
  EXPECT_NE(ours.down_terms.find("D-"), std::string::npos) << ours.down_terms;
  EXPECT_NE(ours.up_terms.find("U-"), std::string::npos) << ours.up_terms;
}

}  // namespace
}  // namespace hearth::test::http
