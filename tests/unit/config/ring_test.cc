// "ring" sections and the "log ring@NAME" targets that use them.
#include <gtest/gtest.h>

#include "config_test_util.h"

namespace hearth::config {
namespace {

using testing::dump;
using testing::has;
using testing::only_error;
using testing::parse;

TEST(Ring, SectionKeywords) {
  auto r = parse(
      "ring r1\n  description \"my ring\"\n  format rfc3164\n  maxlen 1200\n  size 32k\n"
      "  timeout connect 5s\n  timeout server 10s\n"
      "  server s1 127.0.0.1:6514 log-proto octet-count\n  server s2 127.0.0.1:514\n"
      "ring r2\n");
  ASSERT_TRUE(r.ok()) << dump(r.errors);
  ASSERT_EQ(r.config.rings.size(), 2u);
  const RingConfig& a = r.config.rings[0];
  EXPECT_EQ(a.name, "r1");
  EXPECT_EQ(a.description, "my ring");
  EXPECT_EQ(a.format, SyslogFormat::kRfc3164);
  EXPECT_EQ(a.maxlen, 1200);
  EXPECT_EQ(a.size, 32768u);
  EXPECT_EQ(a.timeout_connect_ms, 5000);
  EXPECT_EQ(a.timeout_server_ms, 10000);
  ASSERT_EQ(a.servers.size(), 2u);
  EXPECT_EQ(a.servers[0].address, "127.0.0.1:6514");
  EXPECT_TRUE(a.servers[0].octet_count);
  EXPECT_FALSE(a.servers[1].octet_count);  // legacy by default, as HAProxy
  const RingConfig& b = r.config.rings[1];
  // HAProxy's defaults: raw, tune.bufsize for both sizes, no timeouts.
  EXPECT_EQ(b.format, SyslogFormat::kRaw);
  EXPECT_EQ(b.size, 16384u);
  EXPECT_EQ(b.maxlen, 16384);
  EXPECT_EQ(b.timeout_connect_ms, 0);
  EXPECT_TRUE(b.description.empty());
}

TEST(Ring, Errors) {
  EXPECT_EQ(only_error(parse("ring r\n  size 2048\n")),
            "t.cfg:2: 'size': size 2048 is below tune.bufsize (16384), the smallest ring");
  EXPECT_EQ(only_error(parse("ring r\n  format bar\n")),
            "t.cfg:2: 'format': expects one of local, rfc3164, rfc5424, priority, short, timed, "
            "iso, raw");
  EXPECT_EQ(only_error(parse("ring r\n  server s 127.0.0.1:514 log-proto foo\n")),
            "t.cfg:2: 'server': 'log-proto' expects 'legacy' or 'octet-count'");
  EXPECT_EQ(only_error(parse("ring r\n  server s 127.0.0.1:514 check\n")),
            "t.cfg:2: 'server': option 'check' is not supported on a ring's server: expects "
            "server NAME ADDR:PORT [log-proto legacy|octet-count]");
  EXPECT_TRUE(has(parse("ring r\n  server s 127.0.0.1\n").errors, "t.cfg:2: 'server': "));
  EXPECT_EQ(only_error(parse("ring r\nring r\n")), "t.cfg:2: 'ring': a ring named 'r' exists");
  EXPECT_EQ(only_error(parse("ring r\n  timeout client 1s\n")),
            "t.cfg:2: 'timeout': expects 'timeout connect T' or 'timeout server T'");
  EXPECT_EQ(only_error(parse("ring r\n  backing-file /tmp/x\n")),
            "t.cfg:2: 'backing-file': Hearth does not support file-backed rings yet");
  EXPECT_TRUE(has(parse("ring r\n  bogus 1\n").errors, "t.cfg:2: 'bogus': unknown keyword"));
  EXPECT_TRUE(has(parse("ring\n").errors, "t.cfg:1: 'ring': expects one argument"));
}

TEST(Ring, LogTargetsNeedADeclaredRing) {
  auto ok = testing::parse_and_validate(
      "global\n  log ring@later local0\nring later\n"
      "defaults\n  mode http\n  timeout client 1s\n"
      "frontend f\n  bind :80\n  log ring@later local1\n");
  EXPECT_TRUE(ok.ok()) << dump(ok.errors);
  auto r = testing::parse_and_validate(
      "global\n  log ring@nope local0\n"
      "defaults\n  mode http\n  timeout client 1s\nfrontend f\n  bind :80\n");
  EXPECT_EQ(only_error(r), "t.cfg:2: 'log': no ring section named 'nope' is declared");
}

}  // namespace
}  // namespace hearth::config
