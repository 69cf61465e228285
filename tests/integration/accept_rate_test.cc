// Accept rate limits: a frontend's "rate-limit sessions", the process's
// "maxconnrate" / "maxsessrate" and the runtime API's "set rate-limit".
// Connections beyond the rate wait in the listening socket's backlog and are
// served as the rate allows; none is refused. The same checks run against
// haproxy, which must behave alike.
#include <gtest/gtest.h>
#include <sys/socket.h>

#include <chrono>
#include <cstring>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

#include "http_test_util.h"
#include "support/client.h"
#include "support/command.h"
#include "support/ports.h"
#include "support/temp_dir.h"
#include "support/test_certs.h"
#include "support/unique_fd.h"
#include "support/wait.h"

namespace hearth::test::http {
namespace {

using std::chrono::milliseconds;
using Clock = std::chrono::steady_clock;

// Opens n connections at once, each sending one request; returns how many
// had their answer within `early`, and (in *all) whether every one had it
// within `late`.
int answered_early(uint16_t port, int n, milliseconds early, milliseconds late, bool* all) {
  std::vector<UniqueFd> fds;
  for (int i = 0; i < n; ++i) {
    fds.emplace_back(connect_tcp(port));
    send_all(fds.back().get(), "GET / HTTP/1.1\r\nhost: a\r\nconnection: close\r\n\r\n");
  }
  const auto start = Clock::now();
  std::vector<bool> done(size_t(n), false);
  int early_count = 0, total = 0;
  while (total < n && Clock::now() - start < late) {
    for (int i = 0; i < n; ++i) {
      if (done[size_t(i)]) continue;
      char buf[512];
      const ssize_t r = recv(fds[size_t(i)].get(), buf, sizeof buf, MSG_DONTWAIT);
      if (r > 0) {
        done[size_t(i)] = true;
        ++total;
        if (Clock::now() - start < early) ++early_count;
      }
    }
    std::this_thread::sleep_for(milliseconds{5});
  }
  *all = total == n;
  return early_count;
}

std::string info_field(const std::string& sock, const std::string& name) {
  std::istringstream in(stats_command(sock, "show info"));
  for (std::string line; std::getline(in, line);)
    if (line.rfind(name + ": ", 0) == 0) return line.substr(name.size() + 2);
  return "(none)";
}

struct Proc {
  TempDir dir;
  std::string sock = dir.file("s.sock");
  uint16_t port = free_tcp_port();
  std::unique_ptr<HearthProcess> p;

  Proc(const std::string& binary, const std::string& global, const std::string& fe) {
    const std::string cfg = "global\n  stats socket " + sock + " level admin\n" + global +
                            "defaults\n  mode http\n  timeout connect 1s\n  timeout client 5s\n"
                            "  timeout server 5s\n"
                            "frontend f\n  bind 127.0.0.1:" +
                            std::to_string(port) + "\n" + fe +
                            "  http-request return status 200 content-type text/plain string "
                            "ok\n";
    HearthOptions opt{.wait_ports = {port}};
    if (!binary.empty()) opt.binary = binary, opt.extra_args = {"-db"};
    p = std::make_unique<HearthProcess>(cfg, opt);
  }
};

class AcceptRate : public ::testing::TestWithParam<const char*> {};

// 12 connections at once under "rate-limit sessions 4": about 4 a second are
// served, all of them within a few seconds.
TEST_P(AcceptRate, FrontendRateLimitSessionsPacesTheBacklog) {
  Proc h(GetParam(), "", "  rate-limit sessions 4\n");
  ASSERT_TRUE(h.p->ready()) << h.p->describe();
  // The readiness probe was one session: let its second go by.
  std::this_thread::sleep_for(milliseconds{1100});
  bool all = false;
  const int early = answered_early(h.port, 12, milliseconds{500}, milliseconds{6000}, &all);
  // The window slides: the second before still counts for a part, so a
  // little more than 4 may go in half a second; 12 without the limit.
  // HAProxy's periods are whole seconds of its clock: a half second that
  // straddles one of its second boundaries may see up to two periods' worth
  // (8 were seen once in five runs). Hearth's window gives at most 7.
  EXPECT_LE(early, std::string(GetParam()).empty() ? 7 : 8) << GetParam();
  EXPECT_GE(early, 1) << GetParam();
  EXPECT_TRUE(all) << GetParam() << ": a connection over the rate was lost";
  // show stat's rate_lim column.
  EXPECT_NE(stats_command(h.sock, "show stat").find(",4,"), std::string::npos);
}

// maxconnrate at start, then changed and lifted with "set rate-limit".
TEST_P(AcceptRate, GlobalConnectionRateAndItsRuntimeChanges) {
  Proc h(GetParam(), "  maxconnrate 3\n  maxsessrate 50\n", "");
  ASSERT_TRUE(h.p->ready()) << h.p->describe();
  EXPECT_EQ(info_field(h.sock, "ConnRateLimit"), "3");
  EXPECT_EQ(info_field(h.sock, "SessRateLimit"), "50");
  std::this_thread::sleep_for(milliseconds{1100});
  bool all = false;
  int early = answered_early(h.port, 9, milliseconds{500}, milliseconds{6000}, &all);
  // As above: HAProxy's half second may straddle one of its second
  // boundaries and see two periods' worth (6 was seen once in a full run).
  EXPECT_LE(early, std::string(GetParam()).empty() ? 5 : 6) << GetParam();
  EXPECT_TRUE(all) << GetParam();
  EXPECT_EQ(stats_command(h.sock, "set rate-limit connections global 0"), "\n");
  EXPECT_EQ(info_field(h.sock, "ConnRateLimit"), "0");
  std::this_thread::sleep_for(milliseconds{2100});  // a paused listener looks again
  early = answered_early(h.port, 9, milliseconds{1000}, milliseconds{3000}, &all);
  EXPECT_EQ(early, 9) << GetParam() << ": the limit was lifted";
  EXPECT_EQ(stats_command(h.sock, "set rate-limit sessions global 7"), "\n");
  EXPECT_EQ(info_field(h.sock, "SessRateLimit"), "7");
}

// maxsslrate: the TLS bind takes about 4 connections a second, the plain
// bind of the same frontend is not held back; "set rate-limit ssl-sessions".
TEST_P(AcceptRate, MaxSslRatePacesOnlyTheTlsBind) {
  TestCerts certs;
  const std::string pem = certs.server("site.pem", "localhost", {"localhost"});
  ASSERT_FALSE(pem.empty()) << certs.last_error();
  const uint16_t tls_port = free_tcp_port();
  Proc h(GetParam(), "  maxsslrate 4\n",
         "  bind 127.0.0.1:" + std::to_string(tls_port) + " ssl crt " + pem + "\n");
  ASSERT_TRUE(h.p->ready()) << h.p->describe();
  EXPECT_EQ(info_field(h.sock, "SslRateLimit"), "4");
  std::this_thread::sleep_for(milliseconds{1100});
  bool all = false;
  EXPECT_EQ(answered_early(h.port, 12, milliseconds{500}, milliseconds{3000}, &all), 12)
      << GetParam() << ": the plain bind is not limited";
  // 12 TLS clients at once: each prints its status and total time.
  const std::string script =
      "for i in $(seq 12); do curl -sk -o /dev/null --max-time 9 -w "
      "'%{http_code} %{time_total}\\n' https://127.0.0.1:" +
      std::to_string(tls_port) + "/ & done; wait";
  std::istringstream out(run_command({"bash", "-c", script}).output);
  int ok = 0, early = 0;
  for (std::string code, secs; out >> code >> secs;) {
    ok += code == "200";
    early += code == "200" && std::stod(secs) < 0.5;
  }
  EXPECT_EQ(ok, 12) << GetParam() << ": a TLS connection over the rate was lost";
  EXPECT_LE(early, 7) << GetParam();
  EXPECT_GE(early, 1) << GetParam();
  EXPECT_EQ(stats_command(h.sock, "set rate-limit ssl-sessions global 0"), "\n");
  EXPECT_EQ(info_field(h.sock, "SslRateLimit"), "0");
}

// The exporter's process limits and rates are the configured ones, as HAProxy's.
TEST_P(AcceptRate, ExporterShowsTheLimits) {
  Proc h(GetParam(), "  maxconnrate 300\n  maxsessrate 200\n  maxsslrate 100\n",
         "  http-request use-service prometheus-exporter if { path /metrics }\n");
  ASSERT_TRUE(h.p->ready()) << h.p->describe();
  EXPECT_EQ(stats_command(h.sock, "set rate-limit sessions global 150"), "\n");
  const std::string body = http_get(h.port, "/metrics?scope=global");
  for (const char* line :
       {"\nhaproxy_process_limit_connection_rate 300\n",
        "\nhaproxy_process_limit_session_rate 150\n", "\nhaproxy_process_limit_ssl_rate 100\n",
        "\nhaproxy_process_current_ssl_rate 0\n"})
    EXPECT_NE(body.find(line), std::string::npos) << GetParam() << ": " << line << body;
  // This scrape's own connection, at least, in the last second and the highest.
  for (const char* name :
       {"\nhaproxy_process_current_connection_rate ", "\nhaproxy_process_max_connection_rate ",
        "\nhaproxy_process_current_session_rate "}) {
    const size_t at = body.find(name);
    ASSERT_NE(at, std::string::npos) << name;
    EXPECT_GE(std::stoi(body.substr(at + strlen(name))), 1) << GetParam() << name;
  }
}

INSTANTIATE_TEST_SUITE_P(HearthAndHAProxy, AcceptRate, ::testing::Values("", "haproxy"),
                         [](const auto& info) {
                           return std::string(info.param[0] ? "HAProxy" : "Hearth");
                         });

// What both answer to the forms of "set rate-limit".
TEST(AcceptRateCli, SameAnswersAsHAProxy) {
  std::vector<std::string> answers[2];
  const char* binaries[2] = {"", "haproxy"};
  for (int i = 0; i < 2; ++i) {
    Proc h(binaries[i], "", "");
    ASSERT_TRUE(h.p->ready()) << h.p->describe();
    for (const char* cmd :
         {"set rate-limit", "set rate-limit connections local 1", "set rate-limit bogus global 1",
          "set rate-limit connections global 5", "set rate-limit sessions global 6",
          "set rate-limit ssl-sessions global 8", "set rate-limit sessions global -1",
          "set rate-limit connections global 5abc", "set rate-limit sessions global 6 more",
          "set rate-limit ssl-sessions global", "set rate-limit ssl-sessions global 7x"})
      answers[i].push_back(std::string(cmd) + " -> " + stats_command(h.sock, cmd));
    answers[i].push_back(info_field(h.sock, "ConnRateLimit") + " " +
                         info_field(h.sock, "SessRateLimit") + " " +
                         info_field(h.sock, "SslRateLimit"));
  }
  EXPECT_EQ(answers[0], answers[1]);
  EXPECT_EQ(answers[0].back(), "5 6 7");
}

}  // namespace
}  // namespace hearth::test::http
