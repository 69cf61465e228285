// Events forwarded by rings to a real rsyslog over TCP (its imtcp input),
// checked field by field: RFC 5424 with octet counting, RFC 3164 with the
// legacy LF framing. HAProxy 2.6 sends the same bytes for this
// configuration (compared on a plain TCP listener: only date and pid differ).
#include <gtest/gtest.h>

#include <map>
#include <sstream>
#include <string>

#include "rsyslog_util.h"
#include "support/client.h"

namespace hearth::test {
namespace {

TEST(RsyslogTcp, RingsForwardBothFramingsFieldByField) {
  if (access(kRsyslogd, X_OK) != 0)
    GTEST_SKIP() << "rsyslogd is not installed (Debian package rsyslog, which "
                    "scripts/install-deps installs): this test needs a real syslog server";
  Rsyslog rs;
  ASSERT_TRUE(rs.ready()) << read_file(rs.dir.file("rsyslogd.out"));
  const uint16_t port = free_tcp_port();
  const std::string srv = "127.0.0.1:" + std::to_string(rs.tcp_port);
  HearthProcess hearth(
      "global\n  log-send-hostname edge1\n  log-tag web\n"
      "  log ring@counted local4\n  log ring@lines local3\n"
      "ring counted\n  format rfc5424\n  timeout connect 1s\n  server s1 " +
          srv +
          " log-proto octet-count\n"
          "ring lines\n  format rfc3164\n  server s1 " +
          srv +
          " log-proto legacy\n"
          "defaults\n  mode http\n  timeout client 5s\n  timeout server 5s\n  timeout connect 5s\n"
          "frontend fe\n  bind 127.0.0.1:" +
          std::to_string(port) +
          "\n  log global\n"
          "  log-format-sd \"[exampleSDID@1234 status=\\\"%ST\\\"]\"\n"
          "  log-format \"%ci %ST %b %HP\"\n"
          "  http-request return status 200\n",
      HearthOptions{.wait_ports = {port}});
  ASSERT_TRUE(hearth.ready()) << hearth.describe();
  ASSERT_EQ(http_status(http_get(port, "/tcp1")), 200);
  ASSERT_EQ(http_status(http_get(port, "/tcp2")), 200);
  const std::string pid = std::to_string(hearth.process().pid());

  std::map<std::string, std::map<std::string, std::string>> by_fac;
  wait_until(
      [&] {
        std::istringstream in(read_file(rs.out));
        for (std::string line; std::getline(in, line);)
          if (line.find("/tcp2") != std::string::npos) {
            std::map<std::string, std::string> f;
            std::istringstream parts(line);
            for (std::string kv; std::getline(parts, kv, '|');)
              if (size_t eq = kv.find('='); eq != std::string::npos)
                f[kv.substr(0, eq)] = kv.substr(eq + 1);
            by_fac[f["fac"]] = f;
          }
        return by_fac.size() == 2;
      },
      std::chrono::milliseconds{10000});
  ASSERT_EQ(by_fac.size(), 2u) << read_file(rs.out);

  auto& r5424 = by_fac["local4"];
  EXPECT_EQ(r5424["sev"], "info");
  EXPECT_EQ(r5424["host"], "edge1");
  EXPECT_EQ(r5424["app"], "web");
  EXPECT_EQ(r5424["pid"], pid);
  EXPECT_EQ(r5424["msgid"], "-");
  EXPECT_EQ(r5424["sd"], "[exampleSDID@1234 status=\"200\"]");
  EXPECT_EQ(r5424["msg"], "127.0.0.1 200 fe /tcp2");

  auto& r3164 = by_fac["local3"];
  EXPECT_EQ(r3164["sev"], "info");
  EXPECT_EQ(r3164["host"], "edge1");
  EXPECT_EQ(r3164["tag"], "web[" + pid + "]:");
  EXPECT_EQ(r3164["pid"], pid);
  EXPECT_EQ(r3164["msg"], " 127.0.0.1 200 fe /tcp2");
  // The framing kept every event apart: two whole lines per ring.
  const std::string all = read_file(rs.out);
  EXPECT_NE(all.find("127.0.0.1 200 fe /tcp1\nfac=local3"), std::string::npos) << all;
  size_t lines = 0;
  for (size_t at = 0; (at = all.find("fe /tcp", at)) != std::string::npos; ++at) ++lines;
  EXPECT_EQ(lines, 4u) << all;
}

}  // namespace
}  // namespace hearth::test
