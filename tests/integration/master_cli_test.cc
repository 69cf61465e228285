// The master CLI (-S) and program sections through the real binary: "show
// proc" lists the master, current and old workers and the programs as
// HAProxy 2.6 lays it out; "@1", "@!PID" and "@master" reach the right
// process; prompt mode, ';'-separated commands, levels, "reload" (same as
// SIGUSR2) and a failed reload; programs are started, replaced on reload as
// their start-on-reload option says, and stopped with the master.
#include <poll.h>
#include <signal.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <unistd.h>

#include <fstream>
#include <regex>
#include <sstream>

#include "integration/http_test_util.h"
#include "integration/tcp_test_util.h"
#include "support/wait.h"

namespace hearth::test {
namespace {

using std::chrono::milliseconds;

// An interactive master CLI connection.
class CliConn {
 public:
  explicit CliConn(const std::string& path) {
    fd_.reset(socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0));
    sockaddr_un a{};
    a.sun_family = AF_UNIX;
    path.copy(a.sun_path, sizeof a.sun_path - 1);
    if (::connect(fd_.get(), reinterpret_cast<sockaddr*>(&a), sizeof a) != 0) fd_.reset(-1);
  }
  bool ok() const { return fd_.valid(); }
  bool send(const std::string& line) { return send_raw(line + "\n"); }
  bool send_raw(const std::string& bytes) { return send_all(fd_.get(), bytes, milliseconds{2000}); }
  // Returns: what arrived until it ends with `suffix` (or the timeout).
  std::string until(const std::string& suffix, milliseconds max = milliseconds{5000}) {
    std::string got;
    const auto end = std::chrono::steady_clock::now() + max;
    while (!(got.size() >= suffix.size() &&
             got.compare(got.size() - suffix.size(), suffix.size(), suffix) == 0) &&
           std::chrono::steady_clock::now() < end) {
      pollfd p{fd_.get(), POLLIN, 0};
      if (poll(&p, 1, 50) <= 0) continue;
      char buf[4096];
      const ssize_t n = recv(fd_.get(), buf, sizeof buf, 0);
      if (n <= 0) break;
      got.append(buf, size_t(n));
    }
    return got;
  }
  bool closed() { return peer_closed(fd_.get(), milliseconds{3000}); }

 private:
  UniqueFd fd_;
};

std::string one(const std::string& sock, const std::string& command) {
  return tcp::admin_command(sock, command);
}

std::vector<pid_t> children(pid_t pid) {
  std::ifstream f("/proc/" + std::to_string(pid) + "/task/" + std::to_string(pid) + "/children");
  std::vector<pid_t> out;
  for (long c; f >> c;) out.push_back(pid_t(c));
  return out;
}

std::string comm(pid_t pid) {
  std::ifstream f("/proc/" + std::to_string(pid) + "/comm");
  std::string s;
  std::getline(f, s);
  return s;
}

// The rows of one "show proc" section ("# workers", "# programs", ...):
// each row's words.
std::vector<std::vector<std::string>> section(const std::string& proc, const std::string& name) {
  std::istringstream in(proc);
  std::vector<std::vector<std::string>> rows;
  bool inside = false;
  for (std::string line; std::getline(in, line);) {
    if (line.rfind("#", 0) == 0) {
      inside = line == name;
      continue;
    }
    if (!inside || line.empty()) continue;
    std::istringstream w(line);
    rows.emplace_back();
    for (std::string x; w >> x;) rows.back().push_back(x);
  }
  return rows;
}

size_t count(const std::string& text, const std::string& needle) {
  size_t n = 0;
  for (size_t at = text.find(needle); at != std::string::npos; at = text.find(needle, at + 1)) ++n;
  return n;
}

class MasterCli : public ::testing::Test {
 protected:
  HearthProcess& start(const std::string& programs = "", const std::string& s_opts = "",
                       const std::string& global = "") {
    sock_ = dir_.path() + "/master.sock";
    HearthOptions o;
    o.extra_args = {"-W", "-S", sock_ + s_opts};
    o.wait_ports = {port_, tcp_port_};
    o.wait_output = "new worker (";
    h_ = std::make_unique<HearthProcess>(config(programs, global), o);
    return *h_;
  }
  std::string config(const std::string& programs, const std::string& global = "") {
    return "global\n" + global +
           "defaults\n  timeout connect 2s\n  timeout client 20s\n  timeout server 20s\n"
           "frontend web\n  mode http\n  bind 127.0.0.1:" +
           std::to_string(port_) +
           "\n  default_backend app\n"
           "backend app\n  mode http\n  server s1 127.0.0.1:" +
           std::to_string(be_.port()) +
           "\n"
           "frontend tun\n  mode tcp\n  bind 127.0.0.1:" +
           std::to_string(tcp_port_) + "\n  default_backend echo\n" +
           "backend echo\n  mode tcp\n  server e1 127.0.0.1:" + std::to_string(echo_.port()) +
           "\n" + programs;
  }
  bool reloaded(size_t n, const char* what = "reload done") {
    return wait_until([&] { return count(h_->output(), what) >= n; }, milliseconds{15000});
  }
  pid_t worker() {
    for (pid_t c : children(h_->process().pid()))
      if (comm(c) != "sleep" && comm(c) != "sh") return c;
    return -1;
  }

  TempDir dir_;
  std::string sock_;
  uint16_t port_ = free_tcp_port();
  uint16_t tcp_port_ = free_tcp_port();
  http::HttpBackend be_;
  EchoServer echo_;
  std::unique_ptr<HearthProcess> h_;
};

const char kPrograms[] =
    "program foo\n  command sleep 1000\n"
    "program bar\n  command sleep 1000\n  no option start-on-reload\n";

TEST_F(MasterCli, ShowProcLaysOutMasterWorkersAndPrograms) {
  HearthProcess& h = start(kPrograms);
  ASSERT_TRUE(h.ready()) << h.describe();
  const std::string proc = one(sock_, "show proc");
  // The header, then the master; every column 15 wide and one blank apart.
  const std::string header =
      "#<PID>          <type>          <reloads>       <uptime>        <version>      \n";
  ASSERT_EQ(proc.rfind(header, 0), 0u) << proc;
  const std::regex master("\n" + std::to_string(h.process().pid()) +
                          " +master          0 \\[failed: 0\\]   0d00h00m0[0-9]s     \\S+ *\n"
                          "# workers\n");
  EXPECT_TRUE(std::regex_search(proc, master)) << proc;
  const auto workers = section(proc, "# workers");
  ASSERT_EQ(workers.size(), 1u) << proc;
  EXPECT_EQ(workers[0][0], std::to_string(worker()));
  EXPECT_EQ(workers[0][1], "worker");
  EXPECT_EQ(workers[0][2], "0");
  const auto programs = section(proc, "# programs");
  ASSERT_EQ(programs.size(), 2u) << proc;
  EXPECT_EQ(programs[0][1], "foo");
  EXPECT_EQ(programs[1][1], "bar");
  EXPECT_EQ(programs[0][4], "-");
  EXPECT_EQ(comm(pid_t(std::stol(programs[0][0]))), "sleep");
  EXPECT_EQ(proc.substr(proc.size() - 2), "\n\n");  // an empty line ends the answer
  EXPECT_EQ(proc.find("# old"), std::string::npos) << proc;
  // Programs stop with the master.
  const pid_t foo = pid_t(std::stol(programs[0][0]));
  EXPECT_EQ(h.stop(), 0) << h.output();
  EXPECT_NE(kill(foo, 0), 0);
}

TEST_F(MasterCli, PrefixesReachTheWorkerOrTheMaster) {
  HearthProcess& h = start();
  ASSERT_TRUE(h.ready()) << h.describe();
  const std::string pid = std::to_string(worker());
  std::string info = one(sock_, "@1 show info");
  EXPECT_NE(info.find("\nProcess_num: 1\n"), std::string::npos) << info;
  EXPECT_NE(info.find("\nPid: " + pid + "\n"), std::string::npos) << info;
  info = one(sock_, "@!" + pid + " show info");
  EXPECT_NE(info.find("\nPid: " + pid + "\n"), std::string::npos) << info;
  // A prefix alone sets the target of the commands that follow on the line.
  info = one(sock_, "@1; show info; @master; show proc");
  EXPECT_NE(info.find("\nPid: " + pid + "\n"), std::string::npos) << info;
  EXPECT_NE(info.find("# workers\n"), std::string::npos) << info;
  EXPECT_EQ(one(sock_, "@!99999 show info"), "No process matches the prefix '@!99999'\n");
  EXPECT_EQ(one(sock_, "@2 show info"), "No process matches the prefix '@2'\n");
  EXPECT_NE(one(sock_, "@master show proc").find("# workers"), std::string::npos);
  EXPECT_NE(one(sock_, "@ show proc").find("# workers"), std::string::npos);
  // The worker's own answers come back whole, its errors too.
  EXPECT_NE(one(sock_, "@1 show stat").find("# pxname,svname"), std::string::npos);
  EXPECT_NE(one(sock_, "@1 no such command").find("Unknown command"), std::string::npos);
  // The master's own commands, several on a line.
  const std::string two = one(sock_, "show version; show cli level");
  EXPECT_NE(two.find("\n\nadmin\n\n"), std::string::npos) << two;
  EXPECT_NE(one(sock_, "help").find("show proc"), std::string::npos);
  EXPECT_NE(one(sock_, "foo").find("Unknown command 'foo'"), std::string::npos);
}

// "CMD <<": the payload lines, up to an empty one, go to the worker with the command.
TEST_F(MasterCli, PayloadGoesWithTheCommand) {
  const std::string map = dir_.path() + "/hosts.map";
  std::ofstream(map) << "a.test app\n";
  HearthProcess& h = start(
      "frontend m\n  mode http\n  bind 127.0.0.1:" + std::to_string(free_tcp_port()) +
      "\n  http-request set-var(txn.x) req.hdr(host),map(" + map + ")\n  default_backend app\n");
  ASSERT_TRUE(h.ready()) << h.describe();
  EXPECT_EQ(one(sock_, "@1 add map " + map + " <<\nb.test app\nc.test app\n"), "\n");
  const std::string shown = one(sock_, "@1 show map " + map);
  EXPECT_NE(shown.find(" a.test app\n"), std::string::npos) << shown;
  EXPECT_NE(shown.find(" b.test app\n"), std::string::npos) << shown;
  EXPECT_NE(shown.find(" c.test app\n"), std::string::npos) << shown;
  // In a prompt session, the line after the payload is the next command.
  CliConn c(sock_);
  c.send("prompt");
  EXPECT_EQ(c.until("master> "), "master> ");
  c.send("@1 add map " + map + " <<\nd.test app\n\nshow version");
  // The add's empty answer and prompt, then the version's.
  const std::string two = c.until("\n\nmaster> ");
  EXPECT_EQ(two.rfind("\nmaster> ", 0), 0u) << two;
  EXPECT_EQ(count(two, "master> "), 2u) << two;
  EXPECT_NE(one(sock_, "@1 show map " + map).find(" d.test app\n"), std::string::npos);
}

TEST_F(MasterCli, PromptModeKeepsTheSessionAndShowsTheTarget) {
  HearthProcess& h = start();
  ASSERT_TRUE(h.ready()) << h.describe();
  const std::string pid = std::to_string(worker());
  CliConn c(sock_);
  ASSERT_TRUE(c.ok());
  c.send("prompt");
  EXPECT_EQ(c.until("master> "), "master> ");
  c.send("@1");
  EXPECT_EQ(c.until(pid + "> "), pid + "> ");
  c.send("show info");
  const std::string info = c.until(pid + "> ");
  EXPECT_NE(info.find("Process_num: 1\n"), std::string::npos) << info;
  c.send("@");
  EXPECT_EQ(c.until("master> "), "master> ");
  c.send("show cli level");
  EXPECT_EQ(c.until("master> "), "admin\n\nmaster> ");
  // An unknown prefix ends the session, prompt or not (as HAProxy 2.6).
  c.send("@!1; show proc");
  EXPECT_EQ(c.until("master> ", milliseconds{1000}), "No process matches the prefix '@!1'\n");
  EXPECT_TRUE(c.closed());
}

TEST_F(MasterCli, QuitEndsThePromptSession) {
  HearthProcess& h = start();
  ASSERT_TRUE(h.ready()) << h.describe();
  CliConn c(sock_);
  c.send("prompt");
  EXPECT_EQ(c.until("master> "), "master> ");
  c.send("quit");
  EXPECT_TRUE(c.closed());
}

TEST_F(MasterCli, LevelsLimitTheSession) {
  HearthProcess& h = start("", ",level,user");
  ASSERT_TRUE(h.ready()) << h.describe();
  EXPECT_EQ(one(sock_, "show cli level"), "user\n\n");
  EXPECT_EQ(one(sock_, "reload"), "Permission denied\n\n");
  EXPECT_EQ(one(sock_, "operator"), "Permission denied!\n");
  // The worker applies the session's level to what it forwards.
  EXPECT_NE(one(sock_, "@1 disable server app/s1").find("Permission denied"), std::string::npos);
  EXPECT_EQ(count(h.output(), "reloading"), 0u);
}

TEST_F(MasterCli, AdminLowersItsLevel) {
  HearthProcess& h = start("", ",mode,600");
  ASSERT_TRUE(h.ready()) << h.describe();
  EXPECT_EQ(one(sock_, "operator; show cli level"), "operator\n\n");
  EXPECT_EQ(one(sock_, "user; show cli level; operator"), "user\n\nPermission denied!\n");
  struct stat st {};
  ASSERT_EQ(stat(sock_.c_str(), &st), 0);
  EXPECT_EQ(st.st_mode & 0777, 0600u);
  EXPECT_EQ(one(sock_, "@1 disable server app/s1"), "\n");  // admin: done, nothing to say
}

TEST_F(MasterCli, ReloadCommandReplacesTheWorkerAndListsTheOldOne) {
  HearthProcess& h = start();
  ASSERT_TRUE(h.ready()) << h.describe();
  const pid_t first = worker();
  // A tunnel through the first worker keeps it alive as an old worker.
  UniqueFd tunnel(connect_tcp(tcp_port_, milliseconds{2000}));
  ASSERT_TRUE(tunnel.valid());
  ASSERT_TRUE(send_all(tunnel.get(), "ping", milliseconds{2000}));
  ASSERT_EQ(recv_n(tunnel.get(), 4, milliseconds{2000}), "ping");
  CliConn c(sock_);
  ASSERT_TRUE(c.ok());
  c.send("reload");
  EXPECT_TRUE(c.closed());  // a reload closes the connection, as HAProxy 2.6
  ASSERT_TRUE(reloaded(1)) << h.output();
  const std::string proc = one(sock_, "show proc");
  EXPECT_NE(proc.find(" master          1 [failed: 0] "), std::string::npos) << proc;
  const auto workers = section(proc, "# workers");
  const auto old = section(proc, "# old workers");
  ASSERT_EQ(workers.size(), 1u) << proc;
  ASSERT_EQ(old.size(), 1u) << proc;
  EXPECT_NE(workers[0][0], std::to_string(first));
  EXPECT_EQ(old[0][0], std::to_string(first));
  EXPECT_EQ(old[0][2], "1");  // it lived through one reload
  // The old worker is reached by its pid only.
  const std::string info = one(sock_, "@!" + std::to_string(first) + " show info");
  EXPECT_NE(info.find("Pid: " + std::to_string(first) + "\n"), std::string::npos) << info;
  EXPECT_EQ(one(sock_, "@1 show info").find("Pid: " + std::to_string(first) + "\n"),
            std::string::npos);
}

TEST_F(MasterCli, FailedReloadShowsInPromptAndCounts) {
  HearthProcess& h = start();
  ASSERT_TRUE(h.ready()) << h.describe();
  ASSERT_TRUE(h.rewrite_config("frontend broken\n  no-such-keyword\n"));
  one(sock_, "reload");
  ASSERT_TRUE(reloaded(1, "reload failed")) << h.output();
  CliConn c(sock_);
  c.send("prompt");
  EXPECT_EQ(c.until("master[ReloadFailed]> "), "master[ReloadFailed]> ");
  c.send("show proc");
  const std::string proc = c.until("master[ReloadFailed]> ");
  EXPECT_NE(proc.find(" master          1 [failed: 1] "), std::string::npos) << proc;
  EXPECT_EQ(section(proc, "# workers").size(), 1u) << proc;
}

TEST_F(MasterCli, AnIdleClientDoesNotHoldTheMaster) {
  HearthProcess& h = start();
  ASSERT_TRUE(h.ready()) << h.describe();
  CliConn idle(sock_);  // connected, says nothing
  CliConn half(sock_);  // half a line
  CliConn waiting(sock_);
  ASSERT_TRUE(idle.ok() && half.ok() && waiting.ok());
  ASSERT_TRUE(half.send_raw("show pr"));
  ASSERT_TRUE(waiting.send("prompt"));
  EXPECT_EQ(waiting.until("master> "), "master> ");
  h.process().send_signal(SIGUSR2);
  ASSERT_TRUE(reloaded(1)) << h.output();
  EXPECT_NE(one(sock_, "show proc").find(" master          1 [failed: 0] "), std::string::npos);
}

// A client that does not send its line within 10 s is closed; a prompt
// session has no idle limit (as HAProxy 2.6); a worker that does not answer
// within 10 s gets the session an error instead of a hang.
TEST_F(MasterCli, TimeoutsForSilentClientsAndWorkers) {
  HearthProcess& h = start();
  ASSERT_TRUE(h.ready()) << h.describe();
  pid_t w = -1;  // never kill(-1, ...): that would stop every process
  ASSERT_TRUE(wait_until([&] { return (w = worker()) > 0; }, milliseconds{5000}));
  CliConn silent(sock_);
  CliConn interactive(sock_);
  CliConn waiting(sock_);
  interactive.send("prompt");
  EXPECT_EQ(interactive.until("master> "), "master> ");
  ASSERT_EQ(kill(w, SIGSTOP), 0);
  // Stopped for sure before the command goes (state 'T' in /proc/PID/stat).
  ASSERT_TRUE(wait_until(
      [&] {
        std::ifstream f("/proc/" + std::to_string(w) + "/stat");
        std::string pid, name, state;
        f >> pid >> name >> state;
        return state == "T";
      },
      milliseconds{2000}));
  waiting.send("@1 show info");
  const auto t0 = std::chrono::steady_clock::now();
  EXPECT_EQ(waiting.until("\n", milliseconds{13000}), "The worker did not answer in time.\n");
  EXPECT_GE(std::chrono::steady_clock::now() - t0, milliseconds{9000});
  kill(w, SIGCONT);
  EXPECT_TRUE(silent.closed());
  interactive.send("show cli level");
  EXPECT_EQ(interactive.until("master> "), "admin\n\nmaster> ");
}

TEST_F(MasterCli, ProgramsFollowStartOnReload) {
  HearthProcess& h = start(std::string(kPrograms) +
                           "program tough\n  command sh -c \"trap '' USR1; exec sleep 1000\"\n");
  ASSERT_TRUE(h.ready()) << h.describe();
  auto programs = section(one(sock_, "show proc"), "# programs");
  ASSERT_EQ(programs.size(), 3u);
  const std::string foo = programs[0][0], bar = programs[1][0], tough = programs[2][0];
  h.process().send_signal(SIGUSR2);
  ASSERT_TRUE(reloaded(1)) << h.output();
  // SIGUSR1 to every instance: sleep dies of it; "tough" ignores it and stays as an old one.
  ASSERT_TRUE(
      wait_until([&] { return count(h.output(), "former program") >= 2; }, milliseconds{5000}))
      << h.output();
  const std::string proc = one(sock_, "show proc");
  programs = section(proc, "# programs");
  const auto old = section(proc, "# old programs");
  ASSERT_EQ(programs.size(), 2u) << proc;  // bar says no start-on-reload
  EXPECT_EQ(programs[0][1], "foo");
  EXPECT_NE(programs[0][0], foo);
  EXPECT_EQ(programs[1][1], "tough");
  EXPECT_NE(programs[1][0], tough);
  ASSERT_EQ(old.size(), 1u) << proc;
  EXPECT_EQ(old[0][0], tough);
  EXPECT_EQ(old[0][2], "1");
  EXPECT_NE(kill(pid_t(std::stol(bar)), 0), 0);
  EXPECT_EQ(h.stop(), 0) << h.output();
  EXPECT_NE(kill(pid_t(std::stol(tough)), 0), 0);  // SIGTERM at the stop
}

// A current program that fails (exit-on-failure, the default) stops the
// workers and the master, as a crashed worker does.
TEST_F(MasterCli, AFailingProgramStopsEverything) {
  HearthProcess& h = start("program oops\n  command sh -c \"sleep 1; exit 3\"\n");
  const auto rc = h.process().wait_exit(milliseconds{10000});
  ASSERT_TRUE(rc.has_value()) << h.output();
  EXPECT_NE(h.output().find("current program 'oops'"), std::string::npos) << h.output();
  EXPECT_NE(h.output().find("exited with code 3"), std::string::npos) << h.output();
  EXPECT_NE(h.output().find("new worker ("), std::string::npos) << h.output();
  EXPECT_NE(h.output().find("exit-on-failure"), std::string::npos) << h.output();
}

// "user" and "group": the program runs with that identity (needs root to switch).
TEST_F(MasterCli, ProgramsRunAsTheirUserAndGroup) {
  if (geteuid() != 0) GTEST_SKIP() << "switching users needs root";
  HearthProcess& h = start("program who\n  command sleep 1000\n  user nobody\n  group nogroup\n");
  ASSERT_TRUE(h.ready()) << h.describe();
  const auto programs = section(one(sock_, "show proc"), "# programs");
  ASSERT_EQ(programs.size(), 1u);
  std::ifstream f("/proc/" + programs[0][0] + "/status");
  std::string uid, gid;
  for (std::string line; std::getline(f, line);) {
    if (line.rfind("Uid:", 0) == 0) uid = line;
    if (line.rfind("Gid:", 0) == 0) gid = line;
  }
  EXPECT_EQ(uid, "Uid:\t65534\t65534\t65534\t65534") << uid;
  EXPECT_EQ(gid, "Gid:\t65534\t65534\t65534\t65534") << gid;
}

// -S without the master-worker mode: a warning, and no socket (as HAProxy).
TEST(MasterCliConfig, SWithoutMasterWorkerWarns) {
  TempDir d;
  const uint16_t web = free_tcp_port();
  HearthOptions o;
  o.extra_args = {"-S", d.path() + "/m.sock"};
  o.wait_ports = {web};
  HearthProcess h("frontend f\n  bind 127.0.0.1:" + std::to_string(web) + "\n", o);
  ASSERT_TRUE(h.ready()) << h.describe();
  EXPECT_NE(h.output().find("-S: a master CLI needs the master-worker mode"), std::string::npos)
      << h.output();
  struct stat st {};
  EXPECT_NE(stat((d.path() + "/m.sock").c_str(), &st), 0);
}

TEST(MasterCliConfig, ProgramsNeedTheMasterWorkerMode) {
  const std::string cfg = "program p\n  command sleep 1\n";
  RunResult r = HearthProcess::check_config(cfg);
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_NE(r.output.find(":1: 'program': a program section needs the master-worker mode"),
            std::string::npos)
      << r.output;
  EXPECT_EQ(HearthProcess::check_config(cfg, {"-W"}).exit_code, 0);
  EXPECT_EQ(HearthProcess::check_config("global\n  master-worker\n" + cfg).exit_code, 0);
  r = HearthProcess::check_config("program p\n  user root\n", {"-W"});
  EXPECT_NE(r.output.find("has no 'command' line"), std::string::npos) << r.output;
}

TEST(MasterCliConfig, BadSOptionsAreRefused) {
  TempDir d;
  for (const std::string& spec :
       std::vector<std::string>{d.path() + "/m.sock,foo,bar", d.path() + "/m.sock,level",
                                d.path() + "/m.sock,level,root", "abns@x"}) {
    HearthOptions o;
    o.extra_args = {"-W", "-S", spec};
    o.wait_output = "never printed";
    o.timeout = milliseconds{3000};
    HearthProcess h("frontend f\n  bind 127.0.0.1:" + std::to_string(free_tcp_port()) + "\n", o);
    const auto rc = h.process().wait_exit(milliseconds{3000});
    EXPECT_EQ(rc, std::optional<int>(1)) << spec << ": " << h.output();
    EXPECT_NE(h.output().find("-S '" + spec + "'"), std::string::npos) << h.output();
  }
}

TEST(MasterCliConfig, TcpAddressServesToo) {
  const uint16_t web = free_tcp_port(), cli = free_tcp_port();
  HearthOptions o;
  o.extra_args = {"-W", "-S", "ipv4@127.0.0.1:" + std::to_string(cli)};
  o.wait_ports = {web, cli};
  o.wait_output = "new worker (";
  HearthProcess h("frontend f\n  bind 127.0.0.1:" + std::to_string(web) + "\n", o);
  ASSERT_TRUE(h.ready()) << h.describe();
  UniqueFd fd(connect_tcp(cli, milliseconds{2000}));
  ASSERT_TRUE(send_all(fd.get(), "@1 show info\n", milliseconds{2000}));
  EXPECT_NE(recv_until_eof(fd.get(), milliseconds{3000}).find("Process_num: 1\n"),
            std::string::npos);
}

}  // namespace
}  // namespace hearth::test
