// The request line the access log keeps, and the wall clock. The lines
// themselves are tested in tests/unit/expr/log_format_log_test.cc.
#include "stream/session_log.h"

#include <gtest/gtest.h>
#include <stdlib.h>
#include <time.h>

#include <algorithm>
#include <regex>
#include <string>

namespace hearth::stream {
namespace {

// Dates are in local time: pin the zone so they can be compared exactly.
class SessionLogTest : public ::testing::Test {
 protected:
  void SetUp() override {
    setenv("TZ", "UTC", 1);
    tzset();
  }
};

TEST_F(SessionLogTest, CaptureKeepsMethodTargetAndVersion) {
  EXPECT_EQ(capture_request_line("POST", "/b", 1, 1), "POST /b HTTP/1.1");
  EXPECT_EQ(capture_request_line("GET", "http://h/x", 1, 0), "GET http://h/x HTTP/1.0");
  EXPECT_EQ(capture_request_line("GET", "/", 2, 0), "GET / HTTP/2.0");  // as HAProxy logs h2
}

// As HAProxy: the whole line is cut, to 1023 bytes by default and to
// tune.http.logurilen bytes when set (compared with haproxy 2.6).
TEST_F(SessionLogTest, CaptureCutsALongLine) {
  std::string target = "/" + std::string(3000, 'a');
  std::string line = capture_request_line("GET", target, 1, 1);
  EXPECT_EQ(line, ("GET " + target).substr(0, 1023));
  std::string exact = "/" + std::string(1023 - 13 - 1, 'b');  // 13: "GET " + " HTTP/1.1"
  EXPECT_EQ(capture_request_line("GET", exact, 1, 1), "GET " + exact + " HTTP/1.1");
  set_log_uri_len(10);
  EXPECT_EQ(capture_request_line("GET", "/abcdefghijkl", 1, 1), "GET /abcde");
  EXPECT_EQ(capture_request_line("GET", "/ab", 1, 1), "GET /ab HT");
  set_log_uri_len(1023);
}

TEST_F(SessionLogTest, WallClockIsCloseToTime) {
  int64_t ms = wall_clock_ms();
  int64_t s = int64_t(time(nullptr));
  EXPECT_LE(ms / 1000, s);
  EXPECT_GE(ms / 1000, s - 1);
}

}  // namespace
}  // namespace hearth::stream
