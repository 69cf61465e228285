// tune.pool-low-fd-ratio and tune.pool-high-fd-ratio through the real
// binary, with the descriptor limit at 256 and a ratio at 4 % (10 live
// connections), crossed by holding idle client connections open.
#include <gtest/gtest.h>
#include <sys/resource.h>

#include <memory>
#include <string>
#include <thread>
#include <vector>

#include "http_test_util.h"
#include "support/client.h"
#include "support/ports.h"
#include "support/temp_dir.h"
#include "support/wait.h"

namespace hearth::test {
namespace {

using std::chrono::milliseconds;

// Five requests, each on a client connection of its own.
void five_requests(uint16_t port) {
  for (int i = 0; i < 5; ++i) ASSERT_EQ(http_status(http_get(port, "/")), 200) << i;
}

// Hearth with its descriptor limit at exactly 256 (it only ever raises the
// limit: it starts below) and `tuning` in its global section.
struct LimitedProxy {
  TempDir dir;
  std::string sock = dir.file("stats.sock");
  uint16_t port = free_tcp_port();
  std::unique_ptr<HearthProcess> h;
  LimitedProxy(uint16_t be_port, const std::string& tuning, const std::string& reuse) {
    const std::string cfg = "global\n  nbthread 1\n  ulimit-n 256\n" + tuning + "  stats socket " +
                            sock +
                            "\ndefaults\n  mode http\n  timeout connect 2s\n  timeout client 5s\n"
                            "  timeout server 5s\n"
                            "frontend fe\n  bind 127.0.0.1:" +
                            std::to_string(port) +
                            "\n  default_backend be\n"
                            "backend be\n  http-reuse " +
                            reuse + "\n  server s 127.0.0.1:" + std::to_string(be_port) + "\n";
    rlimit saved{};
    getrlimit(RLIMIT_NOFILE, &saved);
    rlimit low = saved;
    low.rlim_cur = 128;
    setrlimit(RLIMIT_NOFILE, &low);
    h = std::make_unique<HearthProcess>(cfg, HearthOptions{.wait_ports = {port}});
    setrlimit(RLIMIT_NOFILE, &saved);
  }
  std::string info() const { return http::stats_command(sock, "show info"); }
  // Starts and checks the limit took. Returns: false if either failed.
  bool ready() const { return h->ready() && info().find("Ulimit-n: 256\n") != std::string::npos; }
  // Opens n idle client connections, held until the vector goes.
  std::vector<UniqueFd> hold(int n) const {
    std::vector<UniqueFd> held;
    for (int i = 0; i < n; ++i) held.emplace_back(connect_tcp(port, milliseconds{1000}));
    EXPECT_TRUE(wait_conns(n));
    return held;
  }
  bool wait_conns(int n) const {
    const std::string want = "CurrConns: " + std::to_string(n) + "\n";
    return wait_until([&] { return info().find(want) != std::string::npos; }, milliseconds{3000});
  }
};

TEST(PoolFdRatio, IdleServerConnectionsAreNotKeptAboveTheLowRatio) {
  http::HttpBackend be;
  LimitedProxy px(be.port(), "  tune.pool-low-fd-ratio 4\n", "always");
  ASSERT_TRUE(px.ready()) << px.h->describe() << px.info();
  const uint16_t port = px.port;

  // Below 10 connections (256 * 4 %): one server connection serves them all.
  five_requests(port);
  EXPECT_EQ(be.connections(), 1u);

  // 12 client connections held open: every exchange's server connection is
  // closed instead of parked, so each request after the first opens one.
  std::vector<UniqueFd> held = px.hold(12);
  five_requests(port);
  EXPECT_EQ(be.connections(), 5u);  // the parked one, then four new ones
  ASSERT_TRUE(wait_until([&] { return be.active() == 0; }, milliseconds{3000}));

  // Back below the ratio: pooling again.
  held.clear();
  ASSERT_TRUE(px.wait_conns(0));
  five_requests(port);
  EXPECT_EQ(be.connections(), 6u);
}

// tune.pool-high-fd-ratio: a request that must open a new server connection
// (under http-reuse safe a client's first request takes no idle one) closes
// one of the server's idle connections first while more than 10 are open.
TEST(PoolFdRatio, ANewConnectionRetiresAnIdleOneAboveTheHighRatio) {
  http::HttpBackend be;
  LimitedProxy px(be.port(), "  tune.pool-high-fd-ratio 4\n  tune.pool-low-fd-ratio 100\n", "safe");
  ASSERT_TRUE(px.ready()) << px.h->describe() << px.info();
  const uint16_t port = px.port;
  // Below the ratio, each new client's first request adds a connection and
  // the finished ones stay parked.
  ASSERT_EQ(http_status(http_get(port, "/")), 200);
  ASSERT_EQ(http_status(http_get(port, "/")), 200);
  std::this_thread::sleep_for(milliseconds{200});
  EXPECT_EQ(be.connections(), 2u);
  EXPECT_EQ(be.active(), 2);
  // Above it: the next one closes the oldest idle connection first.
  std::vector<UniqueFd> held = px.hold(12);
  ASSERT_EQ(http_status(http_get(port, "/")), 200);
  std::this_thread::sleep_for(milliseconds{200});
  EXPECT_EQ(be.connections(), 3u);
  EXPECT_EQ(be.active(), 2);  // one retired, the new one parked
}

}  // namespace
}  // namespace hearth::test
