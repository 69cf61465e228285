// The process out of file descriptors (issue #14, resource exhaustion), with
// the limit lowered below what maxconn needs ("no strict-limits" keeps the
// configured maxconn, as HAProxy does): accept() meets EMFILE. Accepting
// pauses without spinning, the established sessions keep being served, the
// emergency line is logged once per interval, and the waiting connections
// are served once descriptors come back. The same run through HAProxy 2.6
// says the same line and serves the same way.
#include <gtest/gtest.h>

#include <fstream>
#include <memory>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

#include "http_test_util.h"
#include "support/client.h"
#include "support/ports.h"
#include "support/wait.h"
#include "tcp_test_util.h"

namespace hearth::test::http {
namespace {

// Returns: the CPU time (user + system, in clock ticks) process `pid` used.
long cpu_ticks(pid_t pid) {
  std::ifstream in("/proc/" + std::to_string(pid) + "/stat");
  std::string stat((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  std::istringstream rest(stat.substr(stat.rfind(')') + 2));
  std::string field;
  long utime = 0, stime = 0;
  for (int i = 3; i <= 15 && rest >> field; ++i) {
    if (i == 14) utime = std::stol(field);
    if (i == 15) stime = std::stol(field);
  }
  return utime + stime;
}

size_t count(const std::string& hay, const std::string& needle) {
  size_t n = 0;
  for (size_t at = hay.find(needle); at != std::string::npos; at = hay.find(needle, at + 1)) ++n;
  return n;
}

constexpr long kNofile = 64;
constexpr int kKept = 8;    // keep-alive clients served before the limit is met
constexpr int kCrowd = 60;  // connections beyond the limit

struct FdRun {
  std::string output;
  int kept_ok_before = 0, kept_ok_during = 0;
  bool fresh_ok_after = false;
  long ticks_while_paused = -1;
};

FdRun run(const std::string& binary, uint16_t be_port) {
  const uint16_t port = free_tcp_port();
  const std::string cfg =
      "global\n  maxconn 1000\n  no strict-limits\n  nbthread 1\n"
      "defaults\n  mode http\n  timeout connect 2s\n  timeout client 10s\n"
      "  timeout server 10s\n"
      "frontend fe\n  bind 127.0.0.1:" +
      std::to_string(port) +
      "\n  log stdout format raw local0\n  default_backend be\n"
      "backend be\n  server s1 127.0.0.1:" +
      std::to_string(be_port) + "\n";
  HearthOptions o = tcp::options_for(binary, port);
  o.nofile = kNofile;
  HearthProcess p(cfg, o);
  FdRun r;
  if (!p.ready()) {
    ADD_FAILURE() << p.describe();
    return r;
  }
  std::vector<std::unique_ptr<HttpClient>> kept;
  for (int i = 0; i < kKept; ++i) {
    kept.push_back(std::make_unique<HttpClient>(port));
    r.kept_ok_before += kept.back()->request("GET", "/k").status == 200;
  }
  // The crowd: the kernel completes their handshakes (the backlog); the
  // proxy accepts them until it runs out of descriptors.
  std::vector<UniqueFd> crowd;
  for (int i = 0; i < kCrowd; ++i) crowd.emplace_back(connect_tcp(port, milliseconds{1000}));
  wait_until([&] { return p.output().find("reached process FD limit") != std::string::npos; },
             milliseconds{3000});
  // Paused, not spinning: one second of CPU while the backlog holds the rest.
  const long before = cpu_ticks(p.process().pid());
  std::this_thread::sleep_for(milliseconds{1000});
  r.ticks_while_paused = cpu_ticks(p.process().pid()) - before;
  // The established sessions go on (their server connections are kept).
  for (auto& c : kept) r.kept_ok_during += c->request("GET", "/k").status == 200;
  // Descriptors come back: the crowd leaves; a newcomer waits behind what is
  // left of the backlog and is served.
  crowd.clear();
  HttpClient fresh(port);
  r.fresh_ok_after = fresh.request("GET", "/f", {}, {}, milliseconds{5000}).status == 200;
  r.output = p.output();
  return r;
}

TEST(FdExhaustion, AcceptPausesLogsOnceAndResumesAsHAProxy) {
#if defined(__SANITIZE_ADDRESS__)
  // The sanitizer build checks vptrs (UBSan), and UBSan validates a vtable
  // it has not seen yet by writing it into a pipe: with no descriptor free
  // (this test's whole point) the pipe fails and every first-seen type is
  // reported as "object has invalid vptr". A ten-line program shows the same
  // report at EMFILE; gdb showed the object so reported was never freed.
  // The plain build runs the test.
  GTEST_SKIP() << "UBSan's vptr check cannot run without a free descriptor";
#endif
  HttpBackend backend;
  const FdRun theirs = run("haproxy", backend.port());
  const FdRun ours = run("", backend.port());
  const std::string line =
      "Proxy fe reached process FD limit (maxsock=64). Please check 'ulimit-n' and restart.";
  for (const FdRun* r : {&theirs, &ours}) {
    const char* who = r == &ours ? "hearth" : "haproxy";
    EXPECT_EQ(r->kept_ok_before, kKept) << who;
    EXPECT_EQ(r->kept_ok_during, kKept) << who << "\n" << r->output;
    EXPECT_TRUE(r->fresh_ok_after) << who << "\n" << r->output;
  }
  // HAProxy's maxsock is what its maxconn wanted; Hearth's the limit it runs with.
  EXPECT_NE(theirs.output.find("reached process FD limit (maxsock="), std::string::npos)
      << theirs.output;
  EXPECT_EQ(count(ours.output, "[ALERT] " + line), 1u) << "once per interval\n" << ours.output;
  EXPECT_EQ(count(ours.output, "\n" + line), 1u) << "the log line too\n" << ours.output;
  EXPECT_NE(
      ours.output.find("[WARNING] the file descriptor limit (64) is too low for maxconn 1000"),
      std::string::npos)
      << ours.output;
  // A busy loop would burn the whole second (100 ticks).
  EXPECT_LT(ours.ticks_while_paused, 20) << ours.output;
}

// Without "no strict-limits", a limit that cannot be raised to what maxconn
// needs stops the start, as HAProxy 2.6 does (strict-limits is its default).
TEST(FdExhaustion, StrictLimitsRefuseAMaxconnTheLimitCannotHold) {
  for (const std::string binary : {"haproxy", ""}) {
    const uint16_t port = free_tcp_port();
    HearthOptions o = tcp::options_for(binary, port);
    o.nofile = kNofile;
    o.timeout = milliseconds{3000};
    HearthProcess p(
        "global\n  maxconn 1000\ndefaults\n  mode http\n  timeout connect 1s\n"
        "  timeout client 1s\n  timeout server 1s\n"
        "frontend fe\n  bind 127.0.0.1:" +
            std::to_string(port) + "\n",
        o);
    EXPECT_FALSE(p.ready()) << binary;
    EXPECT_TRUE(p.process().wait_exit(milliseconds{3000}).has_value()) << binary;
    const std::string want =
        binary.empty() ? "[ALERT] cannot raise the file descriptor limit" : "Cannot raise FD limit";
    EXPECT_NE(p.output().find(want), std::string::npos) << p.output();
  }
}

}  // namespace
}  // namespace hearth::test::http
