// The layout of log lines per format, as HAProxy 2.6 sends them (captured
// from haproxy with a UDP listener; only the date and the pid differ).
#include "stream/syslog_line.h"

#include <gtest/gtest.h>

#include <cstdlib>

namespace hearth::stream {
namespace {

using config::SyslogFormat;

// 2026-11-30 22:59:13.059819 UTC
constexpr timeval kNow{1796079553, 59819};

class SyslogLine : public ::testing::Test {
 protected:
  void SetUp() override {
    setenv("TZ", "UTC", 1);
    tzset();
  }
  std::string line(SyslogFormat f, std::string_view msg, SyslogMeta meta = {"", "haproxy", "29764"},
                   std::string_view sd = {}, int maxlen = 1024, bool fd = false,
                   timeval now = kNow) {
    std::string out;
    build_syslog_line(f, 16, 6, meta, sd, msg, maxlen, fd, now, &out);
    return out;
  }
};

TEST_F(SyslogLine, EveryFormat) {
  const char* msg = "127.0.0.1 200 fe";
  EXPECT_EQ(line(SyslogFormat::kLocal, msg),
            "<134>Nov 30 22:59:13 haproxy[29764]: 127.0.0.1 200 fe\n");
  EXPECT_EQ(line(SyslogFormat::kRfc3164, msg),
            "<134>Nov 30 22:59:13 localhost haproxy[29764]: 127.0.0.1 200 fe\n");
  EXPECT_EQ(line(SyslogFormat::kRfc3164, msg, {"myhost", "mytag", "1"}),
            "<134>Nov 30 22:59:13 myhost mytag[1]: 127.0.0.1 200 fe\n");
  EXPECT_EQ(line(SyslogFormat::kRfc5424, msg),
            "<134>1 2026-11-30T22:59:13.059819+00:00 - haproxy 29764 - - 127.0.0.1 200 fe\n");
  EXPECT_EQ(line(SyslogFormat::kRfc5424, msg, {"h", "t", "7"}, "[x@1 s=\"200\"]  "),
            "<134>1 2026-11-30T22:59:13.059819+00:00 h t 7 - [x@1 s=\"200\"] 127.0.0.1 200 fe\n");
  EXPECT_EQ(line(SyslogFormat::kShort, msg), "<6>127.0.0.1 200 fe\n");
  EXPECT_EQ(line(SyslogFormat::kPriority, msg), "<134>127.0.0.1 200 fe\n");
  EXPECT_EQ(line(SyslogFormat::kTimed, msg),
            "<6>2026-11-30T22:59:13.059819+00:00 127.0.0.1 200 fe\n");
  EXPECT_EQ(line(SyslogFormat::kIso, msg), "2026-11-30T22:59:13.059819+00:00 127.0.0.1 200 fe\n");
  EXPECT_EQ(line(SyslogFormat::kRaw, msg), "127.0.0.1 200 fe\n");
  EXPECT_EQ(line(SyslogFormat::kRaw, "text\n"), "text\n");  // a trailing newline is not doubled
}

TEST_F(SyslogLine, LocalTimeAndDayPadding) {
  setenv("TZ", "XST-5:30", 1);
  tzset();
  const timeval t{1767225600 + 120, 5};  // 2026-01-01 00:02:00 UTC
  EXPECT_EQ(line(SyslogFormat::kIso, "m", {}, {}, 1024, false, t),
            "2026-01-01T05:32:00.000005+05:30 m\n");
  EXPECT_EQ(line(SyslogFormat::kLocal, "m", {"", "t", "1"}, {}, 1024, false, {t.tv_sec + 1, 0}),
            "<134>Jan  1 05:32:01 t[1]: m\n");
}

// Datagrams: len bytes, then the newline; a header field that does not fit
// is left out with the rest.
TEST_F(SyslogLine, TruncatedDatagram) {
  const std::string a(200, 'a');
  std::string l = line(SyslogFormat::kRaw, a, {}, {}, 80);
  EXPECT_EQ(l, std::string(80, 'a') + "\n");
  const SyslogMeta m{"", "txxxxxxxxxxxxxxxxxxxxxxxxxxxx", "1922"};  // a 79-byte header
  const std::string hdr =
      "<134>1 2026-11-30T22:59:13.059819+00:00 - txxxxxxxxxxxxxxxxxxxxxxxxxxxx 1922 - ";
  ASSERT_EQ(hdr.size(), 79u);
  const char* sd = "[x@1 s=\"200\"]";  // 13 bytes
  const char* msg = "127.0.0.1 200 fe";
  EXPECT_EQ(line(SyslogFormat::kRfc5424, msg, m, sd, 85), hdr + "\n");
  EXPECT_EQ(line(SyslogFormat::kRfc5424, msg, m, sd, 92), hdr + "\n");
  EXPECT_EQ(line(SyslogFormat::kRfc5424, msg, m, sd, 93), hdr + sd + "\n");
  EXPECT_EQ(line(SyslogFormat::kRfc5424, msg, m, sd, 94), hdr + sd + " 1\n");
  EXPECT_EQ(line(SyslogFormat::kRfc5424, msg, m, sd, 96), hdr + sd + " 127\n");
}

// File descriptors: the newline counts in len, and a field is cut anywhere.
TEST_F(SyslogLine, TruncatedFd) {
  EXPECT_EQ(line(SyslogFormat::kRaw, std::string(200, 'a'), {}, {}, 80, true),
            std::string(79, 'a') + "\n");
  const SyslogMeta m{"", "txxxxxxxxxxxxxxxxxxxxxxxxxxxx", "1922"};
  EXPECT_EQ(
      line(SyslogFormat::kRfc5424, "msg", m, "[x@1 s=\"200\"]", 85, true),
      "<134>1 2026-11-30T22:59:13.059819+00:00 - txxxxxxxxxxxxxxxxxxxxxxxxxxxx 1922 - [x@1 \n");
}

TEST_F(SyslogLine, FacilityAndLevel) {
  std::string out;
  build_syslog_line(SyslogFormat::kPriority, 23, 3, {"", "t", "1"}, {}, "x", 1024, false, kNow,
                    &out);
  EXPECT_EQ(out, "<187>x\n");
  out.clear();
  build_syslog_line(SyslogFormat::kShort, 23, 3, {"", "t", "1"}, {}, "x", 1024, false, kNow, &out);
  EXPECT_EQ(out, "<3>x\n");
}

}  // namespace
}  // namespace hearth::stream
