// Master-worker mode through the real binary (-W and "master-worker"): the
// master keeps the listening sockets across reloads (the same sockets, so
// nothing queued in a backlog is lost), a reload under continuous load loses
// nothing, a broken configuration leaves the old worker serving, old workers
// finish their sessions (bounded by hard-stop-after and mworker-max-reloads),
// and the signals and exit codes match HAProxy's master.
#include <signal.h>
#include <sys/stat.h>
#include <unistd.h>

#include <fstream>
#include <set>
#include <sstream>

#include "integration/proc_sockets.h"
#include "integration/reload_load.h"
#include "integration/tcp_test_util.h"
#include "support/datagram_listener.h"
#include "support/wait.h"

namespace hearth::test {
using http::HttpBackend;
using http::HttpClient;
using http::HttpResponse;
namespace {

using std::chrono::milliseconds;

struct Ports {
  uint16_t http = free_tcp_port();
  uint16_t tcp = free_tcp_port();
};

std::string mw_config(const Ports& p, uint16_t http_be, uint16_t echo_be,
                      const std::string& global = "") {
  return expand(
      "global\n  nbthread 2\n${G}"
      "defaults\n  timeout connect 2s\n  timeout client 20s\n  timeout server 20s\n"
      "frontend web\n  mode http\n  bind 127.0.0.1:${H}\n  default_backend app\n"
      "backend app\n  mode http\n  server s1 127.0.0.1:${B}\n"
      "frontend tun\n  mode tcp\n  bind 127.0.0.1:${T}\n  default_backend echo\n"
      "backend echo\n  mode tcp\n  server e1 127.0.0.1:${E}\n",
      {{"G", global},
       {"H", std::to_string(p.http)},
       {"B", std::to_string(http_be)},
       {"T", std::to_string(p.tcp)},
       {"E", std::to_string(echo_be)}});
}

HearthOptions mw_options(const Ports& p, std::vector<std::string> args = {"-W"}) {
  HearthOptions o;
  o.extra_args = std::move(args);
  o.wait_ports = {p.http, p.tcp};
  o.wait_output = "new worker (";
  return o;
}

size_t count(const std::string& text, const std::string& needle) {
  size_t n = 0;
  for (size_t at = text.find(needle); at != std::string::npos; at = text.find(needle, at + 1)) ++n;
  return n;
}

// Sends `sig` and waits for the master's n-th "reload done" (or failure).
bool reload(HearthProcess& h, size_t n, const char* outcome = "reload done", int sig = SIGUSR2) {
  h.process().send_signal(sig);
  return wait_until([&] { return count(h.output(), outcome) >= n; }, milliseconds{15000});
}

// Returns: the children of `pid` (the master's workers).
std::vector<pid_t> children(pid_t pid) {
  std::ifstream f("/proc/" + std::to_string(pid) + "/task/" + std::to_string(pid) + "/children");
  std::vector<pid_t> out;
  for (long c; f >> c;) out.push_back(pid_t(c));
  return out;
}

bool http_ok(uint16_t port) {
  HttpClient c(port);
  HttpResponse r = c.request("GET", "/");
  return r.complete && r.status == 200;
}

// A master (-W unless told otherwise) over an HTTP backend and a TCP echo
// backend; start() again for a new instance on new ports.
class MasterWorker : public ::testing::Test {
 protected:
  // `detached`: the output goes to /dev/null, readiness is the ports only.
  HearthProcess& start(const std::string& global = "", std::vector<std::string> args = {"-W"},
                       bool detached = false) {
    h_.reset();
    p = Ports{};
    HearthOptions o = mw_options(p, std::move(args));
    if (detached) o.wait_output = "";
    h_ = std::make_unique<HearthProcess>(mw_config(p, be.port(), echo.port(), global), o);
    return *h_;
  }
  HttpBackend be;
  EchoServer echo;
  Ports p;

  std::unique_ptr<HearthProcess> h_;
};

TEST_F(MasterWorker, ReloadKeepsTheSameListeningSockets) {
  HearthProcess& h = start();
  ASSERT_TRUE(h.ready()) << h.describe();
  const std::vector<pid_t> first = children(h.process().pid());
  ASSERT_EQ(first.size(), 1u) << h.output();
  const std::set<std::string> before = listen_inodes(p.http);
  ASSERT_EQ(before.size(), 2u);  // one SO_REUSEPORT socket per thread
  ASSERT_TRUE(reload(h, 1)) << h.output();
  EXPECT_EQ(listen_inodes(p.http), before);
  EXPECT_TRUE(http_ok(p.http));
  ASSERT_TRUE(
      wait_until([&] { return count(h.output(), "former worker") == 1; }, milliseconds{5000}))
      << h.output();
  const std::vector<pid_t> now = children(h.process().pid());
  ASSERT_EQ(now.size(), 1u);
  EXPECT_NE(now[0], first[0]);
  EXPECT_EQ(h.stop(), 0) << h.output();
}

// SIGHUP reloads too. A new address is bound, a dropped one is closed.
TEST_F(MasterWorker, ReloadBindsNewAddressesAndClosesDroppedOnes) {
  HearthProcess& h = start();
  ASSERT_TRUE(h.ready()) << h.describe();
  const uint16_t extra = free_tcp_port();
  const std::string moved = expand(
      "global\n  nbthread 2\n"
      "defaults\n  timeout connect 2s\n  timeout client 20s\n  timeout server 20s\n"
      "frontend web\n  mode http\n  bind 127.0.0.1:${X}\n  default_backend app\n"
      "backend app\n  mode http\n  server s1 127.0.0.1:${B}\n",
      {{"X", std::to_string(extra)}, {"B", std::to_string(be.port())}});
  ASSERT_TRUE(h.rewrite_config(moved));
  ASSERT_TRUE(reload(h, 1, "reload done", SIGHUP)) << h.output();
  EXPECT_TRUE(http_ok(extra));
  ASSERT_TRUE(wait_until([&] { return listen_inodes(p.http).empty(); }, milliseconds{5000}))
      << "the dropped address still listens";
  EXPECT_TRUE(listen_inodes(p.tcp).empty());
}

TEST_F(MasterWorker, TwentyReloadsUnderLoadLoseNothing) {
  HearthProcess& h = start();
  ASSERT_TRUE(h.ready()) << h.describe();
  ReloadLoad load(p.http, p.tcp);
  load.start();
  for (size_t i = 1; i <= 20; ++i) {
    const uint64_t seen = load.fresh_ok.load();
    // Each reload happens under traffic: wait for requests since the last one.
    ASSERT_TRUE(wait_until([&] { return load.fresh_ok.load() >= seen + 20; }, milliseconds{10000}));
    ASSERT_TRUE(reload(h, i)) << "reload " << i << "\n" << h.output();
  }
  // A broken configuration: the reload fails, the worker in place serves on.
  const std::string good = mw_config(p, be.port(), echo.port());
  ASSERT_TRUE(h.rewrite_config(good + "frontend broken\n  no-such-keyword\n"));
  ASSERT_TRUE(reload(h, 1, "reload failed")) << h.output();
  const uint64_t after_broken = load.fresh_ok.load();
  ASSERT_TRUE(
      wait_until([&] { return load.fresh_ok.load() >= after_broken + 50; }, milliseconds{10000}));
  const uint64_t tunnel = load.tunnel_lines.load();
  EXPECT_TRUE(
      wait_until([&] { return load.tunnel_lines.load() > tunnel + 5; }, milliseconds{5000}));
  load.stop();
  const std::vector<std::string> errors = load.errors();
  EXPECT_TRUE(errors.empty()) << errors.size() << " error(s), first: " << errors.front();
  EXPECT_EQ(load.unanswered.load(), 0u);
  EXPECT_EQ(load.refused.load(), 0u);
  EXPECT_GT(load.keepalive_ok.load(), 100u);
  EXPECT_GT(load.fresh_ok.load(), 400u);
  RecordProperty("keepalive_ok", std::to_string(load.keepalive_ok.load()));
  RecordProperty("keepalive_retries", std::to_string(load.keepalive_retries.load()));
  RecordProperty("fresh_ok", std::to_string(load.fresh_ok.load()));
  RecordProperty("unanswered", std::to_string(load.unanswered.load()));
  RecordProperty("tunnel_lines", std::to_string(load.tunnel_lines.load()));
  // Every old worker finished its sessions and left (the tunnel's one last).
  EXPECT_TRUE(
      wait_until([&] { return count(h.output(), "former worker") == 20; }, milliseconds{10000}))
      << h.output();
  EXPECT_EQ(children(h.process().pid()).size(), 1u);
  // Each left on its own, cleanly (a soft stop that crashed a worker once
  // showed up as connections closed unanswered).
  EXPECT_EQ(count(h.output(), "exited with code 0 (Exit)"), 20u) << h.output();
  EXPECT_EQ(h.stop(), 0) << h.output();
}

TEST_F(MasterWorker, BrokenConfigAtReloadKeepsTheWorker) {
  HearthProcess& h = start();
  ASSERT_TRUE(h.ready()) << h.describe();
  const std::vector<pid_t> before = children(h.process().pid());
  ASSERT_TRUE(h.rewrite_config("global\n  bogus-global-keyword\n"));
  ASSERT_TRUE(reload(h, 1, "reload failed")) << h.output();
  EXPECT_NE(h.output().find("bogus-global-keyword"), std::string::npos) << h.output();
  EXPECT_EQ(children(h.process().pid()), before);
  EXPECT_TRUE(http_ok(p.http));
  // A configuration that parses but cannot bind fails the same way, and the
  // sockets it did bind are closed again.
  uint16_t taken = 0;
  UniqueFd squat(listen_loopback(0, &taken));
  const uint16_t fresh_port = free_tcp_port();
  ASSERT_TRUE(
      h.rewrite_config(mw_config(p, be.port(), echo.port()) +
                       expand("frontend more\n  mode http\n  bind 127.0.0.1:${F}\n"
                              "  bind 127.0.0.1:${T}\n  default_backend app\n",
                              {{"F", std::to_string(fresh_port)}, {"T", std::to_string(taken)}})));
  ASSERT_TRUE(reload(h, 2, "reload failed")) << h.output();
  EXPECT_EQ(children(h.process().pid()), before);
  EXPECT_TRUE(listen_inodes(fresh_port).empty());
  EXPECT_TRUE(http_ok(p.http));
}

// As HAProxy's master: a crashed worker takes everything down with its exit
// code, unless "master-worker no-exit-on-failure".
TEST_F(MasterWorker, WorkerCrashEndsTheMasterWithItsCode) {
  HearthProcess& h = start();
  ASSERT_TRUE(h.ready()) << h.describe();
  const std::vector<pid_t> w = children(h.process().pid());
  ASSERT_EQ(w.size(), 1u);
  kill(w[0], SIGKILL);
  EXPECT_EQ(h.process().wait_exit(milliseconds{5000}), 137) << h.output();
}

TEST_F(MasterWorker, NoExitOnFailureKeepsTheMasterForAReload) {
  // The keyword alone, no -W.
  HearthProcess& h = start("  master-worker no-exit-on-failure\n", {});
  ASSERT_TRUE(h.ready()) << h.describe();
  const std::vector<pid_t> w = children(h.process().pid());
  ASSERT_EQ(w.size(), 1u);
  kill(w[0], SIGKILL);
  ASSERT_TRUE(wait_until([&] { return children(h.process().pid()).empty(); }, milliseconds{5000}));
  EXPECT_TRUE(h.process().running());
  ASSERT_TRUE(reload(h, 1)) << h.output();  // a reload starts a worker again
  EXPECT_TRUE(http_ok(p.http));
  EXPECT_EQ(h.stop(), 0) << h.output();
}

TEST_F(MasterWorker, StopSignalsAndExitCodes) {
  for (int sig : {SIGUSR1, SIGTERM, SIGINT}) {
    HearthProcess& h = start();
    ASSERT_TRUE(h.ready()) << h.describe();
    h.process().send_signal(sig);
    // HAProxy: 0 after a soft stop or SIGTERM; SIGINT's worker code (130).
    EXPECT_EQ(h.process().wait_exit(milliseconds{5000}), sig == SIGINT ? 130 : 0) << sig << "\n"
                                                                                  << h.output();
    EXPECT_TRUE(listen_inodes(p.http).empty());
  }
}

// An old worker keeps its sessions: a tunnel opened before the reload still
// echoes after it, and the old worker leaves once the tunnel closes.
TEST_F(MasterWorker, OldWorkerFinishesItsSessions) {
  HearthProcess& h = start();
  ASSERT_TRUE(h.ready()) << h.describe();
  UniqueFd t(connect_tcp(p.tcp));
  ASSERT_TRUE(send_all(t.get(), "one\n"));
  ASSERT_EQ(recv_line(t.get()), "one");
  ASSERT_TRUE(reload(h, 1)) << h.output();
  ASSERT_TRUE(send_all(t.get(), "two\n"));
  EXPECT_EQ(recv_line(t.get()), "two");
  EXPECT_EQ(children(h.process().pid()).size(), 2u);
  t.reset();
  EXPECT_TRUE(
      wait_until([&] { return count(h.output(), "former worker") == 1; }, milliseconds{5000}))
      << h.output();
}

// hard-stop-after bounds the old worker's drain; mworker-max-reloads ends a
// worker that lived through too many reloads (SIGTERM: code 143).
TEST_F(MasterWorker, HardStopAfterAndMaxReloadsEndOldWorkers) {
  for (const char* g : {"  hard-stop-after 300ms\n", "  mworker-max-reloads 0\n"}) {
    HearthProcess& h = start(g);
    ASSERT_TRUE(h.ready()) << h.describe();
    UniqueFd t(connect_tcp(p.tcp));
    ASSERT_TRUE(send_all(t.get(), "one\n"));
    ASSERT_EQ(recv_line(t.get()), "one");
    ASSERT_TRUE(reload(h, 1)) << h.output();
    EXPECT_TRUE(peer_closed(t.get(), milliseconds{5000})) << g;
    EXPECT_TRUE(
        wait_until([&] { return count(h.output(), "former worker") == 1; }, milliseconds{5000}))
        << h.output();
    const bool max_reloads = std::string(g).find("max-reloads") != std::string::npos;
    EXPECT_NE(h.output().find(max_reloads ? "code 143" : "code 0"), std::string::npos)
        << h.output();
  }
}

// SIGTTOU stops accepting (connections wait in the kernel's queue, which
// the master keeps), SIGTTIN resumes and serves them.
TEST_F(MasterWorker, TtouPausesAndTtinResumes) {
  HearthProcess& h = start();
  ASSERT_TRUE(h.ready()) << h.describe();
  h.process().send_signal(SIGTTOU);
  ASSERT_TRUE(wait_until(
      [&] {
        UniqueFd probe(connect_tcp(p.tcp));
        return send_all(probe.get(), "x\n") && !recv_line(probe.get(), milliseconds{200});
      },
      milliseconds{5000}));
  UniqueFd t(connect_tcp(p.tcp));  // queued, not accepted
  ASSERT_GE(t.get(), 0);
  ASSERT_TRUE(send_all(t.get(), "late\n"));
  EXPECT_FALSE(recv_line(t.get(), milliseconds{300}));
  h.process().send_signal(SIGTTIN);
  EXPECT_EQ(recv_line(t.get(), milliseconds{5000}), "late");
}

// -D with -W: the master detaches, the pid file holds the master's pid, and
// the worker is its child.
TEST_F(MasterWorker, DaemonMasterWritesItsPid) {
  TempDir dir;
  const std::string pidfile = dir.path() + "/h.pid";
  HearthProcess& h = start("", {"-W", "-D", "-p", pidfile}, /*detached=*/true);
  ASSERT_TRUE(wait_for_listen(p.http, milliseconds{5000})) << h.output();
  std::ifstream f(pidfile);
  long master = 0;
  ASSERT_TRUE(f >> master);
  const std::vector<pid_t> w = children(pid_t(master));
  EXPECT_EQ(w.size(), 1u);
  EXPECT_TRUE(http_ok(p.http));
  kill(pid_t(master), SIGTERM);
  EXPECT_TRUE(wait_until([&] { return kill(pid_t(master), 0) != 0; }, milliseconds{5000}));
}

// -Ws: READY=1 once the worker serves, RELOADING=1 then READY=1 around each
// reload (failed or not), STOPPING=1 on the stop; -W alone says nothing.
TEST_F(MasterWorker, SystemdNotifications) {
  TempDir dir;
  const std::string path = dir.path() + "/notify.sock";
  DatagramListener systemd(path);
  ASSERT_TRUE(systemd.valid());
  h_.reset();
  p = Ports{};
  HearthOptions o = mw_options(p, {"-Ws"});
  o.extra_env = {"NOTIFY_SOCKET=" + path};
  HearthProcess h(mw_config(p, be.port(), echo.port()), o);
  ASSERT_TRUE(h.ready()) << h.describe();
  EXPECT_EQ(systemd.next(), "READY=1");
  ASSERT_TRUE(reload(h, 1)) << h.output();
  EXPECT_EQ(systemd.next(), "RELOADING=1");
  EXPECT_EQ(systemd.next(), "READY=1");
  ASSERT_TRUE(h.rewrite_config("global\n  bogus-global-keyword\n"));
  ASSERT_TRUE(reload(h, 1, "reload failed")) << h.output();
  EXPECT_EQ(systemd.next(), "RELOADING=1");
  EXPECT_EQ(systemd.next(), "READY=1");
  h.process().send_signal(SIGTERM);
  EXPECT_EQ(systemd.next(), "STOPPING=1");
  EXPECT_EQ(h.process().wait_exit(milliseconds{5000}), 0) << h.output();

  HearthOptions quiet = mw_options(p, {"-W"});
  quiet.extra_env = {"NOTIFY_SOCKET=" + path};
  HearthProcess w(mw_config(p, be.port(), echo.port()), quiet);
  ASSERT_TRUE(w.ready()) << w.describe();
  EXPECT_TRUE(systemd.none_within(milliseconds{300}));
}

}  // namespace
}  // namespace hearth::test
