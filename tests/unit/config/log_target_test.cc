// "log" lines of the global and proxy sections, log-tag, log-send-hostname,
// and the logging options.
#include <gtest/gtest.h>

#include "config_test_util.h"

namespace hearth::config {
namespace {

using testing::dump;
using testing::has;
using testing::only_error;
using testing::parse;

ParseResult global(const std::string& lines) { return parse("global\n" + lines); }

LogTarget one(const std::string& line) {
  auto r = global("  " + line + "\n");
  EXPECT_TRUE(r.ok()) << line << "\n" << dump(r.errors);
  EXPECT_EQ(r.config.global.logs.size(), 1u) << line;
  return r.config.global.logs.empty() ? LogTarget{} : r.config.global.logs[0];
}

TEST(LogTarget, Targets) {
  LogTarget t = one("log 127.0.0.1 local0");
  EXPECT_EQ(t.kind, LogTarget::Kind::kUdp);
  EXPECT_EQ(t.address, "127.0.0.1:514");  // the syslog port by default
  EXPECT_FALSE(t.udp6);
  EXPECT_EQ(one("log 10.0.0.1:5140 local0").address, "10.0.0.1:5140");
  EXPECT_EQ(one("log udp@10.0.0.1:99 local0").address, "10.0.0.1:99");
  EXPECT_EQ(one("log udp4@10.0.0.1 local0").address, "10.0.0.1:514");
  EXPECT_EQ(one("log [::1]:600 local0").address, "[::1]:600");
  t = one("log udp6@::1:700 local0");  // the last colon separates the port
  EXPECT_EQ(t.address, "[::1]:700");
  EXPECT_TRUE(t.udp6);
  EXPECT_EQ(one("log syslog.example:514 local0").address, "syslog.example:514");
  t = one("log /dev/log local0");
  EXPECT_EQ(t.kind, LogTarget::Kind::kUnix);
  EXPECT_EQ(t.address, "/dev/log");
  EXPECT_EQ(one("log unix@/run/x.sock local0").address, "/run/x.sock");
  EXPECT_EQ(one("log stdout local0").fd, 1);
  EXPECT_EQ(one("log stderr local0").fd, 2);
  t = one("log ring@buf local0");  // checked against the ring sections by validate()
  EXPECT_EQ(t.kind, LogTarget::Kind::kRing);
  EXPECT_EQ(t.address, "buf");
  t = one("log tcp@127.0.0.1:601 local0");
  EXPECT_EQ(t.kind, LogTarget::Kind::kTcp);
  EXPECT_EQ(t.address, "127.0.0.1:601");
  EXPECT_EQ(one("log tcp4@10.0.0.1 local0").address, "10.0.0.1:514");
  EXPECT_EQ(one("log tcp6@::1:700 local0").address, "[::1]:700");
  t = one("log fd@7 local0");
  EXPECT_EQ(t.kind, LogTarget::Kind::kFd);
  EXPECT_EQ(t.fd, 7);
}

// Addresses expand "${NAME}" outside quotes, as HAProxy; unset ones are
// empty (HAProxy's reg-tests log to "${S1_addr}:${S1_port}" of a server they
// never declare): ":" is any address on the syslog port.
TEST(LogTarget, EnvironmentInTheAddress) {
  auto r = global("  log ${HEARTH_UNSET_A}:${HEARTH_UNSET_P} local0\n");
  ASSERT_TRUE(r.ok()) << dump(r.errors);
  EXPECT_EQ(r.config.global.logs.at(0).address, "0.0.0.0:514");
  EXPECT_TRUE(has(r.warnings, "t.cfg:2: 'log'", "'HEARTH_UNSET_A', 'HEARTH_UNSET_P' are not set"))
      << dump(r.warnings);
  EXPECT_TRUE(has(global("  log ${HEARTH_UNSET_A} local0\n").errors, "t.cfg:2: 'log'",
                  "is empty once expanded"));
}

TEST(LogTarget, Options) {
  LogTarget t = one("log 127.0.0.1 local0");
  EXPECT_EQ(t.maxlen, 1024);
  EXPECT_FALSE(t.format_set);
  EXPECT_EQ(t.facility, 16);
  EXPECT_EQ(t.level, kLogDebug);
  EXPECT_EQ(t.minlevel, kLogEmerg);
  EXPECT_EQ(t.sample_size, 0);
  t = one("log 127.0.0.1 len 300 format rfc5424 sample 1,3-4:5 kern notice err");
  EXPECT_EQ(t.maxlen, 300);
  EXPECT_TRUE(t.format_set);
  EXPECT_EQ(t.format, SyslogFormat::kRfc5424);
  EXPECT_EQ(t.sample_size, 5);
  ASSERT_EQ(t.sample_ranges.size(), 2u);
  EXPECT_EQ(t.sample_ranges[1], std::make_pair(3, 4));
  EXPECT_EQ(t.facility, 0);
  EXPECT_EQ(t.level, kLogNotice);
  EXPECT_EQ(t.minlevel, kLogErr);
  EXPECT_EQ(one("log stdout format short daemon").facility, 3);
  EXPECT_EQ(one("log stdout local7").facility, 23);
  const std::pair<const char*, SyslogFormat> formats[] = {
      {"local", SyslogFormat::kLocal},     {"rfc3164", SyslogFormat::kRfc3164},
      {"rfc5424", SyslogFormat::kRfc5424}, {"priority", SyslogFormat::kPriority},
      {"short", SyslogFormat::kShort},     {"timed", SyslogFormat::kTimed},
      {"iso", SyslogFormat::kIso},         {"raw", SyslogFormat::kRaw}};
  for (const auto& [name, f] : formats)
    EXPECT_EQ(one(std::string("log stdout format ") + name + " daemon").format, f) << name;
}

TEST(LogTarget, Errors) {
  EXPECT_EQ(only_error(global("  log stdout\n")).substr(0, 17), "t.cfg:2: 'log': m");
  EXPECT_TRUE(has(global("  log 127.0.0.1 len 70 local0\n").errors,
                  "t.cfg:2: 'log': expects an integer between 80 and 65535"));
  // HAProxy reads len, format, sample in this order only.
  EXPECT_TRUE(has(global("  log 127.0.0.1 format raw len 100 local0\n").errors,
                  "t.cfg:2: 'log': unknown facility 'len'"));
  EXPECT_TRUE(has(global("  log stdout format json daemon\n").errors,
                  "t.cfg:2: 'log': unknown log format 'json'"));
  EXPECT_TRUE(
      has(global("  log stdout local9\n").errors, "t.cfg:2: 'log': unknown facility 'local9'"));
  EXPECT_TRUE(
      has(global("  log stdout local0 loud\n").errors, "t.cfg:2: 'log': unexpected 'loud'"));
  EXPECT_TRUE(has(global("  log stdout local0 info info info\n").errors,
                  "t.cfg:2: 'log': unexpected 'info'"));
  EXPECT_FALSE(global("  log stdout local0 silent\n").ok());  // only set-log-level has it
  EXPECT_TRUE(has(global("  log 127.0.0.1 sample 3-1:5 local0\n").errors,
                  "t.cfg:2: 'log': invalid sample range '3-1'"));
  EXPECT_TRUE(has(global("  log 127.0.0.1 sample 0:5 local0\n").errors,
                  "t.cfg:2: 'log': invalid sample range '0'"));
  EXPECT_TRUE(has(global("  log 127.0.0.1 sample 1-6:5 local0\n").errors,
                  "t.cfg:2: 'log': the sample size (5) must cover"));
  EXPECT_TRUE(has(global("  log 127.0.0.1 sample 1 local0\n").errors,
                  "t.cfg:2: 'log': 'sample' expects RANGES:SIZE"));
  EXPECT_TRUE(has(global("  log ::1 local0\n").errors, "t.cfg:2: 'log': '::1': an IPv6 address"));
  EXPECT_TRUE(has(global("  log 127.0.0.1:0 local0\n").errors,
                  "t.cfg:2: 'log': '127.0.0.1:0': invalid port '0'"));
  EXPECT_TRUE(has(global("  log uxst@/x local0\n").errors,
                  "t.cfg:2: 'log': target 'uxst@/x': unix stream syslog is not supported"));
  EXPECT_TRUE(has(global("  log ring@ local0\n").errors, "t.cfg:2: 'log': 'ring@' expects"));
  EXPECT_TRUE(has(global("  log fd@x local0\n").errors,
                  "t.cfg:2: 'log': invalid file descriptor in 'fd@x'"));
  EXPECT_TRUE(has(global("  log sctp@1.2.3.4 local0\n").errors,
                  "t.cfg:2: 'log': unsupported address family"));
  EXPECT_TRUE(has(global("  log\n").errors, "t.cfg:2: 'log': missing argument"));
  EXPECT_TRUE(has(parse("frontend f\n  log 1.2.3.4 len 10 local0\n").errors, "t.cfg:2: 'log'"));
  EXPECT_EQ(parse("backend b\n  log 1.2.3.4 local0\n").config.proxies[0].logs.size(), 1u);
  EXPECT_TRUE(parse("defaults\n  log 1.2.3.4 local0\nbackend b\n  log global\n").ok());
}

TEST(LogTarget, SeveralPerSection) {
  auto r = global("  log 127.0.0.1 local0\n  log stdout format raw daemon\n");
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(r.config.global.logs.size(), 2u);
  auto p = parse("frontend f\n  log global\n  log 127.0.0.1 local0\n  log stderr local1\n");
  ASSERT_TRUE(p.ok()) << dump(p.errors);
  EXPECT_TRUE(p.config.proxies[0].log_global);
  EXPECT_EQ(p.config.proxies[0].logs.size(), 2u);
}

TEST(LogTarget, TagAndHostname) {
  auto r = global("  log-tag web\n  log-send-hostname\n");
  ASSERT_TRUE(r.ok()) << dump(r.errors);
  EXPECT_EQ(r.config.global.log_tag, "web");
  ASSERT_TRUE(r.config.global.log_send_hostname.has_value());
  EXPECT_EQ(*r.config.global.log_send_hostname, "");  // the system's name
  EXPECT_EQ(*global("  log-send-hostname edge1\n").config.global.log_send_hostname, "edge1");
  EXPECT_TRUE(has(global("  log-tag\n").errors, "t.cfg:2: 'log-tag': missing argument"));
  EXPECT_TRUE(has(global("  log-send-hostname a b\n").errors, "t.cfg:2: 'log-send-hostname'"));
  auto p = parse("defaults\n  log-tag d\nfrontend f\nbackend b\n  log-tag bb\n");
  ASSERT_TRUE(p.ok()) << dump(p.errors);
  EXPECT_EQ(p.config.proxies[0].log_tag, "d");
  EXPECT_EQ(p.config.proxies[1].log_tag, "bb");
}

TEST(LogTarget, LoggingOptions) {
  auto p = parse(
      "defaults\n  option log-separate-errors\n  option dontlog-normal\n"
      "frontend f\nfrontend g\n  no option dontlog-normal\n");
  ASSERT_TRUE(p.ok()) << dump(p.errors);
  EXPECT_TRUE(p.config.proxies[0].log_separate_errors);
  EXPECT_TRUE(p.config.proxies[0].dontlog_normal);
  EXPECT_FALSE(p.config.proxies[1].dontlog_normal);
  auto h = parse(
      "defaults\n  option log-health-checks\nbackend b\nbackend c\n"
      "  no option log-health-checks\n");
  ASSERT_TRUE(h.ok()) << dump(h.errors);
  EXPECT_TRUE(h.config.proxies[0].log_health_checks);
  EXPECT_FALSE(h.config.proxies[1].log_health_checks);
}

}  // namespace
}  // namespace hearth::config
