// Health-check logging through the real binary: a backend's own "log"
// targets receive its servers' state changes and, under option
// log-health-checks, each check result that moves a server's health or
// changes the check's status, with
// HAProxy 2.6's wording and levels (the expected lines were captured from
// haproxy 2.6 on the same configuration; only date, pid and durations differ;
// a listen section is a "proxy" in them).
#include <gtest/gtest.h>

#include <optional>
#include <regex>
#include <string>
#include <vector>

#include "http_test_util.h"
#include "support/datagram_listener.h"
#include "support/ports.h"
#include "support/scripted_server.h"

namespace hearth::test {
namespace {

using std::chrono::milliseconds;

std::string masked(std::string line) {
  static const std::regex date(R"([A-Z][a-z]{2} [ 1-3]\d \d\d:\d\d:\d\d)");
  static const std::regex pid(R"(haproxy\[\d+\])");
  static const std::regex took(R"(check duration: \d+ms)");
  line = std::regex_replace(line, date, "DATE");
  line = std::regex_replace(line, pid, "haproxy[PID]");
  return std::regex_replace(line, took, "check duration: Nms");
}

// Lines of `l` until `n` arrived or none came for a while.
std::vector<std::string> receive(DatagramListener& l, size_t n) {
  std::vector<std::string> out;
  while (out.size() < n) {
    auto d = l.next(milliseconds(5000));
    if (!d) break;
    out.push_back(masked(*d));
  }
  return out;
}

std::string config(const DatagramListener& global, const DatagramListener& own, uint16_t port,
                   uint16_t srv, const std::string& extra) {
  return "global\n  log " + global.address() +
         " local0\n"
         "defaults\n  mode tcp\n  timeout connect 1s\n  timeout client 5s\n"
         "  timeout server 5s\n"
         "listen be\n  bind 127.0.0.1:" +
         std::to_string(port) + "\n  log " + own.address() + " local1\n" + extra +
         "  server s1 127.0.0.1:" + std::to_string(srv) + " check inter 100ms rise 2 fall 2\n";
}

TEST(HealthLog, LogHealthChecksSendsEveryMoveOfTheCounterToTheBackendTargets) {
  DatagramListener global, own;
  const uint16_t port = free_tcp_port();
  auto srv = std::make_optional<ScriptedServer>(scripted::send_and_close(""));
  const uint16_t srv_port = srv->port();
  HearthProcess h(config(global, own, port, srv_port, "  option log-health-checks\n"),
                  HearthOptions{.wait_ports = {port}});
  ASSERT_TRUE(h.ready()) << h.describe();
  // Starting UP at `rise`: the first success takes it to fully UP.
  EXPECT_EQ(receive(own, 1),
            std::vector<std::string>{
                "<141>DATE haproxy[PID]: Health check for server be/s1 succeeded, reason: Layer4 "
                "check passed, check duration: Nms, status: 2/2 UP.\n"});
  srv.reset();
  const std::string refused =
      "failed, reason: Layer4 connection problem, info: \"Connection refused\", check "
      "duration: Nms, status: ";
  EXPECT_EQ(receive(own, 4),
            (std::vector<std::string>{
                "<141>DATE haproxy[PID]: Health check for server be/s1 " + refused + "1/2 UP.\n",
                "<141>DATE haproxy[PID]: Health check for server be/s1 " + refused + "0/2 DOWN.\n",
                "<137>DATE haproxy[PID]: Server be/s1 is DOWN. 0 active and 0 backup servers "
                "left. 0 sessions active, 0 requeued, 0 remaining in queue.\n",
                "<136>DATE haproxy[PID]: proxy be has no server available!\n"}));
  srv.emplace(scripted::send_and_close(""), srv_port);
  const std::string passed =
      "succeeded, reason: Layer4 check passed, check duration: Nms, status: ";
  EXPECT_EQ(receive(own, 3),
            (std::vector<std::string>{
                "<141>DATE haproxy[PID]: Health check for server be/s1 " + passed + "1/2 DOWN.\n",
                "<141>DATE haproxy[PID]: Health check for server be/s1 " + passed + "2/2 UP.\n",
                "<141>DATE haproxy[PID]: Server be/s1 is UP. 1 active and 0 backup servers "
                "online. 0 sessions requeued, 0 total in queue.\n"}));
  // A fully UP server's passing checks move nothing: no more lines.
  EXPECT_TRUE(own.none_within(milliseconds(400)));
  // Without "log global" the backend's lines stay off the global targets.
  EXPECT_TRUE(global.none_within(milliseconds(50)));
}

// With rise 1 fall 1 a server starts fully UP, so its first passing check
// moves no counter; HAProxy logs it all the same, because the check's status
// changed (from none to L4OK). Later passing checks repeat the status and are
// not logged. (Lines captured from haproxy 2.6 on the same configuration;
// HAProxy's reg-tests checks/4be_1srv_health_checks and the other checks/
// tests wait for this first line.)
TEST(HealthLog, LogHealthChecksSendsAChangeOfStatusThatMovesNoCounter) {
  DatagramListener global, own;
  const uint16_t port = free_tcp_port();
  ScriptedServer srv(scripted::send_and_close(""));
  std::string cfg = config(global, own, port, srv.port(), "  option log-health-checks\n");
  cfg.replace(cfg.find("rise 2 fall 2"), 13, "rise 1 fall 1");
  HearthProcess h(cfg, HearthOptions{.wait_ports = {port}});
  ASSERT_TRUE(h.ready()) << h.describe();
  EXPECT_EQ(receive(own, 1),
            std::vector<std::string>{
                "<141>DATE haproxy[PID]: Health check for server be/s1 succeeded, reason: Layer4 "
                "check passed, check duration: Nms, status: 1/1 UP.\n"});
  EXPECT_TRUE(own.none_within(milliseconds(400)));
}

TEST(HealthLog, WithoutTheOptionOnlyStateChangesAreSentWithTheirReason) {
  DatagramListener global, own;
  const uint16_t port = free_tcp_port();
  const uint16_t dead = free_tcp_port();
  HearthProcess h(config(global, own, port, dead, "  log global\n"),
                  HearthOptions{.wait_ports = {port}});
  ASSERT_TRUE(h.ready()) << h.describe();
  const std::vector<std::string> want = {
      "<137>DATE haproxy[PID]: Server be/s1 is DOWN, reason: Layer4 connection problem, info: "
      "\"Connection refused\", check duration: Nms. 0 active and 0 backup servers left. 0 "
      "sessions active, 0 requeued, 0 remaining in queue.\n",
      "<136>DATE haproxy[PID]: proxy be has no server available!\n"};
  EXPECT_EQ(receive(own, 2), want);
  // "log global" adds the global targets (facility local0: 8 less).
  std::vector<std::string> g = receive(global, 2);
  ASSERT_EQ(g.size(), 2u);
  EXPECT_EQ(g[0].substr(0, 5), "<129>") << g[0];
  EXPECT_EQ(g[1], "<128>DATE haproxy[PID]: proxy be has no server available!\n");
  EXPECT_TRUE(own.none_within(milliseconds(300)));
}

}  // namespace
}  // namespace hearth::test
