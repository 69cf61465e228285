// The server side is one component for TCP and HTTP (stream/server_side): the
// same configuration gives the same server-side behaviour in both modes. Each
// test runs in tcp and in http mode: refused connects are retried after a
// turn-around, the last retry is redispatched, a late server is reached by a
// retry, connect and queue timeouts end with sC and sQ. In HTTP mode a failure
// is a 503; in TCP mode the client is closed without data.
#include <gtest/gtest.h>

#include <chrono>
#include <string>
#include <thread>

#include "http_test_util.h"
#include "support/ports.h"
#include "tcp_test_util.h"

namespace hearth::test::http {
namespace {

using SteadyClock = std::chrono::steady_clock;

int64_t ms_since(SteadyClock::time_point t) {
  return std::chrono::duration_cast<milliseconds>(SteadyClock::now() - t).count();
}

class ServerSideTest : public ::testing::TestWithParam<std::string> {
 protected:
  bool http() const { return GetParam() == "http"; }
  // Starts hearth with `backend` lines (servers and settings) in backend be.
  void start(const std::string& backend, const std::string& timeouts = "") {
    port_ = free_tcp_port();
    const std::string cfg =
        "global\n  log stdout format raw local0\n"
        "defaults\n  mode " +
        GetParam() + "\n  log global\n  option " + GetParam() + "log\n" +
        (timeouts.empty() ? "  timeout connect 200ms\n  timeout client 5s\n  timeout server 5s\n"
                          : timeouts) +
        "frontend fe\n  bind 127.0.0.1:" + std::to_string(port_) +
        "\n  default_backend be\n"
        "backend be\n" +
        backend;
    hearth_ = std::make_unique<HearthProcess>(cfg, HearthOptions{.wait_ports = {port_}});
    ASSERT_TRUE(hearth_->ready()) << hearth_->describe();
  }
  // One GET through the proxy. Returns: its status; 0 when the connection
  // ended without a response (a TCP-mode failure).
  int get(const std::string& target = "/") {
    HttpClient c(port_);
    return c.request("GET", target, {}, {}, milliseconds{5000}).status;
  }
  // The status a failed session shows in each mode.
  int failed() const { return http() ? 503 : 0; }
  // Waits for a log line with this termination code.
  bool logged(const std::string& term) {
    return tcp::wait_log_line(*hearth_, {http() ? " " + term + "-- " : " " + term + " "}) != "";
  }
  std::string server(const std::string& name, uint16_t port, const std::string& extra = "") {
    return "  server " + name + " 127.0.0.1:" + std::to_string(port) + " " + extra + "\n";
  }

  uint16_t port_ = 0;
  std::unique_ptr<HearthProcess> hearth_;
};

TEST_P(ServerSideTest, RefusedConnectIsRetriedAfterATurnAround) {
  start("  retries 2\n" + server("dead", free_tcp_port()));
  auto t0 = SteadyClock::now();
  EXPECT_EQ(get(), failed());
  // Three attempts, 200 ms (timeout connect) apart.
  EXPECT_GE(ms_since(t0), 350) << "retries did not wait";
  EXPECT_LT(ms_since(t0), 3000);
  EXPECT_TRUE(logged("SC")) << hearth_->output();
}

TEST_P(ServerSideTest, LastRetryIsRedispatched) {
  HttpBackend live;
  start("  balance roundrobin\n  retries 2\n  option redispatch\n" +
        server("dead", free_tcp_port()) + server("live", live.port()));
  for (int i = 0; i < 4; ++i) EXPECT_EQ(get(), 200) << "request " << i;
  EXPECT_EQ(live.request_count(), 4u);
}

TEST_P(ServerSideTest, WithoutRedispatchTheDeadServerIsNotAvoided) {
  HttpBackend live;
  start("  balance roundrobin\n  retries 1\n" + server("dead", free_tcp_port()) +
        server("live", live.port()));
  int ok = 0, bad = 0;
  for (int i = 0; i < 4; ++i) (get() == 200 ? ok : bad)++;
  EXPECT_EQ(ok, 2);
  EXPECT_EQ(bad, 2);
}

TEST_P(ServerSideTest, RetryReachesAServerThatStartsLate) {
  const uint16_t late = free_tcp_port();
  start("  retries 3\n" + server("late", late),
        "  timeout connect 250ms\n  timeout client 5s\n  timeout server 5s\n");
  std::unique_ptr<HttpBackend> backend;
  std::thread starter([&] {
    std::this_thread::sleep_for(milliseconds{300});
    backend = std::make_unique<HttpBackend>(HttpBackend::Options{.port = late});
  });
  const int status = get();
  starter.join();
  EXPECT_EQ(status, 200);
  ASSERT_NE(backend, nullptr);
  EXPECT_EQ(backend->request_count(), 1u);
}

TEST_P(ServerSideTest, ConnectTimeoutEndsWithSc) {
  tcp::BlackholeListener hole;
  ASSERT_TRUE(hole.full());
  start("  retries 1\n" + server("hole", hole.port()));
  auto t0 = SteadyClock::now();
  EXPECT_EQ(get(), failed());
  EXPECT_GE(ms_since(t0), 380);  // two attempts of 200 ms, no turn-around
  EXPECT_TRUE(logged("sC")) << hearth_->output();
}

TEST_P(ServerSideTest, QueueTimeoutEndsWithSq) {
  HttpBackend b;
  start("  timeout queue 300ms\n" + server("s1", b.port(), "maxconn 1"));
  std::thread busy([&] { EXPECT_EQ(get("/slow/1500"), 200); });
  std::this_thread::sleep_for(milliseconds{200});  // the slot is taken
  auto t0 = SteadyClock::now();
  EXPECT_EQ(get(), failed());
  EXPECT_GE(ms_since(t0), 250);
  EXPECT_LT(ms_since(t0), 1400);
  busy.join();
  EXPECT_TRUE(logged("sQ")) << hearth_->output();
}

TEST_P(ServerSideTest, QueuedSessionGetsTheReleasedSlot) {
  HttpBackend b;
  start("  timeout queue 3s\n" + server("s1", b.port(), "maxconn 1"));
  std::thread busy([&] { EXPECT_EQ(get("/slow/300"), 200); });
  std::this_thread::sleep_for(milliseconds{100});
  EXPECT_EQ(get(), 200);
  busy.join();
  EXPECT_EQ(b.request_count(), 2u);
}

INSTANTIATE_TEST_SUITE_P(Modes, ServerSideTest, ::testing::Values("tcp", "http"),
                         [](const auto& info) { return info.param; });

}  // namespace
}  // namespace hearth::test::http
