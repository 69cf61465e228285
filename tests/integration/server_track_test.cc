// "track [<backend>/]<server>" through hearth and HAProxy 2.6 with the same
// configuration and the same runtime API commands: after each command, its
// answer, the status and tracked columns of `show stat` and the state
// columns of `show servers state` must match, and so must the lines the
// trackers log ("is DOWN via b/s1", "is going DOWN for maintenance via ...",
// "(leaving maintenance)"). Covered: a chain b/s1 <- b/s2 <- b/s3 <- c/t1,
// trackers of a DOWN server, a tracker in forced maintenance, maintenance
// and drain and health changes propagated, "add server ... track" and its
// refusals, "del server" of a tracked server (refused), of a tracker
// (detached: it logs no more) and of a server an ACL names (refused), a DOWN
// tracker entering maintenance ("was DOWN and now enters maintenance via") and
// leaving it with the server it tracks, whose check waits for its next tick.
#include <gtest/gtest.h>
#include <sys/socket.h>

#include <chrono>
#include <sstream>
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

// "b/s1=STATUS[>TRACKED] ..." from show stat (pxname, svname, status, tracked).
std::string statuses(const std::string& sock) {
  std::istringstream in(stats_command(sock, "show stat"));
  std::string line, out;
  while (std::getline(in, line)) {
    const std::vector<std::string> f = split(line, ',');
    if (f.size() < 32 || f[0][0] == '#' || f[1] == "BACKEND" || f[1] == "FRONTEND") continue;
    out += f[0] + "/" + f[1] + "=" + f[17] + (f[31].empty() ? "" : ">" + f[31]) + " ";
  }
  return out;
}

// Per server: op state, admin state, check health, check state (show
// servers state).
std::string state_columns(const std::string& sock) {
  std::istringstream in(stats_command(sock, "show servers state"));
  std::string line, out;
  while (std::getline(in, line)) {
    const std::vector<std::string> f = split(line, ' ');
    if (f.size() < 25 || f[0] == "#") continue;
    out += f[1] + "/" + f[3] + ":" + f[5] + "," + f[6] + "," + f[12] + "," + f[13] + " ";
  }
  return out;
}

// The lines about trackers: "Server B/S ..." with " via ", "(leaving
// maintenance)" or "drain" (the prefixes of HAProxy's and Hearth's stderr
// differ).
std::vector<std::string> tracker_lines(const std::string& output) {
  std::vector<std::string> out;
  std::istringstream in(output);
  for (std::string l; std::getline(in, l);) {
    const size_t at = l.find("Server ");
    if (at == std::string::npos) continue;
    l = l.substr(at);
    if (l.find(" via ") != std::string::npos ||
        l.find("(leaving maintenance)") != std::string::npos ||
        l.find("drain") != std::string::npos)
      out.push_back(l);
  }
  return out;
}

std::string answer(const std::string& sock, const std::string& cmd) {
  std::string a = stats_command(sock, cmd);
  while (!a.empty() && a.back() == '\n') a.pop_back();
  return a;
}

std::vector<std::string> steps(const std::string& up) {
  const std::string add = "add server ";
  return {
      "disable server b/s1",
      "enable server b/s1",
      "set server b/s1 state drain",
      "set server b/s1 state ready",
      "set server b/s1 health down",
      "set server b/s1 health stopping",
      "set server b/s1 health up",
      "disable server c/t1",
      "disable server b/s1",
      "enable server b/s1",
      "enable server c/t1",
      "disable server b/s3",
      "set server b/s1 health down",
      "enable server b/s3",
      "set server b/s1 health up",
      add + "b/d1 " + up + " track s9",
      add + "b/d1 " + up + " track x/s1",
      add + "b/d1 " + up + " track b/s2",
      add + "b/d2 " + up + " track d1",
      add + "b/d2 " + up + " track b/s1 check",
      add + "b/d2 " + up + " track",
      add + "c/d3 " + up + " track b/s4",
      add + "c/d3 " + up + " track b/s5",
      "enable server b/d1",
      "enable server c/d3",
      "del server b/s1",
      "del server b/s2",
      "del server b/d1",
      "disable server b/d1",
      "del server b/d1",
      "disable server b/s1",
      "enable server b/s1",
      "del server c/t2",
      "del server c/t3",
      "disable server b/s4",
      "del server b/s4",
      // A DOWN server and its DOWN tracker enter maintenance; leaving it, the
      // server is UP until its next check (100 s away): none runs at once.
      "disable server b/s5",
      "enable server b/s5",
  };
}

struct Outcome {
  std::vector<std::string> seen;  // one line per step
  std::vector<std::string> logged;
};

Outcome run(const std::string& binary) {
  ScriptedServer server([](int fd) {
    char buf[256];
    while (recv(fd, buf, sizeof buf, 0) > 0) {
    }
  });
  const uint16_t down = free_tcp_port();  // nothing listens there
  TempDir dir;
  const std::string sock = dir.file("s.sock");
  const std::string up = "127.0.0.1:" + std::to_string(server.port());
  const std::string dn = "127.0.0.1:" + std::to_string(down);
  const std::string chk = " check inter 100s rise 1 fall 1\n";
  const std::string cfg = "global\n  max-spread-checks 1\n  stats socket " + sock +
                          " level admin\n"
                          "defaults\n  mode tcp\n  timeout connect 1s\n  timeout client 5s\n"
                          "  timeout server 5s\n"
                          "frontend f\n  bind 127.0.0.1:" +
                          std::to_string(free_tcp_port()) +
                          "\n  acl busy srv_conn(b/s4) gt 10\n"
                          "  tcp-request content reject if busy\n  default_backend b\n"
                          "backend b\n"
                          "  server s1 " +
                          up + chk + "  server s2 " + up + " track s1\n  server s3 " + up +
                          " track b/s2\n  server s4 " + up + "\n  server s5 " + dn + chk +
                          "backend c\n  server t1 " + up + " track b/s3\n  server t2 " + up +
                          " track b/s5\n  server t3 " + up + " track b/s5 disabled\n";
  HearthOptions opt;
  if (!binary.empty()) opt.binary = binary, opt.extra_args = {"-db"};
  HearthProcess h(cfg, opt);
  EXPECT_TRUE(h.ready()) << binary << ": " << h.describe();
  if (!h.ready()) return {};
  wait_until([&] { return statuses(sock).find("b/s5=DOWN ") != std::string::npos; },
             milliseconds{3000});
  Outcome r;
  r.seen.push_back("start | " + statuses(sock) + "| " + state_columns(sock));
  for (const std::string& step : steps(up)) {
    const std::string a = answer(sock, step);
    std::string shown = step;  // the server's port differs from run to run
    if (const size_t at = shown.find(up); at != std::string::npos)
      shown.replace(at, up.size(), "UP");
    r.seen.push_back(shown + " -> " + a + " | " + statuses(sock) + "| " + state_columns(sock));
  }
  wait_until([] { return false; }, milliseconds{300});  // the last lines written
  r.logged = tracker_lines(h.output());
  return r;
}

TEST(ServerTrackVsHAProxy, SameAnswersStatesAndLines) {
  const Outcome theirs = run("haproxy");
  const Outcome ours = run("");
  ASSERT_EQ(theirs.seen.size(), steps("x").size() + 1);
  ASSERT_EQ(ours.seen.size(), theirs.seen.size());
  for (size_t i = 0; i < ours.seen.size(); ++i) EXPECT_EQ(ours.seen[i], theirs.seen[i]);
  const auto joined = [](const std::vector<std::string>& v) {
    std::string t;
    for (const std::string& l : v) t += l + "\n";
    return t;
  };
  EXPECT_EQ(joined(ours.logged), joined(theirs.logged));
  // What the comparison must have seen, so that it cannot pass on nothing.
  EXPECT_NE(ours.seen[1].find("b/s3=MAINT (via b/s2)>b/s2"), std::string::npos) << ours.seen[1];
  EXPECT_NE(ours.seen[1].find("c/t1=MAINT (via b/s3)>b/s3"), std::string::npos) << ours.seen[1];
  ASSERT_FALSE(ours.logged.empty());
  EXPECT_EQ(ours.logged[0].rfind("Server c/t2 is DOWN via b/s5.", 0), 0u) << ours.logged[0];
  EXPECT_NE(ours.seen.back().find("b/s5=UP "), std::string::npos) << ours.seen.back();
  EXPECT_NE(ours.seen.back().find("c/t2=UP>b/s5 "), std::string::npos) << ours.seen.back();
}

}  // namespace
}  // namespace hearth::test::http
