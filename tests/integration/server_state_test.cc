// Server states across a restart: `set server ... state`, `show servers
// state` written to a file, and load-server-state-from-file reading it back,
// through hearth and HAProxy with the same configuration and the same file.
// The age column (srv_time_since_last_change) is masked before comparing.
#include <gtest/gtest.h>

#include <algorithm>
#include <fstream>
#include <regex>
#include <string>
#include <vector>

#include "http_test_util.h"
#include "support/ports.h"
#include "support/temp_dir.h"

namespace hearth::test::http {
namespace {

struct Ports {
  uint16_t fe = free_tcp_port(), s1 = free_tcp_port(), s2 = free_tcp_port(), s3 = free_tcp_port();
};

std::string config(const Ports& p, const std::string& sock, const std::string& state, bool load,
                   const std::string& s1_opts = "") {
  auto port = [](uint16_t v) { return std::to_string(v); };
  std::string c = "global\n  stats socket " + sock + " level admin\n";
  if (!state.empty()) c += "  server-state-file " + state + "\n";
  c += "defaults\n  mode http\n  timeout connect 1s\n  timeout client 5s\n  timeout server 5s\n";
  if (load) c += "  load-server-state-from-file global\n";
  c += "frontend fe\n  bind 127.0.0.1:" + port(p.fe) + "\n  default_backend bk\n";
  c += "backend bk\n  server s1 127.0.0.1:" + port(p.s1) + s1_opts +
       "\n  server s2 127.0.0.1:" + port(p.s2) + "\n  server s3 127.0.0.1:" + port(p.s3) +
       " weight 3\n";
  for (auto [name, v] : {std::pair{"s1", p.s1}, std::pair{"s2", p.s2}, std::pair{"s3", p.s3}})
    c += std::string("frontend r") + name + "\n  bind 127.0.0.1:" + port(v) +
         "\n  http-request return status 200 hdr x-srv " + name + "\n";
  return c;
}

// Masks column 10 (srv_time_since_last_change) and column 19 (srv_port: each
// run has its own ports) of every data row.
std::string mask_age(const std::string& text) {
  static const std::regex age("^((?:\\S+ ){9})\\d+ ((?:\\S+ ){8})\\d+ ", std::regex::multiline);
  return std::regex_replace(text, age, "$1AGE $2PORT ");
}

// Returns: the servers that answered `n` requests, sorted (the two
// round-robin implementations interleave weights in different orders).
std::string servers_seen(uint16_t port, int n) {
  std::vector<std::string> seen;
  for (int i = 0; i < n; ++i) {
    HttpClient c(port);
    if (!c.send("GET / HTTP/1.1\r\nhost: x\r\n\r\n")) return "send-failed";
    HttpResponse r = c.read_response();
    seen.push_back(r.header("x-srv").value_or(std::to_string(r.status)));
  }
  std::sort(seen.begin(), seen.end());
  std::string out;
  for (const std::string& v : seen) out += v + " ";
  return out;
}

struct Outcome {
  std::vector<std::string> seen;
  std::string warnings;
};

HearthOptions options_for(const std::string& binary, const Ports& p) {
  HearthOptions opt{.wait_ports = {p.fe, p.s1, p.s2, p.s3}};
  if (!binary.empty()) opt.binary = binary, opt.extra_args = {"-db"};
  return opt;
}

// Sets states over the CLI, saves them, restarts with the file loaded.
Outcome round_trip(const std::string& binary) {
  Outcome out;
  TempDir dir;
  const std::string sock = dir.file("stats.sock"), state = dir.file("state");
  Ports p;
  auto& s = out.seen;
  {
    HearthProcess h(config(p, sock, "", false), options_for(binary, p));
    EXPECT_TRUE(h.ready()) << binary << ": " << h.describe();
    s.push_back(stats_command(sock, "set server bk/s2 state drain"));
    s.push_back(stats_command(sock, "set server bk/s3 state maint"));
    s.push_back(stats_command(sock, "set server bk/s3 state bogus"));
    s.push_back(stats_command(sock, "set server bk/nope state ready"));
    s.push_back(stats_command(sock, "set server bk"));
    s.push_back(servers_seen(p.fe, 3));
    const std::string dump = stats_command(sock, "show servers state");
    std::ofstream(state) << dump;
    s.push_back(mask_age(dump));
    s.push_back(stats_command(sock, "show servers state nope"));
  }
  HearthProcess h(config(p, sock, state, true), options_for(binary, p));
  EXPECT_TRUE(h.ready()) << binary << ": " << h.describe();
  s.push_back(mask_age(stats_command(sock, "show servers state bk")));
  s.push_back(servers_seen(p.fe, 3));
  s.push_back(stats_command(sock, "set server bk/s2 state ready"));
  s.push_back(stats_command(sock, "set server bk/s3 state ready"));
  s.push_back(servers_seen(p.fe, 5));
  return out;
}

// An unchecked server's health counter (srv_check_health) is its configured
// rise, not the default one (HAProxy's reg-tests checks/*_odd_health_checks
// give their unchecked servers "rise 1").
TEST(ServerState, UncheckedServerHealthIsItsRiseLikeHAProxy) {
  std::vector<std::string> dumps;
  for (const std::string binary : {"", "haproxy"}) {
    TempDir dir;
    const std::string sock = dir.file("stats.sock");
    Ports p;
    HearthProcess h(config(p, sock, "", false, " rise 1 fall 1"), options_for(binary, p));
    ASSERT_TRUE(h.ready()) << binary << ": " << h.describe();
    dumps.push_back(mask_age(stats_command(sock, "show servers state bk")));
  }
  EXPECT_EQ(dumps[0], dumps[1]);
  EXPECT_NE(dumps[0].find(" s1 127.0.0.1 2 0 1 1 AGE 1 0 1 0 "), std::string::npos) << dumps[0];
}

TEST(ServerState, SaveAndRestoreLikeHAProxy) {
  Outcome hearth = round_trip(""), haproxy = round_trip("haproxy");
  ASSERT_EQ(hearth.seen.size(), haproxy.seen.size());
  for (size_t i = 0; i < hearth.seen.size(); ++i) EXPECT_EQ(hearth.seen[i], haproxy.seen[i]) << i;
  const auto& s = hearth.seen;
  EXPECT_EQ(s[0], "\n");
  EXPECT_EQ(s[2], "'set server <srv> state' expects 'ready', 'drain' and 'maint'.\n\n");
  EXPECT_EQ(s[3], "No such server.\n\n");
  EXPECT_EQ(s[5], "s1 s1 s1 ");  // s2 drained, s3 in maintenance
  // Both come back after the restart: only s1 takes traffic until "ready".
  EXPECT_NE(s[8].find(" bk 2 s2 127.0.0.1 2 8 1 1 AGE "), std::string::npos) << s[8];
  EXPECT_NE(s[8].find(" bk 3 s3 127.0.0.1 0 1 3 3 AGE "), std::string::npos) << s[8];
  EXPECT_EQ(s[9], "s1 s1 s1 ");
  EXPECT_EQ(s[12], "s1 s2 s3 s3 s3 ");  // weights 1, 1, 3
}

// A hand-written file: a checked server restarts DOWN, a weight set at run
// time and a port come back, the age is kept; a row with a bad value and a
// row for an unknown server are skipped; a short line voids the whole file.
TEST(ServerState, HandWrittenFileAppliedLikeHAProxy) {
  std::vector<std::vector<std::string>> runs;
  for (const std::string binary : {"", "haproxy"}) {
    TempDir dir;
    const std::string sock = dir.file("stats.sock"), state = dir.file("state");
    Ports p;
    // s3's row moves it to s1's responder port: its answers then say "s1".
    const std::string s3_port = std::to_string(p.s1);
    std::ofstream(state) << "1\n# be_id be_name ...\n"
                         << "9 bk 1 s1 127.0.0.9 0 0 1 1 100 8 2 0 6 0 0 0 - " << p.s1
                         << " - 0 0 - - 0\n"
                         << "2 bk 2 s2 127.0.0.1 2 0 300 1 7 1 0 2 0 0 0 0 - 0 - 0 0 - - 0\n"
                         << "2 bk 3 s3 127.0.0.1 2 0 7 3 50 1 0 2 0 0 0 0 - " << s3_port
                         << " - 0 0 - - 0\n"
                         << "2 bk 4 zz 127.0.0.1 2 1 1 1 1 1 0 2 0 0 0 0 - 80 - 0 0 - - 0\n";
    std::vector<std::string> seen;
    {
      HearthProcess h(config(p, sock, state, true, " check inter 10s"), options_for(binary, p));
      EXPECT_TRUE(h.ready()) << binary << ": " << h.describe();
      const std::string raw = stats_command(sock, "show servers state");
      // s1's first check may have run (its status and health then move).
      std::string st = std::regex_replace(
          mask_age(raw), std::regex("(bk 1 s1 \\S+ 0 0 1 1 AGE )\\d+ \\d+ \\d+"), "$1CHK");
      seen.push_back(st);
      // The ages come back: s3 changed 50 s before the file was written.
      std::smatch m;
      if (std::regex_search(raw, m, std::regex("bk 3 s3 127.0.0.1 2 0 7 3 (\\d+) ")))
        EXPECT_GE(std::stoi(m[1]), 50) << binary;
      else
        ADD_FAILURE() << raw;
      seen.push_back(servers_seen(p.fe, 8));
      if (binary.empty()) {
        EXPECT_NE(h.output().find("'bk/s2' not applied: invalid srv_uweight value '300'"),
                  std::string::npos)
            << h.output();
        EXPECT_NE(h.output().find("bk/s1 is DOWN"), std::string::npos) << h.output();
      }
    }
    // A short line: nothing of the file applies.
    std::ofstream(state, std::ios::app) << "2 bk 3 s3 127.0.0.1 2 1\n";
    HearthProcess h(config(p, sock, state, true), options_for(binary, p));
    EXPECT_TRUE(h.ready()) << binary << ": " << h.describe();
    seen.push_back(servers_seen(p.fe, 5));
    if (binary.empty()) {
      EXPECT_NE(h.output().find("is corrupted at line 6"), std::string::npos) << h.output();
    }
    runs.push_back(seen);
  }
  ASSERT_EQ(runs[0].size(), runs[1].size());
  for (size_t i = 0; i < runs[0].size(); ++i) EXPECT_EQ(runs[0][i], runs[1][i]) << i;
  // s1 DOWN; s2 at weight 1; s3 at its restored weight 7 (the configured 3 is
  // the file's iweight) on its restored port, where s1's responder answers.
  EXPECT_NE(runs[0][0].find("bk 3 s3 127.0.0.1 2 0 7 3 AGE"), std::string::npos) << runs[0][0];
  auto count = [](const std::string& v, const std::string& w) {
    size_t n = 0;
    for (size_t p = 0; (p = v.find(w, p)) != std::string::npos; p += w.size()) ++n;
    return n;
  };
  EXPECT_EQ(count(runs[0][1], "s1 "), 7u) << runs[0][1];
  EXPECT_EQ(count(runs[0][1], "s2 "), 1u) << runs[0][1];
  EXPECT_EQ(runs[0][2], "s1 s2 s3 s3 s3 ");  // the file void: configured weights 1, 1, 3
}

}  // namespace
}  // namespace hearth::test::http
