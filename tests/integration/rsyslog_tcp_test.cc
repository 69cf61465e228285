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

TEST_F(RsyslogTest, RingsForwardOverTcpBothFramingsFieldByField) {
  Rsyslog& rs = *rs_;
  const std::string srv = "127.0.0.1:" + std::to_string(rs.tcp_port);
  HearthProcess hearth(
      "global\n  log-send-hostname edge1\n  log-tag web\n"
      "  log ring@counted local4\n  log ring@lines local3\n"
      "ring counted\n  format rfc5424\n  timeout connect 1s\n  server s1 " +
          srv +
          " log-proto octet-count\n"
          "ring lines\n  format rfc3164\n  server s1 " +
          srv + " log-proto legacy\n" + rsyslog_frontend(port),
      HearthOptions{.wait_ports = {port}});
  ASSERT_TRUE(hearth.ready()) << hearth.describe();
  ASSERT_EQ(http_status(http_get(port, "/tcp1")), 200);
  ASSERT_EQ(http_status(http_get(port, "/tcp2")), 200);
  const std::string pid = std::to_string(hearth.process().pid());

  auto by_fac = wait_facilities(rs, "/tcp2", 2);
  ASSERT_EQ(by_fac.size(), 2u) << read_file(rs.out);

  expect_rfc5424(by_fac["local4"], pid, "[exampleSDID@1234 status=\"200\"]",
                 "127.0.0.1 200 fe /tcp2");
  expect_rfc3164(by_fac["local3"], pid, "127.0.0.1 200 fe /tcp2");
  // The framing kept every event apart: two whole lines per ring (in any
  // order: each ring has its own connection).
  const std::string all = read_file(rs.out);
  size_t lines = 0;
  for (size_t at = 0; (at = all.find("fe /tcp", at)) != std::string::npos; ++at) ++lines;
  EXPECT_EQ(lines, 4u) << all;
}

}  // namespace
}  // namespace hearth::test
