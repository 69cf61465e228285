// TCP mode: which server each session reaches, per balance algorithm and
// server state (weight, maxconn, backup, disabled).
#include <gtest/gtest.h>

#include <set>
#include <thread>

#include "integration/tcp_test_util.h"
#include "support/temp_dir.h"

namespace hearth::test::tcp {
namespace {

// Closes a client session and waits until hearth has ended it (its FIN back),
// so the server slot is free again before the next pick.
void end_session(UniqueFd& fd) {
  shutdown_write(fd.get());
  EXPECT_TRUE(peer_closed(fd.get(), milliseconds{3000}));
  fd.reset();
  // The slot is released right after the FIN is sent, in the same step.
  std::this_thread::sleep_for(milliseconds{50});
}

TEST(TcpBalance, WeightedRoundRobinSharesExactly) {
  NameServer a("a"), b("b"), c("c");
  TcpProxy proxy({.backend = "    balance roundrobin\n" + server_line("a", a.port(), "weight 1") +
                             server_line("b", b.port(), "weight 2") +
                             server_line("c", c.port(), "weight 3")});
  ASSERT_TRUE(proxy.hearth.ready()) << proxy.hearth.describe();

  EXPECT_EQ(tally(proxy.port, 60), (std::map<std::string, int>{{"a", 10}, {"b", 20}, {"c", 30}}));
  EXPECT_EQ(a.accepted(), 10u);
  EXPECT_EQ(b.accepted(), 20u);
  EXPECT_EQ(c.accepted(), 30u);
}

TEST(TcpBalance, RoundRobinIsSmoothWithinOneCycle) {
  NameServer a("a"), b("b"), c("c");
  TcpProxy proxy({.backend = server_line("a", a.port(), "weight 1") +
                             server_line("b", b.port(), "weight 2") +
                             server_line("c", c.port(), "weight 3")});
  ASSERT_TRUE(proxy.hearth.ready()) << proxy.hearth.describe();
  // Every window of 6 consecutive sessions holds exactly 1 a, 2 b, 3 c.
  std::string order;
  for (int i = 0; i < 12; ++i) order += reach(proxy.port);
  ASSERT_EQ(order.size(), 12u) << order;
  for (size_t i = 0; i + 6 <= order.size(); i += 6) {
    std::string w = order.substr(i, 6);
    EXPECT_EQ(std::count(w.begin(), w.end(), 'a'), 1) << order;
    EXPECT_EQ(std::count(w.begin(), w.end(), 'b'), 2) << order;
    EXPECT_EQ(std::count(w.begin(), w.end(), 'c'), 3) << order;
  }
}

TEST(TcpBalance, LeastConnSpreadsLongSessionsAndRefillsTheEmptiest) {
  NameServer a("a"), b("b"), c("c");
  TcpProxy proxy({.backend = "    balance leastconn\n" + server_line("a", a.port()) +
                             server_line("b", b.port()) + server_line("c", c.port())});
  ASSERT_TRUE(proxy.hearth.ready()) << proxy.hearth.describe();

  std::vector<UniqueFd> open(9);
  std::map<std::string, std::vector<int>> by_server;
  for (int i = 0; i < 9; ++i) by_server[reach(proxy.port, &open[i])].push_back(i);
  ASSERT_EQ(by_server.size(), 3u);
  for (auto& [name, ids] : by_server) EXPECT_EQ(ids.size(), 3u) << name;

  // Empty server b: the next sessions all go there, the least loaded.
  for (int i : by_server["b"]) end_session(open[i]);
  ASSERT_TRUE(b.wait_active(0, milliseconds{3000}));
  std::vector<UniqueFd> more(3);
  for (int i = 0; i < 3; ++i) EXPECT_EQ(reach(proxy.port, &more[i]), "b") << "session " << i;
}

TEST(TcpBalance, SourceKeepsEachClientAddressOnOneServer) {
  NameServer a("a"), b("b"), c("c");
  TcpProxy proxy({.backend = "    balance source\n" + server_line("a", a.port()) +
                             server_line("b", b.port()) + server_line("c", c.port())});
  ASSERT_TRUE(proxy.hearth.ready()) << proxy.hearth.describe();

  std::set<std::string> used;
  for (int host = 1; host <= 16; ++host) {
    std::string ip = "127.0.0." + std::to_string(host);
    std::set<std::string> seen;
    for (int i = 0; i < 4; ++i) {
      UniqueFd fd(connect_from(ip.c_str(), proxy.port));
      ASSERT_TRUE(fd.valid()) << ip;
      std::optional<std::string> name = recv_line(fd.get(), milliseconds{3000});
      ASSERT_TRUE(name.has_value()) << ip;
      seen.insert(*name);
    }
    EXPECT_EQ(seen.size(), 1u) << ip << " was sent to several servers";
    used.insert(seen.begin(), seen.end());
  }
  // The hash spreads different addresses (16 of them over 3 servers).
  EXPECT_GE(used.size(), 2u);
}

TEST(TcpBalance, FirstFillsServersInOrderUpToMaxconn) {
  NameServer a("a"), b("b"), c("c");
  TcpProxy proxy({.backend = "    balance first\n" + server_line("a", a.port(), "maxconn 2") +
                             server_line("b", b.port(), "maxconn 2") +
                             server_line("c", c.port(), "maxconn 2")});
  ASSERT_TRUE(proxy.hearth.ready()) << proxy.hearth.describe();

  std::vector<UniqueFd> open(5);
  std::string order;
  for (int i = 0; i < 5; ++i) order += reach(proxy.port, &open[i]);
  EXPECT_EQ(order, "aabbc");
  // A slot freed on a goes back to a, not to c.
  end_session(open[0]);
  UniqueFd again;
  EXPECT_EQ(reach(proxy.port, &again), "a");
}

TEST(TcpBalance, BackupIsIdleWhileAnActiveServerIsUsable) {
  NameServer active("active"), backup("backup");
  TcpProxy proxy({.backend = server_line("active", active.port()) +
                             server_line("backup", backup.port(), "backup")});
  ASSERT_TRUE(proxy.hearth.ready()) << proxy.hearth.describe();
  EXPECT_EQ(tally(proxy.port, 6), (std::map<std::string, int>{{"active", 6}}));
  EXPECT_EQ(backup.accepted(), 0u);
}

// Without health checks a server is "down" only by administration; a disabled
// active server is the way to put it out of service in a config.
TEST(TcpBalance, FirstBackupTakesOverWhenNoActiveServerIsUsable) {
  NameServer active("active"), backup1("backup1"), backup2("backup2");
  TcpProxy proxy({.backend = server_line("active", active.port(), "disabled") +
                             server_line("backup1", backup1.port(), "backup") +
                             server_line("backup2", backup2.port(), "backup")});
  ASSERT_TRUE(proxy.hearth.ready()) << proxy.hearth.describe();
  EXPECT_EQ(tally(proxy.port, 6), (std::map<std::string, int>{{"backup1", 6}}));
  EXPECT_EQ(active.accepted(), 0u);
}

TEST(TcpBalance, DisabledAndZeroWeightServersGetNoTraffic) {
  NameServer a("a"), off("off"), zero("zero"), c("c");
  TcpProxy proxy(
      {.backend = server_line("a", a.port()) + server_line("off", off.port(), "disabled") +
                  server_line("zero", zero.port(), "weight 0") + server_line("c", c.port())});
  ASSERT_TRUE(proxy.hearth.ready()) << proxy.hearth.describe();
  EXPECT_EQ(tally(proxy.port, 10), (std::map<std::string, int>{{"a", 5}, {"c", 5}}));
  EXPECT_EQ(off.accepted(), 0u);
  EXPECT_EQ(zero.accepted(), 0u);
}

// A server put in maintenance at runtime is "down" for the backup tier.
TEST(TcpBalance, BackupServesOnlyWhileTheActiveServerIsInMaintenance) {
  NameServer active("active"), backup("backup");
  TempDir dir;
  const std::string sock = dir.file("admin.sock");
  TcpProxy proxy({.global = "    stats socket " + sock + " level admin\n",
                  .backend = server_line("active", active.port()) +
                             server_line("backup", backup.port(), "backup")});
  ASSERT_TRUE(proxy.hearth.ready()) << proxy.hearth.describe();
  ASSERT_TRUE(wait_until([&] { return access(sock.c_str(), F_OK) == 0; }, milliseconds{2000}));

  EXPECT_EQ(tally(proxy.port, 4), (std::map<std::string, int>{{"active", 4}}));
  admin_command(sock, "disable server be/active");
  EXPECT_EQ(tally(proxy.port, 4), (std::map<std::string, int>{{"backup", 4}}));
  admin_command(sock, "enable server be/active");
  EXPECT_EQ(tally(proxy.port, 4), (std::map<std::string, int>{{"active", 4}}));
  EXPECT_EQ(active.accepted(), 8u);
  EXPECT_EQ(backup.accepted(), 4u);
}

}  // namespace
}  // namespace hearth::test::tcp
