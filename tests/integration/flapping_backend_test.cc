// A backend flapping up and down every 100 ms under load (issue #14, part
// 4): four keep-alive clients keep sending while the server's process comes
// and goes (its listening socket closed, its connections cut) and its health
// checks follow. No request hangs, and once the load stops every session,
// server connection and pooled object is gone: `show pools` counts the same
// objects in use as before the load.
#include <gtest/gtest.h>

#include <atomic>
#include <chrono>
#include <map>
#include <memory>
#include <regex>
#include <string>
#include <thread>
#include <vector>

#include "http_test_util.h"
#include "support/ports.h"
#include "support/temp_dir.h"
#include "support/wait.h"

namespace hearth::test::http {
namespace {

// Returns: "show pools" as pool name -> objects in use.
std::map<std::string, long> pools_in_use(const std::string& sock) {
  std::map<std::string, long> used;
  const std::string out = stats_command(sock, "show pools");
  static const std::regex line(
      R"(- Pool (\S+) \(\d+ bytes\) : \d+ allocated \(\d+ bytes\), (\d+) used)");
  for (std::sregex_iterator it(out.begin(), out.end(), line), end; it != end; ++it)
    used[(*it)[1]] = std::stol((*it)[2]);
  return used;
}

std::string info_field(const std::string& sock, const std::string& field) {
  const std::string info = stats_command(sock, "show info");
  const size_t at = info.find("\n" + field + ": ");
  if (at == std::string::npos) return "?";
  const size_t from = at + field.size() + 3;
  return info.substr(from, info.find('\n', from) - from);
}

TEST(FlappingBackend, NoStuckSessionAndPoolsBackToBaseline) {
  const uint16_t be_port = free_tcp_port();
  TempDir dir;
  const std::string sock = dir.file("s.sock");
  HttpProxy proxy({.be_port = be_port,
                   .global_extra = "  stats socket " + sock + " level admin\n",
                   .srv_extra = "check inter 50ms fall 1 rise 1",
                   .timeouts = "  timeout connect 500ms\n  timeout client 5s\n"
                               "  timeout server 2s\n  timeout queue 1s\n"});
  ASSERT_TRUE(proxy.ready()) << proxy.describe();
  stats_command(sock, "disable health be/s1");
  std::this_thread::sleep_for(std::chrono::milliseconds{200});
  const std::map<std::string, long> baseline = pools_in_use(sock);
  ASSERT_FALSE(baseline.empty()) << stats_command(sock, "show pools");
  stats_command(sock, "enable health be/s1");

  std::atomic<bool> stop{false};
  std::thread flapper([&] {
    while (!stop) {
      HttpBackend::Options o;
      o.port = be_port;
      {
        HttpBackend up(o);
        std::this_thread::sleep_for(std::chrono::milliseconds{100});
      }
      std::this_thread::sleep_for(std::chrono::milliseconds{100});
    }
  });
  std::atomic<int> ok{0}, errors{0}, hung{0};
  std::vector<std::thread> clients;
  const auto until = std::chrono::steady_clock::now() + std::chrono::seconds{3};
  for (int c = 0; c < 4; ++c)
    clients.emplace_back([&] {
      std::unique_ptr<HttpClient> cl;
      while (std::chrono::steady_clock::now() < until) {
        if (!cl || !cl->connected()) cl = std::make_unique<HttpClient>(proxy.port());
        const auto t0 = std::chrono::steady_clock::now();
        HttpResponse r = cl->request("GET", "/", {}, {}, milliseconds{4000});
        if (std::chrono::steady_clock::now() - t0 > std::chrono::milliseconds{3500}) ++hung;
        (r.status == 200 ? ok : errors)++;
        if (r.status != 200 || r.has_token("connection", "close")) cl.reset();
      }
    });
  for (std::thread& t : clients) t.join();
  stop = true;
  flapper.join();  // the server ends down

  EXPECT_EQ(hung.load(), 0);
  EXPECT_GT(ok.load(), 20) << "requests went through while the server was up";
  EXPECT_GT(errors.load(), 0) << "and failed cleanly while it was down";
  // Everything the load made goes away.
  stats_command(sock, "disable health be/s1");
  EXPECT_TRUE(wait_until([&] { return info_field(sock, "CurrConns") == "0"; }, milliseconds{3000}))
      << stats_command(sock, "show info");
  EXPECT_TRUE(wait_until(
      [&] {
        const std::map<std::string, std::string> st = server_conn_stats(sock, "be/s1");
        return st.count("used_cur") && st.at("used_cur") == "0" && st.at("idle_cur") == "0";
      },
      milliseconds{3000}))
      << stats_command(sock, "show servers conn");
  std::map<std::string, long> after;
  EXPECT_TRUE(wait_until(
      [&] {
        after = pools_in_use(sock);
        // Pools register when first used: one the baseline lacks had 0 then.
        for (const auto& [name, used] : after) {
          const auto b = baseline.find(name);
          if (used != (b == baseline.end() ? 0 : b->second)) return false;
        }
        return after.size() >= baseline.size();
      },
      milliseconds{3000}))
      << "before:\n"
      <<
      [&] {
        std::string s;
        for (const auto& [n, u] : baseline) s += n + " " + std::to_string(u) + "\n";
        return s;
      }()
      << "after:\n"
      << stats_command(sock, "show pools");
  EXPECT_EQ(proxy.stop_and_check(), "");
}

}  // namespace
}  // namespace hearth::test::http
