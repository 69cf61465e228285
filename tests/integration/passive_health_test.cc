// Passive health (observe, error-limit, on-error) side by side with haproxy
// 2.6 on the same configuration: the same requests, then the same show stat
// columns and the same log lines. The server's traffic goes to a dead port
// (layer4) or to a server answering 503 (layer7) while its health checks go
// to a live port, so that only the observed errors can move its health.
#include <gtest/gtest.h>

#include <chrono>
#include <map>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

#include "health_line_mask.h"
#include "http_test_util.h"
#include "stat_csv.h"
#include "support/datagram_listener.h"
#include "support/hearth_process.h"
#include "support/ports.h"
#include "support/scripted_server.h"
#include "support/temp_dir.h"
#include "support/wait.h"

namespace hearth::test {
namespace {

using std::chrono::milliseconds;

struct Observed {
  std::map<std::string, std::string> stat;
  std::vector<std::string> logs;
  std::vector<int> statuses;
};

const char* const kColumns[] = {"status",   "check_status", "check_code", "check_duration",
                                "last_chk", "check_desc",   "chkfail",    "chkdown",
                                "hanafail", "check_health", "weight"};

// Runs `binary` ("" = hearth) on the backend `server_line` (with ${LIVE}
// and ${DEAD} replaced), waits for its first check, sends `requests` GETs,
// then reads show stat and the backend's log lines.
Observed observe(const std::string& binary, const std::string& backend_lines, int requests,
                 const std::string& target = "/") {
  TempDir dir;
  DatagramListener logs;
  const std::string sock = dir.file("s.sock");
  const uint16_t port = free_tcp_port();
  const std::string cfg = "global\n    stats socket " + sock +
                          " level admin\n"
                          "defaults\n    mode http\n    timeout connect 300ms\n"
                          "    timeout client 5s\n    timeout server 1s\n    retries 0\n"
                          "frontend fe\n    bind 127.0.0.1:" +
                          std::to_string(port) +
                          "\n    default_backend be\n"
                          "backend be\n    log " +
                          logs.address() + " local0\n" + backend_lines;
  HearthOptions o;
  o.wait_ports = {port};
  if (!binary.empty()) {
    o.binary = binary;
    o.extra_args = {"-db"};
  }
  HearthProcess p(cfg, o);
  Observed out;
  if (!p.ready()) {
    ADD_FAILURE() << p.describe();
    return out;
  }
  // The first check (at once for a single checked server, in both).
  EXPECT_TRUE(wait_until(
      [&] { return stat_row(sock, "be", "s1")["check_status"].find("L4OK") != std::string::npos; },
      milliseconds{5000}))
      << binary;
  for (int i = 0; i < requests; ++i) {
    http::HttpClient c(port);
    out.statuses.push_back(c.request("GET", target).status);
  }
  std::this_thread::sleep_for(milliseconds{300});  // the action runs on the check's thread
  const auto row = stat_row(sock, "be", "s1");
  for (const char* col : kColumns) out.stat[col] = row.count(col) ? row.at(col) : "(none)";
  // A duration in milliseconds is timing, not behaviour: only its presence
  // is compared.
  if (!out.stat["check_duration"].empty() && out.stat["check_duration"] != "(none)")
    out.stat["check_duration"] = "(ms)";
  while (auto line = logs.next(milliseconds{300})) out.logs.push_back(masked(*line));
  p.stop();
  return out;
}

void expect_same(const Observed& hearth, const Observed& haproxy) {
  EXPECT_EQ(hearth.statuses, haproxy.statuses);
  for (const auto& [k, v] : haproxy.stat) EXPECT_EQ(hearth.stat.at(k), v) << k;
  EXPECT_EQ(hearth.logs, haproxy.logs);
}

std::string layer4(const std::string& options, uint16_t dead, uint16_t live) {
  return "    option log-health-checks\n    server s1 127.0.0.1:" + std::to_string(dead) +
         " check port " + std::to_string(live) + " inter 5s observe layer4 " + options + "\n";
}

TEST(PassiveHealthSideBySide, Layer4FailCheckCountsOneFailedCheck) {
  ScriptedServer live(scripted::close_immediately());
  const uint16_t dead = free_tcp_port();
  const std::string be = layer4("error-limit 2", dead, live.port());
  const Observed hearth = observe("", be, 3);
  const Observed haproxy = observe("haproxy", be, 3);
  expect_same(hearth, haproxy);
  EXPECT_EQ(hearth.stat.at("status"), "UP 2/3");
  EXPECT_EQ(hearth.stat.at("check_status"), "HANA");
  EXPECT_EQ(hearth.stat.at("last_chk"),
            "Detected 2 consecutive errors, last one was: L4 unsuccessful connection");
  EXPECT_EQ(hearth.stat.at("hanafail"), "1");
}

TEST(PassiveHealthSideBySide, Layer4SuddenDeathLeavesOneFailureToDown) {
  ScriptedServer live(scripted::close_immediately());
  const uint16_t dead = free_tcp_port();
  const std::string be = layer4("error-limit 2 on-error sudden-death", dead, live.port());
  const Observed hearth = observe("", be, 2);
  const Observed haproxy = observe("haproxy", be, 2);
  expect_same(hearth, haproxy);
  EXPECT_EQ(hearth.stat.at("status"), "UP 1/3");
}

TEST(PassiveHealthSideBySide, Layer4MarkDownTakesTheServerDown) {
  ScriptedServer live(scripted::close_immediately());
  const uint16_t dead = free_tcp_port();
  const std::string be = layer4("error-limit 2 on-error mark-down", dead, live.port());
  const Observed hearth = observe("", be, 2);
  const Observed haproxy = observe("haproxy", be, 2);
  expect_same(hearth, haproxy);
  EXPECT_EQ(hearth.stat.at("status"), "DOWN");
  EXPECT_EQ(hearth.stat.at("chkdown"), "1");
}

// Without log-health-checks, the DOWN line carries the reason.
TEST(PassiveHealthSideBySide, MarkDownLineGivesTheReason) {
  ScriptedServer live(scripted::close_immediately());
  const uint16_t dead = free_tcp_port();
  const std::string be = "    server s1 127.0.0.1:" + std::to_string(dead) + " check port " +
                         std::to_string(live.port()) +
                         " inter 5s observe layer4 error-limit 1 on-error mark-down\n";
  const Observed hearth = observe("", be, 1);
  const Observed haproxy = observe("haproxy", be, 1);
  expect_same(hearth, haproxy);
  ASSERT_FALSE(hearth.logs.empty());
  EXPECT_NE(hearth.logs[0].find("is DOWN, reason: Health analyze, info: \"Detected 1 consecutive "
                                "errors, last one was: L4 unsuccessful connection\""),
            std::string::npos);
}

// on-error fastinter only moves the next check: the state stays, nothing is
// logged, but the limit counts in hanafail.
TEST(PassiveHealthSideBySide, FastinterLeavesTheStateAlone) {
  ScriptedServer live(scripted::close_immediately());
  const uint16_t dead = free_tcp_port();
  const std::string be = layer4("error-limit 1 on-error fastinter", dead, live.port());
  const Observed hearth = observe("", be, 2);
  const Observed haproxy = observe("haproxy", be, 2);
  expect_same(hearth, haproxy);
  EXPECT_EQ(hearth.stat.at("status"), "UP");
  EXPECT_EQ(hearth.stat.at("hanafail"), "2");
}

// Layer 7: 5xx responses count (501 and 505 do not), as do failed connects.
TEST(PassiveHealthSideBySide, Layer7CountsServerErrors) {
  ScriptedServer live(scripted::close_immediately());
  ScriptedServer bad(scripted::reply_and_close(
      "HTTP/1.1 503 Service Unavailable\r\ncontent-length: 0\r\nconnection: close\r\n\r\n"));
  const std::string be =
      "    option log-health-checks\n    server s1 127.0.0.1:" + std::to_string(bad.port()) +
      " check port " + std::to_string(live.port()) + " inter 5s observe layer7 error-limit 3\n";
  const Observed hearth = observe("", be, 3);
  const Observed haproxy = observe("haproxy", be, 3);
  expect_same(hearth, haproxy);
  EXPECT_EQ(hearth.stat.at("last_chk"),
            "Detected 3 consecutive errors, last one was: Wrong http response");
}

TEST(PassiveHealthSideBySide, Layer7Ignores501) {
  ScriptedServer live(scripted::close_immediately());
  ScriptedServer fine(scripted::reply_and_close(
      "HTTP/1.1 501 Not Implemented\r\ncontent-length: 0\r\nconnection: close\r\n\r\n"));
  const std::string be = "    server s1 127.0.0.1:" + std::to_string(fine.port()) + " check port " +
                         std::to_string(live.port()) + " inter 5s observe layer7 error-limit 1\n";
  const Observed hearth = observe("", be, 2);
  const Observed haproxy = observe("haproxy", be, 2);
  expect_same(hearth, haproxy);
  EXPECT_EQ(hearth.stat.at("hanafail"), "0");
  EXPECT_EQ(hearth.stat.at("check_status"), "L4OK");
}

TEST(PassiveHealthSideBySide, Layer7InvalidAndClosedResponses) {
  ScriptedServer live(scripted::close_immediately());
  ScriptedServer garbage(scripted::reply_and_close("HTTP/1.1 abc\r\n\r\n"));
  ScriptedServer closing(scripted::reply_and_close(""));
  for (const ScriptedServer* srv : {&garbage, &closing}) {
    const std::string be = "    server s1 127.0.0.1:" + std::to_string(srv->port()) +
                           " check port " + std::to_string(live.port()) +
                           " inter 5s observe layer7 error-limit 1\n";
    const Observed hearth = observe("", be, 1);
    const Observed haproxy = observe("haproxy", be, 1);
    expect_same(hearth, haproxy);
    EXPECT_EQ(hearth.stat.at("check_status"), "HANA");
  }
}

// Each failed connect counts, retries included.
TEST(PassiveHealthSideBySide, RetriesCountAsErrors) {
  ScriptedServer live(scripted::close_immediately());
  const uint16_t dead = free_tcp_port();
  const std::string be = "    retries 1\n" + layer4("error-limit 4", dead, live.port());
  const Observed hearth = observe("", be, 2);
  const Observed haproxy = observe("haproxy", be, 2);
  expect_same(hearth, haproxy);
  EXPECT_EQ(hearth.stat.at("hanafail"), "1");
}

TEST(PassiveHealthConfig, RefusedValuesAndLayer7OutsideHttp) {
  auto check = [](const std::string& mode, const std::string& opts) {
    return HearthProcess::check_config("defaults\n    mode " + mode +
                                       "\n    timeout connect 1s\n    timeout client 1s\n"
                                       "    timeout server 1s\nbackend b\n    server s "
                                       "127.0.0.1:1 check " +
                                       opts + "\n");
  };
  EXPECT_EQ(check("http", "observe layer7 error-limit 5 on-error mark-down slowstart 3s").exit_code,
            0);
  EXPECT_EQ(check("tcp", "observe layer4 on-error sudden-death").exit_code, 0);
  for (const char* bad : {"observe layer5", "error-limit 0", "error-limit x", "on-error foo",
                          "slowstart x", "slowstart -1"}) {
    const RunResult r = check("http", bad);
    EXPECT_NE(r.exit_code, 0) << bad;
  }
  const RunResult l7 = check("tcp", "observe layer7");
  EXPECT_NE(l7.exit_code, 0);
  EXPECT_NE(l7.output.find("observe layer7"), std::string::npos) << l7.output;
}

}  // namespace
}  // namespace hearth::test
