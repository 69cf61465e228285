// Check rules and agent-check, Hearth and haproxy 2.6 on the same
// configuration against the same scripted peers: `show stat` must give the
// same state, check_status, check_code, last_chk, weight and agent columns.
#include <gtest/gtest.h>

#include <chrono>
#include <map>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

#include "http_test_util.h"
#include "support/hearth_process.h"
#include "support/ports.h"
#include "support/scripted_server.h"
#include "support/temp_dir.h"
#include "support/wait.h"

namespace hearth::test {
namespace {

using std::chrono::milliseconds;

std::map<std::string, std::string> stat_row(const std::string& sock, const std::string& be) {
  std::istringstream in(http::stats_command(sock, "show stat"));
  std::vector<std::string> names;
  for (std::string line; std::getline(in, line);) {
    std::vector<std::string> cols;
    std::stringstream ls(line.rfind("# ", 0) == 0 ? line.substr(2) : line);
    for (std::string c; std::getline(ls, c, ',');) cols.push_back(c);
    if (line.rfind("# ", 0) == 0) {
      names = cols;
      continue;
    }
    if (cols.size() < 2 || cols[0] != be || cols[1] != "s") continue;
    std::map<std::string, std::string> out;
    for (size_t i = 0; i < names.size() && i < cols.size(); ++i) out[names[i]] = cols[i];
    return out;
  }
  return {};
}

// The columns compared, per backend, once `settled` holds for every backend.
std::map<std::string, std::string> observe(const std::string& binary, const std::string& body,
                                           const std::vector<std::string>& backends) {
  TempDir dir;
  const std::string sock = dir.file("s.sock");
  const uint16_t port = free_tcp_port();
  const std::string cfg = "global\n    stats socket " + sock +
                          " level admin\n"
                          "defaults\n    mode tcp\n    timeout connect 1s\n    timeout client 5s\n"
                          "    timeout server 5s\n    timeout check 1s\n"
                          "frontend fe\n    bind 127.0.0.1:" +
                          std::to_string(port) + "\n    default_backend " + backends[0] + "\n" +
                          body;
  HearthOptions o;
  o.wait_ports = {port};
  if (!binary.empty()) {
    o.binary = binary;
    o.extra_args = {"-db"};
  }
  HearthProcess p(cfg, o);
  if (!p.ready()) {
    ADD_FAILURE() << p.describe();
    return {};
  }
  std::map<std::string, std::string> out;
  // Results settle after a few checks (inter 100ms).
  wait_until(
      [&] {
        for (const std::string& be : backends) {
          auto r = stat_row(sock, be);
          // "INI", or "* INI" while a first check is in flight (haproxy).
          if (r["check_status"].find("INI") != std::string::npos ||
              r["agent_status"].find("INI") != std::string::npos)
            return false;
        }
        return true;
      },
      milliseconds{5000});
  std::this_thread::sleep_for(milliseconds{400});
  for (const std::string& be : backends) {
    auto r = stat_row(sock, be);
    for (const char* col : {"status", "weight", "slim", "check_status", "check_code", "last_chk",
                            "agent_status", "last_agt"})
      out[be + "." + col] = r[col];
  }
  p.stop();
  return out;
}

TEST(CheckRulesSideBySide, TcpCheckHttpCheckAndAgentAsHAProxy) {
  ScriptedServer greeter(scripted::send_and_close("hello world\r\n"));
  ScriptedServer http(
      scripted::reply_and_close("HTTP/1.1 503 Service Unavailable\r\ncontent-length: 0\r\n\r\n"));
  ScriptedServer agent(scripted::send_and_close("50% maxconn:30 drain # busy\n"));
  ScriptedServer agent_down(scripted::send_and_close("down # maintenance window\n"));
  const uint16_t dead = free_tcp_port();
  auto p = [](uint16_t n) { return std::to_string(n); };
  const std::string body =
      "backend t1\n    option tcp-check\n    tcp-check connect\n"
      "    tcp-check expect string bye comment \"wants bye\"\n"
      "    server s 127.0.0.1:" +
      p(greeter.port()) +
      " check inter 100ms\n"
      "backend t2\n    option tcp-check\n    tcp-check connect port " +
      p(dead) +
      "\n"
      "    server s 127.0.0.1:" +
      p(greeter.port()) +
      " check inter 100ms\n"
      "backend t3\n    option tcp-check\n    tcp-check expect rstring ^hello\n"
      "    server s 127.0.0.1:" +
      p(greeter.port()) +
      " check inter 100ms\n"
      "backend h1\n    option httpchk GET /\n    http-check expect status 200\n"
      "    server s 127.0.0.1:" +
      p(http.port()) +
      " check inter 100ms\n"
      "backend a1\n    server s 127.0.0.1:" +
      p(dead) + " weight 100 agent-check agent-port " + p(agent.port()) +
      " agent-inter 100ms\n"
      "backend a2\n    server s 127.0.0.1:" +
      p(dead) + " agent-check agent-port " + p(agent_down.port()) + " agent-inter 100ms\n";
  const std::vector<std::string> backends = {"t1", "t2", "t3", "h1", "a1", "a2"};
  const auto hearth = observe("", body, backends);
  const auto haproxy = observe("haproxy", body, backends);
  ASSERT_FALSE(hearth.empty());
  ASSERT_FALSE(haproxy.empty());
  // A known difference, left out: haproxy's weight column keeps the agent's
  // weight while the agent drains the server (Hearth shows 0, as for any drain).
  for (const auto& [k, v] : haproxy) {
    if (k == "a1.weight") continue;
    EXPECT_EQ(hearth.at(k), v) << k;
  }
  // And what they both say, so that a change on both sides is noticed.
  EXPECT_EQ(hearth.at("t1.last_chk"),
            "TCPCHK did not match content 'bye' at step 2 comment: wants bye");
  EXPECT_EQ(hearth.at("t3.check_status"), "L7OK");
  EXPECT_EQ(hearth.at("a1.status"), "DRAIN (agent)");
  EXPECT_EQ(hearth.at("a2.status"), "DOWN (agent)");
  EXPECT_EQ(hearth.at("a1.agent_status"), "CHECKED");
  EXPECT_EQ(hearth.at("a1.last_agt"), "");
  EXPECT_EQ(hearth.at("a1.slim"), "30");
  EXPECT_EQ(hearth.at("a2.last_agt"), "via agent : down (maintenance window)");
}

}  // namespace
}  // namespace hearth::test
