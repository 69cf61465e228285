// External checks (option external-check): the arguments and environment a
// command gets, where it is looked for, and a HealthCheck that runs one on
// a real event loop: its exit status as the result (PROCOK, PROCERR with
// its code), its deadline (PROCTOUT, the command killed), a command that
// cannot run (PROCERR 255), and maintenance ending a command in flight.
#include "backend/external_check.h"

#include <gtest/gtest.h>
#include <signal.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <chrono>
#include <functional>
#include <memory>
#include <string>

#include "backend/backend.h"
#include "backend/health_check.h"
#include "core/event_loop.h"
#include "support/temp_dir.h"

namespace hearth::backend {
namespace {

using std::chrono::milliseconds;

net::Address addr(const std::string& text) {
  std::string err;
  return *net::Address::parse(text, &err);
}

ExternalCheckSpec listen_spec() {
  ExternalCheckSpec s;
  s.command = "/usr/local/bin/chk";
  s.path = "/usr/bin:/bin";
  s.proxy_addr = "127.0.0.1";
  s.proxy_port = "8080";
  s.proxy_name = "px";
  s.proxy_id = 2;
  s.server_name = "web1";
  s.server_id = 3;
  s.server_maxconn = 7;
  s.server_ssl = true;
  s.server_proto = "h1";
  return s;
}

TEST(ExternalCheckRun, ArgumentsAndEnvironmentOfAListenSection) {
  const ExternalCheckRun r = external_check_run(listen_spec(), addr("10.0.0.5:8443"), 4);
  EXPECT_EQ(r.argv, (std::vector<std::string>{"/usr/local/bin/chk", "127.0.0.1", "8080", "10.0.0.5",
                                              "8443"}));
  EXPECT_EQ(r.env,
            (std::vector<std::string>{
                "PATH=/usr/bin:/bin", "HAPROXY_PROXY_NAME=px", "HAPROXY_PROXY_ID=2",
                "HAPROXY_PROXY_ADDR=127.0.0.1", "HAPROXY_PROXY_PORT=8080",
                "HAPROXY_SERVER_NAME=web1", "HAPROXY_SERVER_ID=3", "HAPROXY_SERVER_ADDR=10.0.0.5",
                "HAPROXY_SERVER_PORT=8443", "HAPROXY_SERVER_MAXCONN=7", "HAPROXY_SERVER_CURCONN=4",
                "HAPROXY_SERVER_SSL=1", "HAPROXY_SERVER_PROTO=h1"}));
}

TEST(ExternalCheckRun, ABackendHasNoListenerAndIPv6HasNoBrackets) {
  ExternalCheckSpec s = listen_spec();
  s.proxy_addr.clear();
  s.proxy_port.clear();
  s.path.clear();
  const ExternalCheckRun r = external_check_run(s, addr("[::1]:0"), 0);
  EXPECT_EQ(r.argv,
            (std::vector<std::string>{"/usr/local/bin/chk", "NOT_USED", "NOT_USED", "::1", "0"}));
  EXPECT_EQ(r.env[0], "PATH=");
  EXPECT_EQ(r.env[3], "HAPROXY_PROXY_ADDR=");
  EXPECT_EQ(r.env[4], "HAPROXY_PROXY_PORT=");
  EXPECT_EQ(r.env[7], "HAPROXY_SERVER_ADDR=::1");
  EXPECT_EQ(r.env[8], "HAPROXY_SERVER_PORT=0");
}

TEST(FindCommand, AsExecvpDoes) {
  test::TempDir a, b;
  const std::string exe = b.file("chk");
  ASSERT_TRUE(test::write_file(exe, "#!/bin/sh\nexit 0\n"));
  chmod(exe.c_str(), 0755);
  const std::string plain = a.file("chk");
  ASSERT_TRUE(test::write_file(plain, "not executable"));
  chmod(plain.c_str(), 0644);
  int err = -1;
  // A slash: as it is, found or not (exec will tell).
  EXPECT_EQ(find_command("./x/y", "", &err), "./x/y");
  EXPECT_EQ(err, 0);
  // Along the path, skipping a file that may not be run.
  EXPECT_EQ(find_command("chk", "/nonexistent:" + a.path() + ":" + b.path(), &err), exe);
  EXPECT_EQ(err, 0);
  EXPECT_EQ(find_command("chk", a.path(), &err), "");
  EXPECT_EQ(err, EACCES);
  EXPECT_EQ(find_command("chk", "/nonexistent", &err), "");
  EXPECT_EQ(err, ENOENT);
  // An empty entry (or an empty PATH) is the current directory.
  char cwd[4096];
  ASSERT_NE(getcwd(cwd, sizeof cwd), nullptr);
  ASSERT_EQ(chdir(b.path().c_str()), 0);
  EXPECT_EQ(find_command("chk", "", &err), "chk");
  EXPECT_EQ(find_command("chk", "/nonexistent:", &err), "chk");
  ASSERT_EQ(chdir(cwd), 0);
}

TEST(MayFork, OnlyWithInsecureForkWantedOrPrivileges) {
  EXPECT_TRUE(may_fork(true, false));
  EXPECT_TRUE(may_fork(false, true));
  EXPECT_FALSE(may_fork(false, false));
}

// A backend "be" with one server "s1", checked by an external command that
// the test writes, on a loop on this thread.
class ExternalHealthTest : public ::testing::Test {
 protected:
  ExternalHealthTest() : be_("be", LbKind::kRoundRobin, 2) { loop_.make_current(); }
  ~ExternalHealthTest() override {
    if (check_) check_->stop();
    check_.reset();
  }

  // The command: a shell script whose body is `body`.
  std::string script(const std::string& body) {
    const std::string f = dir_.file("chk" + std::to_string(++scripts_));
    EXPECT_TRUE(test::write_file(f, "#!/bin/sh\n" + body + "\n"));
    chmod(f.c_str(), 0755);
    return f;
  }

  Server* start(const std::string& command, int64_t inter = 50, int fall = 2) {
    auto s = std::make_unique<Server>();
    s->name = "s1";
    s->set_address(addr("127.0.0.1:9"));
    Server* srv = be_.add_server(std::move(s));
    be_.finalize();
    CheckSpec sp;
    sp.rise = 2;
    sp.fall = fall;
    sp.intervals.inter = inter;
    sp.addr = srv->address();
    auto x = std::make_shared<ExternalCheckSpec>();
    x->command = command;
    x->proxy_name = "be";
    x->server_name = "s1";
    x->insecure_fork_wanted = true;
    sp.external = x;
    check_ = std::make_unique<HealthCheck>(&be_, srv, std::move(sp), 0);
    srv->health.start(srv->serving(), loop_.now_ms());
    check_->start(&loop_);
    return srv;
  }

  bool run_until(const std::function<bool()>& pred, int ms = 5000) {
    const auto deadline = std::chrono::steady_clock::now() + milliseconds(ms);
    while (!pred()) {
      if (std::chrono::steady_clock::now() > deadline) return false;
      loop_.run_once(5);
    }
    return true;
  }

  test::TempDir dir_;
  int scripts_ = 0;
  EventLoop loop_;
  Backend be_;
  std::unique_ptr<HealthCheck> check_;
};

TEST_F(ExternalHealthTest, ExitZeroPasses) {
  Server* s = start(script("exit 0"));
  ASSERT_TRUE(run_until([&] { return s->health.last().status == CheckStatus::kProcOk; }));
  EXPECT_EQ(s->health.last().code, 0);
  EXPECT_TRUE(s->up.load());
  EXPECT_EQ(s->health.health.load(), 3);  // fully UP (rise 2 + fall 2 - 1)
}

TEST_F(ExternalHealthTest, AnotherExitCodeFailsWithThatCode) {
  Server* s = start(script("exit 3"));
  ASSERT_TRUE(run_until([&] { return !s->up.load(); }));
  ServerHealth::LastCheck last = s->health.last();
  EXPECT_EQ(last.status, CheckStatus::kProcErr);
  EXPECT_EQ(last.code, 3);
  EXPECT_EQ(last.info, "");
  EXPECT_EQ(s->health.down_transitions.load(), 1u);
}

TEST_F(ExternalHealthTest, TheCommandSeesItsArgumentsAndEnvironment) {
  const std::string out = dir_.file("seen");
  Server* s = start(script("echo \"$1 $2 $3 $4 $HAPROXY_SERVER_NAME $PATH\" > " + out));
  ASSERT_TRUE(run_until([&] { return s->health.last().status == CheckStatus::kProcOk; }));
  EXPECT_EQ(test::read_file(out), "NOT_USED NOT_USED 127.0.0.1 9 s1 \n");
}

TEST_F(ExternalHealthTest, ACommandStillRunningAtTheDeadlineIsKilled) {
  const std::string pidfile = dir_.file("pid");
  Server* s = start(script("echo $$ > " + pidfile + "; exec /bin/sleep 30"), 300, 1);
  ASSERT_TRUE(run_until([&] { return s->health.last().status == CheckStatus::kProcTout; }));
  EXPECT_FALSE(s->up.load());
  EXPECT_EQ(s->health.last().code, 0);
  const pid_t pid = std::stoi(test::read_file(pidfile));
  // Killed (SIGTERM) and reaped by the check's loop: gone.
  EXPECT_TRUE(run_until([&] { return kill(pid, 0) != 0; }));
}

TEST_F(ExternalHealthTest, ACommandThatCannotRunFailsWith255) {
  Server* s = start(dir_.file("missing"));
  ASSERT_TRUE(run_until([&] { return s->health.last().status == CheckStatus::kProcErr; }));
  EXPECT_EQ(s->health.last().code, 255);
}

TEST_F(ExternalHealthTest, MaintenanceEndsACommandInFlight) {
  const std::string pidfile = dir_.file("pid");
  Server* s = start(script("echo $$ > " + pidfile + "; exec /bin/sleep 30"), 5000);
  ASSERT_TRUE(run_until([&] { return test::read_file(pidfile).size() > 1; }));
  const pid_t pid = std::stoi(test::read_file(pidfile));
  set_server_maintenance(be_, *s, true);
  EXPECT_TRUE(run_until([&] { return kill(pid, 0) != 0; }));
  EXPECT_EQ(s->health.last().status, CheckStatus::kInit);  // nothing counted
}

}  // namespace
}  // namespace hearth::backend
