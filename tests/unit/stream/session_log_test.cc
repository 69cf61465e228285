// The access-log formatters: the httplog line field by field, its escaping of
// the request line, -1 timers, and the tcplog line's shape.
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

HttpLogRecord full_record() {
  HttpLogRecord r;
  r.client = "192.0.2.7:51234";
  r.date_ms = 1609459200007;  // 2021-01-01T00:00:00.007Z
  r.frontend = "web";
  r.backend = "app";
  r.server = "s2";
  r.t_request = 3;
  r.t_queue = 0;
  r.t_connect = 1;
  r.t_response = 12;
  r.t_active = 20;
  r.status = 200;
  r.bytes_out = 4321;
  r.termination = "--";
  r.act_conns = 9;
  r.fe_conns = 5;
  r.be_conns = 4;
  r.srv_conns = 2;
  r.retries = 0;
  r.be_queue = 0;
  r.request = "GET /a?x=1 HTTP/1.1";
  return r;
}

TEST_F(SessionLogTest, HttpLineHasEveryFieldInOrder) {
  EXPECT_EQ(format_http_log(full_record()),
            "192.0.2.7:51234 [01/Jan/2021:00:00:00.007] web app/s2 3/0/1/12/20 200 4321 - - "
            "---- 9/5/4/2/0 0/0 \"GET /a?x=1 HTTP/1.1\"\n");
}

TEST_F(SessionLogTest, PhasesThatNeverHappenedAreMinusOne) {
  // A request refused before any server was picked: no queue, no connection,
  // no response from a server, and a status Hearth made itself.
  HttpLogRecord r = full_record();
  r.server = "<NOSRV>";
  r.t_queue = r.t_connect = r.t_response = -1;
  r.status = 503;
  r.bytes_out = 107;
  r.termination = "SC";
  r.retries = 3;
  r.redispatched = true;
  r.srv_queue = 1;
  r.be_queue = 7;
  EXPECT_EQ(format_http_log(r),
            "192.0.2.7:51234 [01/Jan/2021:00:00:00.007] web app/<NOSRV> 3/-1/-1/-1/20 503 107 - - "
            "SC-- 9/5/4/2/+3 1/7 \"GET /a?x=1 HTTP/1.1\"\n");
}

TEST_F(SessionLogTest, NoRequestHeadIsBadreqWithAllTimersButTaMinusOne) {
  HttpLogRecord r;
  r.client = "127.0.0.1:1";
  r.date_ms = 1609459200999;
  r.frontend = "fe";
  r.backend = "be";
  r.server = "<NOSRV>";
  r.t_active = 5;
  r.termination = "cR";
  EXPECT_EQ(format_http_log(r),
            "127.0.0.1:1 [01/Jan/2021:00:00:00.999] fe be/<NOSRV> -1/-1/-1/-1/5 -1 0 - - cR-- "
            "0/0/0/0/0 0/0 \"<BADREQ>\"\n");
}

TEST_F(SessionLogTest, ShortOrMissingTerminationIsPaddedWithDashes) {
  HttpLogRecord r = full_record();
  r.termination = "";
  EXPECT_NE(format_http_log(r).find(" 4321 - - ---- "), std::string::npos);
  r.termination = "C";
  EXPECT_NE(format_http_log(r).find(" 4321 - - C--- "), std::string::npos);
  r.termination = nullptr;
  EXPECT_NE(format_http_log(r).find(" 4321 - - ---- "), std::string::npos);
}

TEST_F(SessionLogTest, EscapesBytesThatWouldBreakTheLine) {
  std::string out;
  append_log_escaped(out, std::string("a\"b#c\r\n\t\x01 ~\x7f\x80\xff\0z", 16));
  EXPECT_EQ(out, "a#22b#23c#0D#0A#09#01 ~#7F#80#FF#00z");
  // Everything else printable passes unchanged.
  out.clear();
  append_log_escaped(out, "/p?q=%20&r=<x>{y}|'z'!$");
  EXPECT_EQ(out, "/p?q=%20&r=<x>{y}|'z'!$");
}

TEST_F(SessionLogTest, RequestLineIsEscapedInsideItsQuotes) {
  HttpLogRecord r = full_record();
  std::string req = "GET /s?q=\"x\"#y HTTP/1.1";
  r.request = req;
  std::string line = format_http_log(r);
  EXPECT_NE(line.find(" \"GET /s?q=#22x#22#23y HTTP/1.1\"\n"), std::string::npos) << line;
  // Exactly two unescaped quotes: the line stays parseable.
  EXPECT_EQ(std::count(line.begin(), line.end(), '"'), 2) << line;
}

TEST_F(SessionLogTest, CaptureKeepsMethodTargetAndVersion) {
  EXPECT_EQ(capture_request_line("POST", "/b", 1, 1), "POST /b HTTP/1.1");
  EXPECT_EQ(capture_request_line("GET", "http://h/x", 1, 0), "GET http://h/x HTTP/1.0");
  EXPECT_EQ(capture_request_line("GET", "/", 2, 0), "GET / HTTP/2.0");  // as HAProxy logs h2
}

TEST_F(SessionLogTest, CaptureTruncatesALongTarget) {
  std::string target = "/" + std::string(3000, 'a');
  std::string line = capture_request_line("GET", target, 1, 1);
  EXPECT_EQ(line, "GET " + target.substr(0, kMaxLoggedTarget) + " HTTP/1.1");
  std::string exact = "/" + std::string(kMaxLoggedTarget - 1, 'b');
  EXPECT_EQ(capture_request_line("GET", exact, 1, 1), "GET " + exact + " HTTP/1.1");
}

TEST_F(SessionLogTest, TcpLineShapeIsUnchanged) {
  SessionLogRecord r;
  r.client = "10.0.0.1:4000";
  r.frontend = "fe";
  r.backend = "be";
  r.server = "echo";
  r.t_connect = -1;
  r.t_total = 15;
  r.bytes_out = 6;
  r.termination = "--";
  r.fe_conns = 1;
  r.srv_conns = 0;
  std::string line = format_session_log(r);
  std::regex shape(
      R"(^10\.0\.0\.1:4000 \[\d{2}/\w{3}/\d{4}:\d{2}:\d{2}:\d{2}\] fe be/echo -1/15 6 -- 1/0\n$)");
  EXPECT_TRUE(std::regex_search(line, shape)) << line;
}

// Names long enough to overflow the line are cut, but the line still ends
// with its newline, so it does not run into the next one.
TEST_F(SessionLogTest, TcpLineCutByLongNamesStillEndsTheLine) {
  SessionLogRecord r;
  r.client = "10.0.0.1:4000";
  r.frontend = std::string(400, 'f');
  r.backend = std::string(400, 'b');
  r.server = "s";
  std::string line = format_session_log(r);
  ASSERT_FALSE(line.empty());
  EXPECT_EQ(line.back(), '\n');
  EXPECT_EQ(std::count(line.begin(), line.end(), '\n'), 1);
}

TEST_F(SessionLogTest, WallClockIsCloseToTime) {
  int64_t ms = wall_clock_ms();
  int64_t s = int64_t(time(nullptr));
  EXPECT_LE(ms / 1000, s);
  EXPECT_GE(ms / 1000, s - 1);
}

}  // namespace
}  // namespace hearth::stream
