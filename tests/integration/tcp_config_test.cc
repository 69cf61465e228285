// Configuration errors a user can act on: `hearth -c` names the file, the line
// and the keyword; a valid file passes; a bind that cannot be opened stops the
// start with the bind line named.
#include <gtest/gtest.h>

#include "integration/tcp_test_util.h"

namespace hearth::test::tcp {
namespace {

// Lines 1-5; the frontend starts on line 6.
constexpr const char* kHead =
    "defaults\n"
    "    mode tcp\n"
    "    timeout connect 1s\n"
    "    timeout client 1s\n"
    "    timeout server 1s\n";

struct BadConfig {
  const char* name;
  std::string body;     // appended to kHead
  int line;             // where the error is
  const char* keyword;  // quoted in the message
  const char* detail;   // also in the message
};

std::string valid_body() {
  return "frontend fe\n"                    // 6
         "    bind 127.0.0.1:8080\n"        // 7
         "    default_backend be\n"         // 8
         "backend be\n"                     // 9
         "    server s1 127.0.0.1:9001\n";  // 10
}

std::vector<BadConfig> bad_configs() {
  return {
      {"unknown keyword",
       "frontend fe\n    bind 127.0.0.1:8080\n    frobnicate on\n    default_backend be\n"
       "backend be\n    server s1 127.0.0.1:9001\n",
       8, "'frobnicate'", "unknown keyword"},
      {"bad timeout value",
       "frontend fe\n    bind 127.0.0.1:8080\n    default_backend be\n"
       "    timeout client 10parsecs\n"
       "backend be\n    server s1 127.0.0.1:9001\n",
       9, "'timeout client'", "10parsecs"},
      {"server port out of range",
       "frontend fe\n    bind 127.0.0.1:8080\n    default_backend be\n"
       "backend be\n    server s1 127.0.0.1:+70000\n",
       10, "'server'", "port"},
      {"default_backend names a missing backend",
       "frontend fe\n    bind 127.0.0.1:8080\n    default_backend nowhere\n"
       "backend be\n    server s1 127.0.0.1:9001\n",
       8, "'default_backend'", "nowhere"},
      {"bind in a backend",
       "frontend fe\n    bind 127.0.0.1:8080\n    default_backend be\n"
       "backend be\n    bind 127.0.0.1:8081\n    server s1 127.0.0.1:9001\n",
       10, "'bind'", "backend"},
      {"unknown balance algorithm",
       "frontend fe\n    bind 127.0.0.1:8080\n    default_backend be\n"
       "backend be\n    balance fastest\n    server s1 127.0.0.1:9001\n",
       10, "'balance'", "fastest"},
      {"unset environment variable in bind",
       "frontend fe\n    bind \"127.0.0.1:${HEARTH_TCP_TEST_SURELY_UNSET}\"\n"
       "    default_backend be\nbackend be\n    server s1 127.0.0.1:9001\n",
       7, "bind", "HEARTH_TCP_TEST_SURELY_UNSET"},
  };
}

TEST(TcpConfig, CheckRefusesBadConfigsWithFileLineAndKeyword) {
  for (const BadConfig& c : bad_configs()) {
    SCOPED_TRACE(c.name);
    RunResult r = HearthProcess::check_config(std::string(kHead) + c.body);
    EXPECT_EQ(r.exit_code, 1) << r.output;
    std::string where = r.config_path + ":" + std::to_string(c.line) + ":";
    std::vector<std::string> lines = lines_with(r.output, {where, c.keyword, c.detail});
    EXPECT_FALSE(lines.empty()) << "want a line with '" << where << "', " << c.keyword << ", '"
                                << c.detail << "' in:\n"
                                << r.output;
  }
}

TEST(TcpConfig, CheckAcceptsAValidConfig) {
  RunResult r = HearthProcess::check_config(std::string(kHead) + valid_body());
  EXPECT_EQ(r.exit_code, 0) << r.output;
  EXPECT_EQ(r.output.find("ALERT"), std::string::npos) << r.output;
}

TEST(TcpConfig, CheckReportsEveryErrorInOneRun) {
  RunResult r = HearthProcess::check_config(
      std::string(kHead) +
      "frontend fe\n    bind 127.0.0.1:8080\n    frobnicate on\n    default_backend be\n"
      "backend be\n    balance fastest\n    server s1 127.0.0.1:9001\n");
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_FALSE(lines_with(r.output, {r.config_path + ":8:", "'frobnicate'"}).empty()) << r.output;
  EXPECT_FALSE(lines_with(r.output, {r.config_path + ":11:", "'balance'"}).empty()) << r.output;
}

TEST(TcpConfig, StartFailsWhenTheBindPortIsTaken) {
  uint16_t port = 0;
  UniqueFd taken(listen_loopback(0, &port));
  ASSERT_TRUE(taken.valid());
  std::string cfg = std::string(kHead) + "frontend fe\n    bind 127.0.0.1:" + std::to_string(port) +
                    "\n    default_backend be\nbackend be\n" + server_line("s1", 9001);
  HearthProcess h(cfg, {.wait_output = "listening on", .timeout = milliseconds{5000}});
  EXPECT_FALSE(h.ready());
  EXPECT_EQ(h.process().wait_exit(milliseconds{5000}), 1);
  std::vector<std::string> lines =
      lines_with(h.output(), {h.config_path() + ":7:", "'bind'", std::to_string(port)});
  EXPECT_FALSE(lines.empty()) << h.output();
}

}  // namespace
}  // namespace hearth::test::tcp
