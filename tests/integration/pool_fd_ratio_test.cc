// tune.pool-low-fd-ratio through the real binary: with the descriptor limit
// at 256 and the ratio at 4 %, idle server connections are kept while fewer
// than 10 connections are open, and closed after their exchange while more
// are (idle client connections held open); pooling resumes once they go.
#include <gtest/gtest.h>
#include <sys/resource.h>

#include <string>
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

TEST(PoolFdRatio, IdleServerConnectionsAreNotKeptAboveTheLowRatio) {
  http::HttpBackend be;
  TempDir dir;
  const std::string sock = dir.file("stats.sock");
  const uint16_t port = free_tcp_port();
  const std::string cfg = "global\n  ulimit-n 256\n  tune.pool-low-fd-ratio 4\n  stats socket " +
                          sock +
                          "\ndefaults\n  mode http\n  timeout connect 2s\n  timeout client 5s\n"
                          "  timeout server 5s\n"
                          "frontend fe\n  bind 127.0.0.1:" +
                          std::to_string(port) +
                          "\n  default_backend be\n"
                          "backend be\n  http-reuse always\n  server s 127.0.0.1:" +
                          std::to_string(be.port()) + "\n";
  // Hearth only ever raises the limit: start it below 256 so that it sets
  // exactly that.
  rlimit saved{};
  getrlimit(RLIMIT_NOFILE, &saved);
  rlimit low = saved;
  low.rlim_cur = 128;
  setrlimit(RLIMIT_NOFILE, &low);
  HearthProcess h(cfg, HearthOptions{.wait_ports = {port}});
  setrlimit(RLIMIT_NOFILE, &saved);
  ASSERT_TRUE(h.ready()) << h.describe();
  const std::string info = http::stats_command(sock, "show info");
  ASSERT_NE(info.find("Ulimit-n: 256\n"), std::string::npos) << info;

  // Below 10 connections (256 * 4 %): one server connection serves them all.
  five_requests(port);
  EXPECT_EQ(be.connections(), 1u);

  // 12 client connections held open: every exchange's server connection is
  // closed instead of parked, so each request after the first opens one.
  std::vector<UniqueFd> held;
  for (int i = 0; i < 12; ++i) held.emplace_back(connect_tcp(port, milliseconds{1000}));
  ASSERT_TRUE(wait_until(
      [&] {
        return http::stats_command(sock, "show info").find("CurrConns: 12\n") != std::string::npos;
      },
      milliseconds{3000}));
  five_requests(port);
  EXPECT_EQ(be.connections(), 5u);  // the parked one, then four new ones
  ASSERT_TRUE(wait_until([&] { return be.active() == 0; }, milliseconds{3000}));

  // Back below the ratio: pooling again.
  held.clear();
  ASSERT_TRUE(wait_until(
      [&] {
        return http::stats_command(sock, "show info").find("CurrConns: 0\n") != std::string::npos;
      },
      milliseconds{3000}));
  five_requests(port);
  EXPECT_EQ(be.connections(), 6u);
}

}  // namespace
}  // namespace hearth::test
