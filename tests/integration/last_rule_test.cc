// last_rule_file and last_rule_line in the log: the last rule that ended a
// list (tcp-request content, tcp-response content in http mode, http-request,
// http-response), or none. Compared with HAProxy 2.6 on the same
// configuration (and its reg-test log/last_rule.vtc passes unchanged).
#include <gtest/gtest.h>

#include <string>

#include "http_test_util.h"
#include "support/client.h"
#include "support/datagram_listener.h"
#include "support/ports.h"

namespace hearth::test {
namespace {

// The line number of the first line of `cfg` containing `needle`.
int line_of(const std::string& cfg, const std::string& needle) {
  const size_t at = cfg.find(needle);
  int n = 1;
  for (size_t i = 0; i < at; ++i) n += cfg[i] == '\n';
  return n;
}

TEST(LastRule, LoggedForEachKindOfFinalRule) {
  DatagramListener log;
  const uint16_t port = free_tcp_port(), origin = free_tcp_port();
  const std::string cfg =
      "defaults\n  mode http\n  timeout client 5s\n  timeout server 5s\n  timeout connect 5s\n"
      "frontend fe\n  bind 127.0.0.1:" +
      std::to_string(port) + "\n  log " + log.address() +
      " format raw local0\n"
      "  log-format \"%HP lr=%[last_rule_file]:%[last_rule_line]\"\n"
      "  default_backend be\n"
      "backend be\n"
      "  tcp-request content set-var(txn.p) path\n"
      "  tcp-request content accept if { path /tacc }\n"
      "  tcp-request content reject if { path /trej }\n"
      "  tcp-response content reject if { var(txn.p) -m str /rrej }\n"
      "  http-request deny if { path /deny }\n"
      "  http-response allow if { var(txn.p) -m str /rallow }\n"
      "  server s 127.0.0.1:" +
      std::to_string(origin) +
      "\n"
      "frontend origin\n  bind 127.0.0.1:" +
      std::to_string(origin) + "\n  http-request return status 200\n";
  HearthProcess hearth(cfg, HearthOptions{.wait_ports = {port, origin}});
  ASSERT_TRUE(hearth.ready()) << hearth.describe();
  auto lr = [&](const std::string& path) {
    std::string line = log.next().value_or("none");
    const size_t at = line.find(" lr=");
    if (line.compare(0, path.size() + 1, path + " ") != 0 || at == std::string::npos)
      return "unexpected: " + line;
    line = line.substr(at + 4);
    const size_t slash = line.rfind('/', line.find(':'));
    return slash == std::string::npos ? line : line.substr(slash + 1);  // the file's base name
  };
  const std::string file = hearth.config_path().substr(hearth.config_path().rfind('/') + 1);
  auto at = [&](const std::string& needle) {
    return file + ":" + std::to_string(line_of(cfg, needle)) + "\n";
  };
  EXPECT_EQ(http_status(http_get(port, "/plain")), 200);
  EXPECT_EQ(lr("/plain"), "-:-\n");  // set-var ends nothing
  EXPECT_EQ(http_status(http_get(port, "/tacc")), 200);
  EXPECT_EQ(lr("/tacc"), at("accept if"));
  EXPECT_EQ(http_get(port, "/trej"), "");  // closed without a response
  EXPECT_EQ(lr("/trej"), at("reject if { path"));
  EXPECT_EQ(http_status(http_get(port, "/deny")), 403);
  EXPECT_EQ(lr("/deny"), at("deny if"));
  EXPECT_EQ(http_status(http_get(port, "/rallow")), 200);
  EXPECT_EQ(lr("/rallow"), at("allow if"));
  EXPECT_EQ(http_get(port, "/rrej"), "");  // tcp-response reject: closed, nothing sent
  EXPECT_EQ(lr("/rrej"), at("tcp-response content reject"));
}

}  // namespace
}  // namespace hearth::test
