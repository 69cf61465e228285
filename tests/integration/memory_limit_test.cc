// -m (issue #14, resource exhaustion): the memory pools hold at most that
// much; past it, new work is refused and the process goes on. A crowd of
// clients, each holding a connection with half a request (a buffer), meets
// a 1 MB budget: some are refused (closed), the others and the process keep
// going, the failures are counted, and once the crowd leaves requests are
// served again. (HAProxy 2.6 with so small a -m does not start: no side by
// side here.)
#include <gtest/gtest.h>

#include <map>
#include <memory>
#include <string>
#include <vector>

#include "http_test_util.h"
#include "support/client.h"
#include "support/ports.h"
#include "support/temp_dir.h"
#include "support/wait.h"

namespace hearth::test::http {
namespace {

int info_value(const std::string& sock, const std::string& field) {
  const std::string info = stats_command(sock, "show info");
  const size_t at = info.find("\n" + field + ": ");
  return at == std::string::npos ? -1 : std::stoi(info.substr(at + field.size() + 3));
}

TEST(MemoryLimit, PastTheBudgetNewWorkIsRefusedAndTheProcessGoesOn) {
  HttpBackend backend;
  TempDir dir;
  const std::string sock = dir.file("s.sock");
  const uint16_t port = free_tcp_port();
  HearthOptions o;
  o.wait_ports = {port};
  o.extra_args = {"-m", "1"};
  HearthProcess p("global\n  nbthread 1\n  stats socket " + sock +
                      " level admin\n"
                      "defaults\n  mode http\n  timeout connect 1s\n  timeout client 20s\n"
                      "  timeout server 5s\n"
                      "frontend fe\n  bind 127.0.0.1:" +
                      std::to_string(port) +
                      "\n  default_backend be\n"
                      "backend be\n  server s1 127.0.0.1:" +
                      std::to_string(backend.port()) + "\n",
                  o);
  ASSERT_TRUE(p.ready()) << p.describe();
  EXPECT_NE(stats_command(sock, "show info").find("Memmax_MB: 1\n"), std::string::npos);
  // 1 MB holds a few dozen 16 kB buffers: 200 half requests cannot all fit.
  std::vector<std::unique_ptr<HttpClient>> crowd;
  for (int i = 0; i < 200; ++i) {
    crowd.push_back(std::make_unique<HttpClient>(port));
    crowd.back()->send("GET /held HTTP/1.1\r\nhost: a\r\nx-pad: " + std::string(100, 'p'));
  }
  ASSERT_TRUE(wait_until([&] { return info_value(sock, "PoolFailed") > 0; }, milliseconds{5000}))
      << stats_command(sock, "show info") << stats_command(sock, "show pools");
  int refused = 0, held = 0;
  for (auto& c : crowd) (c->closed_by_peer(milliseconds{10}) ? refused : held)++;
  EXPECT_GT(refused, 0);
  EXPECT_GT(held, 0);
  // Those held are still served: their requests end, their answers come.
  int served = 0;
  for (auto& c : crowd) {
    if (!c->connected()) continue;
    if (!c->send("\r\n\r\n")) continue;
    served += c->read_response(milliseconds{5000}).status == 200;
    if (served == 5) break;
  }
  EXPECT_GT(served, 0) << stats_command(sock, "show pools");
  crowd.clear();
  // The crowd gone, memory comes back: a newcomer is served.
  EXPECT_TRUE(wait_until(
      [&] {
        HttpClient c(port);
        return c.request("GET", "/after", {}, {}, milliseconds{1000}).status == 200;
      },
      milliseconds{5000}))
      << stats_command(sock, "show pools");
  EXPECT_TRUE(p.process().send_signal(0));  // still running
}

}  // namespace
}  // namespace hearth::test::http
