// slowstart side by side with haproxy 2.6: a server back from maintenance
// takes a growing share of roundrobin traffic, in whole-second steps, and
// show stat shows its ramping weight and throttle; the ramp's end is logged.
// Measured by sending requests for the whole period and counting, second by
// second, which server answered.
#include <gtest/gtest.h>

#include <chrono>
#include <cstdio>
#include <map>
#include <regex>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

#include "http_test_util.h"
#include "support/datagram_listener.h"
#include "support/hearth_process.h"
#include "support/ports.h"
#include "support/temp_dir.h"
#include "support/wait.h"

namespace hearth::test {
namespace {

using std::chrono::milliseconds;
using Clock = std::chrono::steady_clock;

std::map<std::string, std::string> stat_row(const std::string& sock, const std::string& sv) {
  std::istringstream in(http::stats_command(sock, "show stat"));
  std::vector<std::string> names;
  for (std::string line; std::getline(in, line);) {
    std::vector<std::string> cols;
    std::stringstream ls(line.rfind("# ", 0) == 0 ? line.substr(2) : line);
    for (std::string c; std::getline(ls, c, ',');) cols.push_back(c);
    if (line.rfind("# ", 0) == 0) {
      names = cols;
      continue;
    }
    if (cols.size() < 2 || cols[0] != "be" || cols[1] != sv) continue;
    std::map<std::string, std::string> out;
    for (size_t i = 0; i < names.size() && i < cols.size(); ++i) out[names[i]] = cols[i];
    return out;
  }
  return {};
}

struct Ramp {
  std::vector<double> share;  // s1's share of the requests, per second since enable
  std::map<std::string, std::string> early, late, backend_early;  // show stat at 0.5 s and after
  std::vector<std::string> logs;
};

constexpr int kSeconds = 3;  // slowstart 3s

Ramp measure(const std::string& binary, const std::string& balance) {
  http::HttpBackend a, b;
  TempDir dir;
  DatagramListener logs;
  const std::string sock = dir.file("s.sock");
  const uint16_t port = free_tcp_port();
  const std::string cfg =
      "global\n    stats socket " + sock +
      " level admin\n"
      "defaults\n    mode http\n    timeout connect 1s\n    timeout client 5s\n"
      "    timeout server 5s\n"
      "frontend fe\n    bind 127.0.0.1:" +
      std::to_string(port) +
      "\n    default_backend be\n"
      "backend be\n    balance " +
      balance + "\n    log " + logs.address() +
      " local0\n"
      "    server s1 127.0.0.1:" +
      std::to_string(a.port()) + " weight 100 slowstart " + std::to_string(kSeconds) +
      "s\n    server s2 127.0.0.1:" + std::to_string(b.port()) + " weight 100\n";
  HearthOptions o;
  o.wait_ports = {port};
  if (!binary.empty()) {
    o.binary = binary;
    o.extra_args = {"-db"};
  }
  HearthProcess p(cfg, o);
  Ramp out;
  if (!p.ready()) {
    ADD_FAILURE() << p.describe();
    return out;
  }
  // No ramp at start-up.
  EXPECT_EQ(stat_row(sock, "s1")["weight"], "100") << binary;
  http::stats_command(sock, "disable server be/s1");
  std::this_thread::sleep_for(milliseconds{200});
  while (logs.next(milliseconds{50})) {
  }
  http::stats_command(sock, "enable server be/s1");
  const Clock::time_point t0 = Clock::now();
  std::vector<int> n1(kSeconds + 1, 0), n(kSeconds + 1, 0);
  bool sampled = false;
  for (;;) {
    const auto ms = std::chrono::duration_cast<milliseconds>(Clock::now() - t0).count();
    const int sec = int(ms / 1000);
    if (sec > kSeconds) break;
    if (!sampled && ms >= 500) {
      out.early = stat_row(sock, "s1");
      out.backend_early = stat_row(sock, "BACKEND");
      sampled = true;
    }
    const size_t before = a.request_count();
    http::HttpClient c(port);
    c.request("GET", "/");
    ++n[sec];
    if (a.request_count() != before) ++n1[sec];
  }
  for (int s = 0; s <= kSeconds; ++s) out.share.push_back(n[s] ? double(n1[s]) / n[s] : -1);
  out.late = stat_row(sock, "s1");
  while (auto line = logs.next(milliseconds{200})) {
    static const std::regex head(R"(^<\d+>[A-Z][a-z]{2} [ 1-3]\d \d\d:\d\d:\d\d \w+\[\d+\]: )");
    out.logs.push_back(std::regex_replace(*line, head, ""));
  }
  p.stop();
  return out;
}

void compare(const Ramp& hearth, const Ramp& haproxy, const std::vector<double>& expected) {
  for (size_t s = 0; s < hearth.share.size() && s < haproxy.share.size(); ++s)
    std::printf("second %zu: s1 share hearth %.3f haproxy %.3f expected %.3f\n", s,
                hearth.share[s], haproxy.share[s], s < expected.size() ? expected[s] : -1.0);
  ASSERT_EQ(hearth.share.size(), expected.size());
  ASSERT_EQ(haproxy.share.size(), expected.size());
  for (size_t s = 0; s < expected.size(); ++s) {
    // A step lands within a few ms of the second's start, so each second's
    // share is close to the step's.
    EXPECT_NEAR(hearth.share[s], expected[s], 0.07) << "second " << s;
    EXPECT_NEAR(haproxy.share[s], expected[s], 0.07) << "haproxy, second " << s;
  }
  for (const char* col : {"weight", "throttle", "status"})
    EXPECT_EQ(hearth.early.at(col), haproxy.early.at(col)) << col;
  EXPECT_EQ(hearth.backend_early.at("weight"), haproxy.backend_early.at("weight"));
  for (const char* col : {"weight", "throttle", "status"})
    EXPECT_EQ(hearth.late.at(col), haproxy.late.at(col)) << col;
  EXPECT_EQ(hearth.logs, haproxy.logs);
}

TEST(SlowstartSideBySide, RoundRobinShareRampsInWholeSecondSteps) {
  const Ramp hearth = measure("", "roundrobin");
  const Ramp haproxy = measure("haproxy", "roundrobin");
  // Step k: s1 weighs (16k + 3) / 3 sixteenths of s2: 1, 6, 11, then 16.
  compare(hearth, haproxy, {1.0 / 17, 6.0 / 22, 11.0 / 27, 0.5});
  EXPECT_EQ(hearth.early.at("weight"), "7");  // ceil(100 / 16)
  EXPECT_EQ(hearth.early.at("throttle"), "6");
  EXPECT_EQ(hearth.late.at("throttle"), "");
  EXPECT_EQ(hearth.late.at("weight"), "100");
}

// static-rr's weights are fixed: the share is half at once, the throttle
// column says 100 while the server is starting.
TEST(SlowstartSideBySide, StaticRoundRobinDoesNotRampTheWeight) {
  const Ramp hearth = measure("", "static-rr");
  const Ramp haproxy = measure("haproxy", "static-rr");
  compare(hearth, haproxy, {0.5, 0.5, 0.5, 0.5});
  EXPECT_EQ(hearth.early.at("throttle"), "100");
}

}  // namespace
}  // namespace hearth::test
