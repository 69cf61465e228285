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

TEST_F(RsyslogTest, Rfc3164Rfc5424AndUnixSocketFieldByField) {
  Rsyslog& rs = *rs_;
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
          rs.sock + " format local local5\n" + rsyslog_frontend(port),
      HearthOptions{.wait_ports = {port}});
  ASSERT_TRUE(hearth.ready()) << hearth.describe();
  ASSERT_EQ(http_status(http_get(port, "/ok")), 200);
  ASSERT_EQ(http_status(http_get(port, "/fail")), 503);
  const std::string pid = std::to_string(hearth.process().pid());

  // RFC 3164 and RFC 5424 arrive on the same UDP port: the facility tells
  // them apart.
  auto by_fac = wait_facilities(rs, "/ok", 3);
  ASSERT_EQ(by_fac.size(), 3u) << read_file(rs.out);

  expect_rfc3164(by_fac["local3"], pid, "127.0.0.1 200 fe /ok");
  expect_rfc5424(by_fac["local4"], pid, "[exampleSDID@1234 status=\"200\"]",
                 "127.0.0.1 200 fe /ok");

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
