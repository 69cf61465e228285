// Hearth's own series in the Prometheus exporter (hearth_server_*): idle pool
// sizes, reuse, stale idle connections caught, the learned keep-alive
// timeout and non-idempotent requests sent fresh, each driven by traffic
// that must move it, and the same figures in "show metrics".
#include <gtest/gtest.h>

#include <cmath>
#include <string>
#include <thread>

#include "http_test_util.h"
#include "support/client.h"
#include "support/command.h"
#include "support/ports.h"
#include "support/temp_dir.h"
#include "support/wait.h"

namespace hearth::test::http {
namespace {

using namespace std::chrono_literals;

// Returns: the value of the sample `name{labels}` in `text` ("" if absent).
std::string sample(const std::string& text, const std::string& name, const std::string& labels) {
  const std::string key = name + "{" + labels + "} ";
  const size_t at = text.find(key);
  if (at == std::string::npos) return "";
  const size_t end = text.find('\n', at);
  return text.substr(at + key.size(), end - at - key.size());
}

std::string metrics(uint16_t port) {
  return run_command({"curl", "-s", "http://127.0.0.1:" + std::to_string(port) + "/metrics"})
      .output;
}

TEST(HearthMetrics, PoolReuseStaleLearnedAndFreshSeriesFollowTheTraffic) {
  HttpBackend steady;  // keep-alive, never closes on its own
  HttpBackend::Options o;
  o.idle_timeout_ms = 300;  // closes a connection idle for 300 ms
  HttpBackend closing(o);
  HttpBackend fresh;
  TempDir dir;
  const uint16_t stats = free_tcp_port(), web = free_tcp_port();
  const std::string sock = dir.file("stats.sock");
  auto port = [](uint16_t v) { return std::to_string(v); };
  const std::string cfg =
      "global\n  stats socket " + sock +
      " level admin\n"
      "defaults\n  mode http\n  timeout connect 1s\n  timeout client 5s\n  timeout server 5s\n"
      "listen stats\n  bind 127.0.0.1:" +
      port(stats) +
      "\n  http-request use-service prometheus-exporter if { path /metrics }\n"
      "frontend fe\n  bind 127.0.0.1:" +
      port(web) +
      "\n  use_backend b2 if { path_beg /closing }\n  use_backend b3 if { path_beg /fresh }\n"
      "  default_backend b1\n"
      "backend b1\n  server s1 127.0.0.1:" +
      port(steady.port()) + "\nbackend b2\n  server s2 127.0.0.1:" + port(closing.port()) +
      "\nbackend b3\n  server s3 127.0.0.1:" + port(fresh.port()) + "\n";
  HearthProcess h(cfg, HearthOptions{.wait_ports = {stats, web}});
  ASSERT_TRUE(h.ready()) << h.describe();

  const std::string s1 = "proxy=\"b1\",server=\"s1\"", s2 = "proxy=\"b2\",server=\"s2\"",
                    s3 = "proxy=\"b3\",server=\"s3\"";
  const std::string before = metrics(stats);
  EXPECT_EQ(sample(before, "hearth_server_reused_total", s1), "0");
  EXPECT_EQ(sample(before, "hearth_server_idle_connections", s1 + ",kind=\"safe\""), "0");
  EXPECT_EQ(sample(before, "hearth_server_learned_keepalive_seconds", s2), "NaN");
  EXPECT_EQ(sample(before, "hearth_server_fresh_non_idempotent_total", s3), "0");

  // Three requests on one keep-alive client connection: one server
  // connection, reused twice, parked idle (safe: it served) once the client
  // leaves.
  {
    HttpClient c(web);
    for (int i = 0; i < 3; ++i) EXPECT_EQ(c.request("GET", "/a").status, 200);
  }
  EXPECT_EQ(steady.connections(), 1u);
  auto get = [&](const char* path) {  // a new client, which leaves after its response
    HttpClient c(web);
    return c.request("GET", path).status;
  };
  // Four times: a request, then the server closes the parked connection
  // after 300 ms; Hearth catches each close while the connection is idle,
  // and learns the timeout from them.
  for (int i = 0; i < 4; ++i) {
    EXPECT_EQ(get("/closing"), 200);
    std::this_thread::sleep_for(600ms);
  }
  EXPECT_EQ(closing.idle_closes(), 4u);
  // A POST with no connection to prove it safe goes on a new one.
  {
    HttpClient c(web);
    EXPECT_EQ(c.request("POST", "/fresh", {"Connection: close"}, "x=1").status, 200);
  }

  std::string after;
  ASSERT_TRUE(wait_until(
      [&] {
        after = metrics(stats);
        return sample(after, "hearth_server_stale_idle_total", s2) == "4";
      },
      3000ms))
      << after;
  EXPECT_EQ(sample(after, "hearth_server_reused_total", s1), "2");
  EXPECT_EQ(sample(after, "hearth_server_idle_connections", s1 + ",kind=\"safe\""), "1");
  EXPECT_EQ(sample(after, "hearth_server_idle_connections", s1 + ",kind=\"unsafe\""), "0");
  EXPECT_EQ(sample(after, "hearth_server_idle_connections", s2 + ",kind=\"safe\""), "0");
  const std::string learned = sample(after, "hearth_server_learned_keepalive_seconds", s2);
  ASSERT_FALSE(learned.empty()) << after;
  const double secs = atof(learned.c_str());
  EXPECT_TRUE(std::isfinite(secs)) << learned;
  EXPECT_GT(secs, 0.1) << learned;  // the server's 0.3 s, less a safety margin
  // At most what the server did: its 0.3 s, and the lateness of its timer on
  // a loaded machine (learned above 0.3 s once, in a parallel ctest run).
  EXPECT_LE(secs, 0.4) << learned;
  EXPECT_EQ(sample(after, "hearth_server_fresh_non_idempotent_total", s3), "1");
  EXPECT_EQ(sample(after, "hearth_server_learned_keepalive_seconds", s1), "NaN");

  // show metrics answers the same series.
  const std::string shown = stats_command(sock, "show metrics");
  EXPECT_EQ(sample(shown, "hearth_server_reused_total", s1), "2");
  EXPECT_EQ(sample(shown, "hearth_server_stale_idle_total", s2), "4");
  EXPECT_EQ(sample(shown, "hearth_server_fresh_non_idempotent_total", s3), "1");
}

}  // namespace
}  // namespace hearth::test::http
