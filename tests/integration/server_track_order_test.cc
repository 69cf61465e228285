// The lines of one change of a tracked server come out together, in HAProxy's
// order, even while its check and the runtime API change it at once: each
// line about b/s1 itself is followed by its trackers' lines (newest tracker
// first), and no check result of b/s1 is logged while it is in maintenance.
// b/s1 is checked every 20 ms on a port where nothing listens, and the test
// puts it in and out of maintenance many times meanwhile, so that checks
// land right before, in and right after each "disable"/"enable". Run through
// HAProxy 2.6 and hearth: both must keep the same order (Hearth once logged a
// check's DOWN between "enable server" and its trackers' lines, and a check
// result in maintenance).
#include <gtest/gtest.h>

#include <chrono>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

#include "http_test_util.h"
#include "support/ports.h"
#include "support/temp_dir.h"
#include "support/wait.h"

namespace hearth::test::http {
namespace {

using std::chrono::milliseconds;

// The "Server b/..." lines of a run's output, without stderr's prefixes
// (HAProxy's and Hearth's differ).
std::vector<std::string> server_lines(const std::string& output) {
  std::vector<std::string> out;
  std::istringstream in(output);
  for (std::string l; std::getline(in, l);) {
    const size_t at = l.find("Server b/");
    if (at != std::string::npos) out.push_back(l.substr(at));
  }
  return out;
}

bool starts(const std::string& s, const std::string& prefix) { return s.rfind(prefix, 0) == 0; }

// What a tracker of b/s1 says after b/s1's `line`, or "" when `line` is not
// a change the trackers follow.
std::string tracker_words(const std::string& line) {
  const std::string s1 = "Server b/s1 ";
  if (!starts(line, s1)) return "";
  if (starts(line, s1 + "is DOWN, reason")) return "is DOWN via b/s1.";
  if (starts(line, s1 + "is UP, reason")) return "is UP via b/s1.";
  if (starts(line, s1 + "is going DOWN for maintenance."))
    return "is going DOWN for maintenance via b/s1.";
  if (starts(line, s1 + "was DOWN and now enters maintenance."))
    return "was DOWN and now enters maintenance via b/s1.";
  if (starts(line, s1 + "is UP/READY (leaving forced maintenance)."))
    return "is UP/READY (leaving maintenance).";
  if (starts(line, s1 + "is DOWN (leaving forced maintenance)."))
    return "is DOWN/READY (leaving maintenance).";
  return "?";  // a line about b/s1 this test does not expect
}

// Returns: the first break of the order in `lines`, or "" (with the number
// of maintenance periods seen in `periods`).
std::string order_error(const std::vector<std::string>& lines, int* periods) {
  bool maint = false;
  *periods = 0;
  for (size_t i = 0; i < lines.size(); ++i) {
    const std::string words = tracker_words(lines[i]);
    if (words.empty()) continue;
    if (words == "?") return "unexpected line: " + lines[i];
    const bool enters = words.find("maintenance via") != std::string::npos;
    const bool leaves = words.find("leaving") != std::string::npos;
    if (!enters && !leaves && maint) return "a check result in maintenance: " + lines[i];
    if (enters) maint = true, ++*periods;
    if (leaves) maint = false;
    for (const char* t : {"t2", "t1"}) {  // newest tracker first
      const std::string want = std::string("Server b/") + t + " " + words;
      if (++i >= lines.size() || !starts(lines[i], want))
        return "after \"" + lines[i - 1] + "\": want \"" + want + "\", got \"" +
               (i < lines.size() ? lines[i] : "(end)") + "\"";
    }
  }
  return "";
}

void disable_enable_under_checks(const std::string& binary) {
  TempDir dir;
  const std::string sock = dir.file("s.sock");
  const std::string dead = "127.0.0.1:" + std::to_string(free_tcp_port());
  const std::string cfg = "global\n  stats socket " + sock +
                          " level admin\n"
                          "defaults\n  mode tcp\n  timeout connect 1s\n  timeout client 5s\n"
                          "  timeout server 5s\n"
                          "backend b\n  server s1 " +
                          dead + " check inter 20ms\n  server t1 " + dead +
                          " track s1\n  server t2 " + dead + " track s1\n";
  HearthOptions opt;
  if (!binary.empty()) opt.binary = binary, opt.extra_args = {"-db"};
  HearthProcess h(cfg, opt);
  ASSERT_TRUE(h.ready()) << binary << ": " << h.describe();
  for (int k = 0; k < 40; ++k) {
    stats_command(sock, "disable server b/s1");
    if (k % 2) std::this_thread::sleep_for(milliseconds{k % 7 * 5});
    stats_command(sock, "enable server b/s1");
    std::this_thread::sleep_for(milliseconds{k % 5 * 7});
  }
  wait_until([] { return false; }, milliseconds{300});  // the last lines written
  const std::vector<std::string> lines = server_lines(h.output());
  int periods = 0;
  const std::string error = order_error(lines, &periods);
  std::string all;
  for (const std::string& l : lines) all += l + "\n";
  EXPECT_EQ(error, "") << (binary.empty() ? "hearth" : binary) << ":\n" << all;
  EXPECT_EQ(periods, 40) << all;  // each "disable server" was seen
}

TEST(ServerTrackVsHAProxy, LinesOfOneChangeStayTogether) {
  disable_enable_under_checks("haproxy");
  disable_enable_under_checks("");
}

}  // namespace
}  // namespace hearth::test::http
