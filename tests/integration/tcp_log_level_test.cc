// tcp-request content set-log-level (the frontend's and the backend's) through the
// real binary and through HAProxy 2.6 with the same configuration: the
// session's log line takes the rule's level (written when the global log
// line's level allows it), and "silent" writes none.
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "http_test_util.h"
#include "tcp_test_util.h"

namespace hearth::test::tcp {
namespace {

TEST(TcpLogLevel, ContentRulesSetTheLineLevelAsHAProxy) {
  for (const std::string binary : kBinaries) {
    EchoServer echo;
    const uint16_t port = free_tcp_port();
    const std::string cfg =
        "global\n  log stdout format raw local0 notice\n"
        "defaults\n  mode tcp\n  log global\n  log-format \"tl %ci\"\n"
        "  timeout connect 2s\n  timeout client 10s\n  timeout server 10s\n"
        "frontend fe\n  bind 127.0.0.1:" +
        std::to_string(port) +
        "\n  tcp-request content set-log-level silent if { src 127.0.0.2 }\n"
        "  tcp-request content set-log-level err if { src 127.0.0.3 }\n"
        "  default_backend be\nbackend be\n"
        "  tcp-request content set-log-level alert if { src 127.0.0.4 }\n"
        "  server s 127.0.0.1:" +
        std::to_string(echo.port()) + "\n";
    HearthProcess h(cfg, options_for(binary, port));
    ASSERT_TRUE(h.ready()) << name_of(binary) << ": " << h.describe();
    const std::string who = name_of(binary);
    // .1: info, above the log's notice: no line. .2: silent. .3: err, .4:
    // alert (set by the backend's rule): written.
    for (const char* ip : {"127.0.0.1", "127.0.0.2", "127.0.0.3", "127.0.0.4"}) {
      UniqueFd fd(connect_from(ip, port));
      ASSERT_TRUE(send_all(fd.get(), "ping")) << who << " " << ip;
      EXPECT_EQ(recv_n(fd.get(), 4, milliseconds{5000}), "ping") << who << " " << ip;
    }
    EXPECT_NE(wait_log_line(h, {"tl 127.0.0.3"}), "") << who << "\n" << h.output();
    EXPECT_NE(wait_log_line(h, {"tl 127.0.0.4"}), "") << who << "\n" << h.output();
    EXPECT_TRUE(lines_with(h.output(), {"tl 127.0.0.1"}).empty()) << who << "\n" << h.output();
    EXPECT_TRUE(lines_with(h.output(), {"tl 127.0.0.2"}).empty()) << who << "\n" << h.output();
  }
}

}  // namespace
}  // namespace hearth::test::tcp
