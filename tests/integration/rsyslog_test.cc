// Log lines received by a real rsyslog (Debian package rsyslog), started by
// the test with its own configuration: a UDP input on a local port and a unix
// socket input, written to a file with a template that prints the fields
// rsyslog parsed. Checked field by field for RFC 3164 and RFC 5424, and for
// HAProxy's "local" format on the unix socket. HAProxy 2.6 gives the same
// fields for this configuration (compared by hand: only the pid differs).
#include <gtest/gtest.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <map>
#include <sstream>
#include <string>

#include "rsyslog_util.h"
#include "support/client.h"
#include "support/hearth_process.h"
#include "support/ports.h"
#include "support/unique_fd.h"
#include "support/wait.h"

namespace hearth::test {
namespace {

using std::chrono::milliseconds;

TEST(Rsyslog, Rfc3164Rfc5424AndUnixSocketFieldByField) {
  if (access(kRsyslogd, X_OK) != 0)
    GTEST_SKIP() << "rsyslogd is not installed (Debian package rsyslog, which "
                    "scripts/install-deps installs): this test needs a real syslog server";
  Rsyslog rs;
  ASSERT_TRUE(rs.ready()) << read_file(rs.dir.file("rsyslogd.out"));
  const uint16_t port = free_tcp_port();
  const std::string udp = "127.0.0.1:" + std::to_string(rs.port);
  HearthProcess hearth(
      "global\n  log-send-hostname edge1\n  log-tag web\n"
      "  log " +
          udp +
          " format rfc3164 local3\n"
          "  log " +
          udp +
          " format rfc5424 local4 info\n"
          "  log unix@" +
          rs.sock +
          " format local local5\n"
          "defaults\n  mode http\n  timeout client 5s\n  timeout server 5s\n  timeout connect 5s\n"
          "frontend fe\n  bind 127.0.0.1:" +
          std::to_string(port) +
          "\n  log global\n"
          "  option log-separate-errors\n"
          "  log-format-sd \"[exampleSDID@1234 status=\\\"%ST\\\"]\"\n"
          "  log-format \"%ci %ST %b %HP\"\n"
          "  http-request return status 503 if { path /fail }\n"
          "  http-request return status 200\n",
      HearthOptions{.wait_ports = {port}});
  ASSERT_TRUE(hearth.ready()) << hearth.describe();
  ASSERT_EQ(http_status(http_get(port, "/ok")), 200);
  ASSERT_EQ(http_status(http_get(port, "/fail")), 503);
  const std::string pid = std::to_string(hearth.process().pid());

  // RFC 3164 and RFC 5424 arrive on the same UDP port: the facility tells
  // them apart.
  std::map<std::string, std::map<std::string, std::string>> by_fac;
  for (int tries = 0; tries < 50 && by_fac.size() < 3; ++tries) {
    std::istringstream in(read_file(rs.out));
    for (std::string line; std::getline(in, line);)
      if (line.find("/ok") != std::string::npos) {
        std::map<std::string, std::string> f;
        std::istringstream parts(line);
        for (std::string kv; std::getline(parts, kv, '|');)
          if (size_t eq = kv.find('='); eq != std::string::npos)
            f[kv.substr(0, eq)] = kv.substr(eq + 1);
        by_fac[f["fac"]] = f;
      }
    if (by_fac.size() < 3) usleep(100000);
  }
  ASSERT_EQ(by_fac.size(), 3u) << read_file(rs.out);

  auto& r3164 = by_fac["local3"];
  EXPECT_EQ(r3164["sev"], "info");
  EXPECT_EQ(r3164["host"], "edge1");
  EXPECT_EQ(r3164["tag"], "web[" + pid + "]:");
  EXPECT_EQ(r3164["app"], "web");
  EXPECT_EQ(r3164["pid"], pid);
  EXPECT_EQ(r3164["sd"], "-");
  EXPECT_EQ(r3164["msg"], " 127.0.0.1 200 fe /ok");

  auto& r5424 = by_fac["local4"];
  EXPECT_EQ(r5424["sev"], "info");
  EXPECT_EQ(r5424["host"], "edge1");
  EXPECT_EQ(r5424["app"], "web");
  EXPECT_EQ(r5424["pid"], pid);
  EXPECT_EQ(r5424["msgid"], "-");
  EXPECT_EQ(r5424["sd"], "[exampleSDID@1234 status=\"200\"]");
  EXPECT_EQ(r5424["msg"], "127.0.0.1 200 fe /ok");

  auto& local = by_fac["local5"];  // the unix socket; rsyslog names the host itself
  EXPECT_EQ(local["sev"], "info");
  EXPECT_EQ(local["tag"], "web[" + pid + "]:");
  EXPECT_EQ(local["app"], "web");
  EXPECT_EQ(local["msg"], " 127.0.0.1 200 fe /ok");

  // option log-separate-errors: the 503 at err.
  auto err = rs.line_with("503 fe /fail");
  EXPECT_EQ(err["sev"], "err") << read_file(rs.out);
}

}  // namespace
}  // namespace hearth::test
