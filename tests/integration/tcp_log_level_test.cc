// tcp-request content and tcp-response content set-log-level (the
// frontend's and the backend's) through the real binary and through HAProxy 2.6 with the same
// configuration: the session's log line takes the rule's level (written when the global log line's
// level allows it), and "silent" writes none.
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

// tcp-response content set-log-level: decided on the server's bytes; the
// syslog priority of the line shows the level (local0 = facility 16).
std::string response_level_config(uint16_t port, uint16_t echo, const std::string& format) {
  return "global\n  log stdout format rfc3164 local0 debug\n"
         "defaults\n  mode tcp\n  log global\n  log-format \"" +
         format +
         "\"\n"
         "  timeout connect 2s\n  timeout client 10s\n  timeout server 10s\n"
         "frontend fe\n  bind 127.0.0.1:" +
         std::to_string(port) +
         "\n  default_backend be\nbackend be\n"
         "  tcp-response inspect-delay 2s\n"
         "  tcp-response content set-log-level err if { res.payload(0,3) -m str err }\n"
         "  tcp-response content set-log-level silent if { res.payload(0,3) -m str sil }\n"
         "  tcp-response content set-log-level alert if { src 127.0.0.4 }\n"
         "  server s 127.0.0.1:" +
         std::to_string(echo) + "\n";
}

// Returns: the syslog priority of each client's line ("none" without one).
// `want` is what the caller expects: each client whose line is expected is
// waited for (closed, then its line) before the next one connects, so lines
// of sessions ending on different threads cannot arrive out of order.
std::vector<std::string> response_levels(const std::string& binary, const std::string& format,
                                         const std::vector<std::string>& want) {
  EchoServer echo;
  const uint16_t port = free_tcp_port();
  HearthProcess h(response_level_config(port, echo.port(), format), options_for(binary, port));
  EXPECT_TRUE(h.ready()) << name_of(binary) << ": " << h.describe();
  if (!h.ready()) return {};
  const char* const cases[][2] = {
      {"127.0.0.1", "ping"}, {"127.0.0.2", "sil!"}, {"127.0.0.3", "err!"}, {"127.0.0.4", "ping"}};
  for (size_t i = 0; i < 4; ++i) {
    const auto& c = cases[i];
    {
      UniqueFd fd(connect_from(c[0], port));
      EXPECT_TRUE(send_all(fd.get(), c[1])) << c[0];
      EXPECT_EQ(recv_n(fd.get(), 4, milliseconds{5000}), c[1]) << c[0];
    }
    if (i < want.size() && want[i] != "none") {
      EXPECT_NE(wait_log_line(h, {std::string("tl ") + c[0] + " "}), "") << h.output();
    }
  }
  std::vector<std::string> out;
  for (const auto& c : cases) {
    const std::vector<std::string> l = lines_with(h.output(), {std::string("tl ") + c[0] + " "});
    out.push_back(l.empty() ? "none" : l[0].substr(0, l[0].find('>') + 1));
  }
  return out;
}

TEST(TcpLogLevel, ResponseRulesSetTheLineLevelAsHAProxy) {
  for (const std::string binary : kBinaries) {
    // %ts is known at the end: the line is written then, at the rule's level.
    const std::vector<std::string> at_end{"<134>", "none", "<131>", "<129>"};
    EXPECT_EQ(response_levels(binary, "tl %ci %ts", at_end), at_end) << name_of(binary);
    // Nothing needs the end: HAProxy writes the line when the server
    // connection is up, before the response rules run: always info.
    const std::vector<std::string> at_connect{"<134>", "<134>", "<134>", "<134>"};
    EXPECT_EQ(response_levels(binary, "tl %ci %b", at_connect), at_connect) << name_of(binary);
  }
}

}  // namespace
}  // namespace hearth::test::tcp
