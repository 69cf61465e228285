// show info's Jobs, Listeners, Stopping, Unstoppable Jobs, Idle_pct and Build info
// against HAProxy 2.6 on the same configuration and connections, and
// ActivePeers / ConnectedPeers between two peered Hearth processes.
#include <gtest/gtest.h>

#include <map>
#include <sstream>
#include <string>
#include <thread>

#include "http_test_util.h"
#include "show_info.h"
#include "support/client.h"
#include "support/ports.h"
#include "support/temp_dir.h"
#include "support/wait.h"

namespace hearth::test::http {
namespace {

using namespace std::chrono_literals;

TEST(ShowInfo, JobsAndListenersAsHAProxy) {
  std::vector<std::string> runs;
  for (const std::string binary : {"", "haproxy"}) {
    TempDir dir;
    const uint16_t web = free_tcp_port(), tcp = free_tcp_port(), peer = free_tcp_port();
    const std::string sock = dir.file("s.sock");
    const std::string cfg =
        "global\n  stats socket " + sock + " level admin\n  localpeer me\n" +
        "peers pp\n  peer me 127.0.0.1:" + std::to_string(peer) +
        "\ndefaults\n  timeout connect 1s\n  timeout client 5s\n  timeout server 5s\n"
        "frontend fe\n  mode http\n  bind 127.0.0.1:" +
        std::to_string(web) +
        "\n  http-request return status 200\n"
        "frontend ft\n  mode tcp\n  bind 127.0.0.1:" +
        std::to_string(tcp) +
        "\n  tcp-request content reject\n"
        "backend b\n  stick-table type ip size 10 peers pp\n";
    HearthOptions opt{.wait_ports = {web, tcp}};
    if (!binary.empty()) opt.binary = binary, opt.extra_args = {"-db"};
    HearthProcess h(cfg, opt);
    ASSERT_TRUE(h.ready()) << binary << h.describe();
    // Idle: the probes of the ports are gone, and so is the job of the
    // previous stats connection (HAProxy may count it for a moment after
    // its answer): only the listeners and the connection asking remain.
    std::map<std::string, std::string> i;  // the answer that settled
    auto idle = [&] {
      i = show_info(sock);
      return i["CurrConns"] == "0" && !i["Listeners"].empty() &&
             i["Jobs"] == std::to_string(std::stoi(i["Listeners"]) + 1);
    };
    ASSERT_TRUE(wait_until(idle, 3000ms)) << binary << " " << stats_command(sock, "show info");
    std::string run;
    for (const char* k : {"Jobs", "Listeners", "Stopping", "Unstoppable Jobs", "CurrConns"})
      run += std::string(k) + "=" + i[k] + " ";
    // Two clients held open: two more jobs.
    HttpClient a(web), b(web);
    ASSERT_TRUE(a.connected() && b.connected());
    ASSERT_EQ(a.request("GET", "/").status, 200);
    ASSERT_EQ(b.request("GET", "/").status, 200);
    // (HAProxy may again count the previous stats connection for a moment.)
    auto settled = [&] {
      i = show_info(sock);
      return i["CurrConns"] == "2" && i["Jobs"] == std::to_string(std::stoi(i["Listeners"]) + 3);
    };
    EXPECT_TRUE(wait_until(settled, 3000ms)) << binary << " " << stats_command(sock, "show info");
    for (const char* k : {"Jobs", "CurrConns"}) run += std::string(k) + "=" + i[k] + " ";
    runs.push_back(run);
    // The loops' idle share of the last second: a percentage, in both.
    const std::string idle_pct = show_info(sock)["Idle_pct"];
    ASSERT_FALSE(idle_pct.empty()) << binary;
    EXPECT_GE(std::stoi(idle_pct), 0) << binary;
    EXPECT_LE(std::stoi(idle_pct), 100) << binary;
    if (binary.empty()) {
      EXPECT_EQ(show_info(sock)["Build info"], show_info(sock)["Version"]);
    }
  }
  EXPECT_EQ(runs[0], runs[1]);
  // 3 listeners (2 bind lines, the peers section's) + the stats socket = 4;
  // jobs: those, and the connection asking.
  EXPECT_EQ(runs[0],
            "Jobs=5 Listeners=4 Stopping=0 Unstoppable Jobs=0 CurrConns=0 Jobs=7 CurrConns=2 ");
}

TEST(ShowInfo, ActiveAndConnectedPeers) {
  TempDir dir;
  const uint16_t pa = free_tcp_port(), pb = free_tcp_port();
  auto config = [&](const std::string& sock) {
    return "global\n  stats socket " + sock +
           " level admin\n"
           "peers pp\n  peer A 127.0.0.1:" +
           std::to_string(pa) + "\n  peer B 127.0.0.1:" + std::to_string(pb) +
           "\nbackend b\n  stick-table type ip size 10 peers pp\n";
  };
  const std::string sa = dir.file("a.sock"), sb = dir.file("b.sock");
  HearthOptions oa{.wait_ports = {pa}};
  oa.extra_args = {"-L", "A"};
  HearthProcess a(config(sa), oa);
  ASSERT_TRUE(a.ready()) << a.describe();
  // B is not there: A's session to it comes and goes, never established.
  std::this_thread::sleep_for(300ms);
  EXPECT_EQ(show_info(sa)["ConnectedPeers"], "0");
  HearthOptions ob{.wait_ports = {pb}};
  ob.extra_args = {"-L", "B"};
  {
    HearthProcess b(config(sb), ob);
    ASSERT_TRUE(b.ready()) << b.describe();
    // Once they meet, one session between them, established on both sides.
    EXPECT_TRUE(wait_until(
        [&] {
          return show_info(sa)["ConnectedPeers"] == "1" && show_info(sb)["ConnectedPeers"] == "1" &&
                 show_info(sa)["ActivePeers"] == "1" && show_info(sb)["ActivePeers"] == "1";
        },
        8000ms))
        << stats_command(sa, "show info") << stats_command(sb, "show info");
  }
  // B gone: A's session ends.
  EXPECT_TRUE(wait_until([&] { return show_info(sa)["ConnectedPeers"] == "0"; }, 8000ms))
      << stats_command(sa, "show info");
}

}  // namespace
}  // namespace hearth::test::http
