// The process model through the real binary: -v/-vv, -cc (against haproxy's
// own answers when haproxy is installed), .if blocks, daemon with user,
// group and chroot, the fd limit, grace, -C, -dW.
#include <signal.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <regex>

#include "integration/http_test_util.h"
#include "integration/tcp_test_util.h"
#include "support/command.h"
#include "support/temp_dir.h"

namespace hearth::test {
namespace {

using std::chrono::milliseconds;

std::string cfg(uint16_t port, uint16_t server, const std::string& global = "") {
  return expand(
      "global\n${G}"
      "defaults\n  mode tcp\n  timeout connect 2s\n  timeout client 5s\n  timeout server 5s\n"
      "frontend fe\n  bind 127.0.0.1:${P}\n  default_backend be\n"
      "backend be\n  server s1 127.0.0.1:${S}\n",
      {{"G", global}, {"P", std::to_string(port)}, {"S", std::to_string(server)}});
}

// Returns: true if a line sent through `port` comes back (the echo backend).
bool echoes(uint16_t port) {
  UniqueFd fd(connect_tcp(port));
  if (fd.get() < 0 || !send_all(fd.get(), "ping\n")) return false;
  auto line = recv_line(fd.get());
  return line && *line == "ping";
}

// Returns: the value of field `name` in /proc/PID/status ("" if absent).
std::string proc_status(pid_t pid, const std::string& name) {
  std::ifstream f("/proc/" + std::to_string(pid) + "/status");
  for (std::string line; std::getline(f, line);)
    if (line.rfind(name + ":", 0) == 0) {
      std::string v = line.substr(name.size() + 1);
      v.erase(0, v.find_first_not_of(" \t"));
      while (!v.empty() && (v.back() == ' ' || v.back() == '\t')) v.pop_back();
      return v;
    }
  return "";
}

// Returns: the soft "Max open files" of PID, or -1.
long soft_nofile(pid_t pid) {
  std::ifstream f("/proc/" + std::to_string(pid) + "/limits");
  for (std::string line; std::getline(f, line);)
    if (line.rfind("Max open files", 0) == 0) return std::stol(line.substr(26));
  return -1;
}

TEST(ProcessModel, VersionShapeReadByTestRunners) {
  for (const char* flag : {"-v", "-vv"}) {
    CommandResult r = run_command({hearth_binary(), flag});
    ASSERT_EQ(r.exit_code, 0) << r.output;
    EXPECT_TRUE(std::regex_search(
        r.output,
        std::regex("^HAProxy version 2\\.6\\.0-compatible \\(Hearth [0-9]+\\.[0-9]+\\)\n")))
        << r.output;
  }
  CommandResult r = run_command({hearth_binary(), "-dM", "-vv"});  // run-regtests.sh's call
  ASSERT_EQ(r.exit_code, 0) << r.output;
  std::smatch m;
  ASSERT_TRUE(std::regex_search(r.output, m, std::regex("\nFeature list : ([^\n]*)\n")))
      << r.output;
  const std::string features = " " + m[1].str() + " ";
  for (const char* f : {"+OPENSSL", "+PCRE2", "+PCRE2_JIT", "+EPOLL", "+THREAD", "+CPU_AFFINITY",
                        "-LUA", "-ZLIB", "-SLZ", "-QUIC", "+SYSTEMD", "+PROMEX"})
    EXPECT_NE(features.find(std::string(" ") + f + " "), std::string::npos) << f << features;
  EXPECT_NE(r.output.find("\n  TARGET  = linux-glibc\n"), std::string::npos);
  EXPECT_NE(r.output.find("\nAvailable services : prometheus-exporter\n"), std::string::npos);
  EXPECT_NE(r.output.find("\nBuilt with PCRE2 version : "), std::string::npos);
}

// Expressions whose answer does not depend on the exact 2.6.x release.
const char* const kCcExpressions[] = {
    "1",
    "0",
    "",
    "2",
    "-1",
    "0x0",
    "08",
    "foo",
    "1 0",
    "1a",
    "1 && 0",
    "1 || 0",
    "1&&0",
    "(1 || 0) && !0",
    "!!1",
    "( 1 )",
    "1 &&",
    "!",
    "()",
    "(1",
    "1)",
    "!(0",
    "0 && 1 || 1",
    "defined(HOME)",
    "defined(HEARTH_SURELY_UNSET)",
    "!defined(HEARTH_SURELY_UNSET)",
    "streq(a,a)",
    "streq(a, a)",
    "strneq(a,b)",
    "streq('a','a')",
    "streq(a)",
    "defined(a,b)",
    "unknown(x)",
    "feature(OPENSSL)",
    "feature(PCRE2)",
    "feature(pcre2)",
    "feature(FOO)",
    "version_atleast(2.5-dev0)",
    "version_atleast(2.6-dev0)",
    "version_before(2.7)",
    "version_before(2.6)",
    "version_atleast(abc)",
    "version_before(abc)",
    "feature(OPENSSL) && ssllib_name_startswith(OpenSSL) && openssl_version_atleast(1.1.1)",
    "version_atleast(2.5-dev5) && (feature(PCRE) || feature(PCRE2))",
    // -cc reads its argument as a configuration line: quotes go, words are
    // joined by one blank.
    "streq(foo,'foo')",
    "streq(\"foo bar\",'foo bar')",
    "streq(a,\"a)",
    "streq('a,b','a,b')",
    "200rrr",
    "!(0))",
    "-1000 && 200",
    "1   &&!   0&&    !((streq(a,b)||!streq(a,a)&&1)||strneq(a,a))",
};
// hearth -cc's exit codes for the list above (0 true, 1 false, 2 error).
const int kCcExpected[] = {0, 1, 1, 0, 0, 1, 2, 2, 2, 2, 1, 0, 1, 0, 0, 0, 2, 2,
                           2, 2, 2, 2, 0, 0, 1, 0, 0, 1, 0, 0, 2, 2, 2, 0, 0, 1,
                           1, 0, 0, 0, 1, 0, 1, 0, 0, 0, 0, 2, 2, 2, 2, 0, 0};

TEST(ProcessModel, CcTruthTableMatchesHaproxy) {
  static_assert(std::size(kCcExpressions) == std::size(kCcExpected));
  const bool have_haproxy = access("/usr/sbin/haproxy", X_OK) == 0;
  for (size_t i = 0; i < std::size(kCcExpressions); ++i) {
    const std::string e = kCcExpressions[i];
    CommandResult h = run_command({hearth_binary(), "-cc", e});
    EXPECT_EQ(h.exit_code, kCcExpected[i]) << "'" << e << "': " << h.output;
    if (h.exit_code == 2) {
      EXPECT_NE(h.output.find("[ALERT]"), std::string::npos) << h.output;
    }
    if (!have_haproxy) continue;
    CommandResult ha = run_command({"/usr/sbin/haproxy", "-cc", e});
    EXPECT_EQ(h.exit_code, ha.exit_code) << "'" << e << "' haproxy says:\n" << ha.output;
  }
}

TEST(ProcessModel, IfBlocksChooseTheServer) {
  EchoServer echo;
  const uint16_t port = free_tcp_port();
  // The real server only in the branch that HEARTH_PM_ON=yes selects.
  const std::string body = expand(
      "global\n"
      ".if defined(HEARTH_PM_ON) && version_atleast(2.6)\n"
      "  .notice \"picked the echo server\"\n"
      ".else\n"
      "  .alert \"HEARTH_PM_ON is not set\"\n"
      ".endif\n"
      "defaults\n  mode tcp\n  timeout connect 2s\n  timeout client 5s\n  timeout server 5s\n"
      "frontend fe\n  bind 127.0.0.1:${P}\n  default_backend be\n"
      "backend be\n"
      ".if streq(${Q}${HEARTH_PM_ON-no}${Q},yes)\n"
      "  server s1 127.0.0.1:${S}\n"
      ".else\n"
      "  server s1 127.0.0.1:1\n"
      ".endif\n",
      {{"P", std::to_string(port)}, {"S", std::to_string(echo.port())}, {"Q", "\""}});
  HearthOptions o;
  o.wait_ports = {port};
  o.extra_env = {"HEARTH_PM_ON=yes"};
  HearthProcess h(body, o);
  ASSERT_TRUE(h.ready()) << h.describe();
  EXPECT_TRUE(echoes(port));
  EXPECT_NE(h.output().find("[NOTICE] "), std::string::npos) << h.output();
  EXPECT_NE(h.output().find(":3: '.notice': picked the echo server"), std::string::npos)
      << h.output();

  // Without the variable, the .alert branch stops the load with file and line.
  RunResult r = HearthProcess::check_config(body);
  EXPECT_EQ(r.exit_code, 1) << r.output;
  EXPECT_NE(r.output.find(r.config_path + ":5: '.alert': HEARTH_PM_ON is not set"),
            std::string::npos)
      << r.output;
  // An unbalanced block names its line.
  r = HearthProcess::check_config("global\n.if 1\n  maxconn 10\n");
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_NE(r.output.find(r.config_path + ":2: '.if'"), std::string::npos) << r.output;
}

TEST(ProcessModel, QuietAndZeroWarning) {
  const std::string body = cfg(free_tcp_port(), 1, ".notice hello\n.warning careful\n");
  RunResult r = HearthProcess::check_config(body);
  EXPECT_EQ(r.exit_code, 0) << r.output;
  EXPECT_NE(r.output.find("'.notice': hello"), std::string::npos) << r.output;
  EXPECT_NE(r.output.find("Configuration file is valid"), std::string::npos) << r.output;
  r = HearthProcess::check_config(body, {"-q"});
  EXPECT_EQ(r.exit_code, 0) << r.output;
  EXPECT_EQ(r.output, "");
  r = HearthProcess::check_config(body, {"-dW"});
  EXPECT_EQ(r.exit_code, 1) << r.output;
  EXPECT_NE(r.output.find("-dW"), std::string::npos) << r.output;
}

TEST(ProcessModel, DaemonWithUserGroupAndChroot) {
  if (geteuid() != 0) GTEST_SKIP() << "needs root to change user and chroot";
  EchoServer echo;
  TempDir dir;
  const std::string jail = dir.file("jail");
  ASSERT_EQ(mkdir(jail.c_str(), 0755), 0);
  const std::string pidfile = dir.file("hearth.pid");
  const uint16_t port = free_tcp_port();
  const std::string config = dir.file("d.cfg");
  ASSERT_TRUE(write_file(config, cfg(port, echo.port(),
                                     "  daemon\n  user nobody\n  group nogroup\n  chroot " + jail +
                                         "\n  pidfile " + pidfile + "\n")));
  CommandResult r = run_command({hearth_binary(), "-f", config}, milliseconds{10000});
  ASSERT_EQ(r.exit_code, 0) << r.output;  // the parent returns once the child is up
  const pid_t pid = pid_t(std::stol(read_file(pidfile)));
  ASSERT_GT(pid, 1);
  struct Reaper {  // the daemon is not our child: kill it by its pid
    pid_t pid;
    ~Reaper() { kill(pid, SIGKILL); }
  } reaper{pid};
  EXPECT_EQ(proc_status(pid, "Uid"), "65534\t65534\t65534\t65534");
  EXPECT_EQ(proc_status(pid, "Gid"), "65534\t65534\t65534\t65534");
  EXPECT_EQ(proc_status(pid, "Groups"), "");
  EXPECT_EQ(proc_status(pid, "PPid"), "1") << "detached from the parent, which exited";
  EXPECT_NE(proc_status(pid, "NSsid"), std::to_string(getsid(0)));  // a session of its own
  char root[4096] = "";
  const ssize_t n = readlink(("/proc/" + std::to_string(pid) + "/root").c_str(), root, sizeof root);
  ASSERT_GT(n, 0);
  EXPECT_EQ(std::string(root, size_t(n)), jail);
  EXPECT_TRUE(echoes(port));  // still serves
  kill(pid, SIGTERM);
  EXPECT_TRUE(wait_until([&] { return kill(pid, 0) != 0; }, milliseconds{5000}));
}

TEST(ProcessModel, DaemonParentFailsWhenTheChildCannotStart) {
  if (geteuid() != 0) GTEST_SKIP() << "needs root to chroot";
  TempDir dir;
  const std::string config = dir.file("d.cfg");
  ASSERT_TRUE(write_file(
      config, cfg(free_tcp_port(), 1, "  daemon\n  chroot " + dir.file("missing") + "\n")));
  CommandResult r = run_command({hearth_binary(), "-f", config}, milliseconds{10000});
  EXPECT_EQ(r.exit_code, 1) << r.output;
  EXPECT_NE(r.output.find("chroot"), std::string::npos) << r.output;
}

// Lowers this test process's soft fd limit (inherited by hearth) for a scope.
struct SoftNofile {
  rlimit saved{};
  explicit SoftNofile(rlim_t soft) {
    getrlimit(RLIMIT_NOFILE, &saved);
    rlimit l{soft, saved.rlim_max};
    setrlimit(RLIMIT_NOFILE, &l);
  }
  ~SoftNofile() { setrlimit(RLIMIT_NOFILE, &saved); }
};

TEST(ProcessModel, UlimitNAndMaxconnRaiseTheFdLimit) {
  rlimit cur{};
  getrlimit(RLIMIT_NOFILE, &cur);
  if (cur.rlim_max < 5000) GTEST_SKIP() << "hard fd limit below 5000";
  SoftNofile low(1024);
  {
    const uint16_t port = free_tcp_port();
    HearthOptions o;
    o.wait_ports = {port};
    HearthProcess h(cfg(port, 1, "  ulimit-n 3000\n"), o);
    ASSERT_TRUE(h.ready()) << h.describe();
    EXPECT_EQ(soft_nofile(h.process().pid()), 3000);
  }
  {
    // maxconn 2000: two descriptors per connection plus the fixed share.
    const uint16_t port = free_tcp_port();
    HearthOptions o;
    o.wait_ports = {port};
    HearthProcess h(cfg(port, 1, "  maxconn 2000\n"), o);
    ASSERT_TRUE(h.ready()) << h.describe();
    const long n = soft_nofile(h.process().pid());
    EXPECT_GT(n, 4000);
    EXPECT_LT(n, 4100);
  }
  {
    // No maxconn: the soft limit goes up to the hard one.
    const uint16_t port = free_tcp_port();
    HearthOptions o;
    o.wait_ports = {port};
    HearthProcess h(cfg(port, 1), o);
    ASSERT_TRUE(h.ready()) << h.describe();
    EXPECT_EQ(soft_nofile(h.process().pid()), long(cur.rlim_max));
  }
}

// show info: the limits in effect, node and description. maxconn follows
// ulimit-n: (3000 - fixed share) / 2, the fixed share being (1 bind + 2) per
// thread, 1 stats socket and 20 spare.
TEST(ProcessModel, ShowInfoTellsLimitsNodeAndDescription) {
  rlimit cur{};
  getrlimit(RLIMIT_NOFILE, &cur);
  if (cur.rlim_max < 3000) GTEST_SKIP() << "hard fd limit below 3000";
  SoftNofile low(1024);
  TempDir dir;
  const std::string sock = dir.file("stats.sock");
  const uint16_t port = free_tcp_port();
  HearthOptions o;
  o.wait_ports = {port};
  HearthProcess h(cfg(port, 1,
                      "  ulimit-n 3000\n  node edge-7\n  description front  door\n"
                      "  stats socket " +
                          sock + " level admin\n"),
                  o);
  ASSERT_TRUE(h.ready()) << h.describe();
  const std::string info = http::stats_command(sock, "show info");
  EXPECT_NE(info.find("\nUlimit-n: 3000\n"), std::string::npos) << info;
  EXPECT_NE(info.find("\nMaxconn: 1488\n"), std::string::npos) << info;
  EXPECT_NE(info.find("\nnode: edge-7\n"), std::string::npos) << info;
  EXPECT_NE(info.find("\ndescription: front door\n"), std::string::npos) << info;
}

// -n wins over the configuration's maxconn; -L is seen by the configuration
// as ${HAPROXY_LOCALPEER}.
TEST(ProcessModel, CommandLineMaxconnAndLocalPeer) {
  TempDir dir;
  const std::string sock = dir.file("stats.sock");
  const uint16_t port = free_tcp_port();
  HearthOptions o;
  o.wait_ports = {port};
  o.extra_args = {"-n", "100", "-L", "peer-x"};
  HearthProcess h(cfg(port, 1,
                      "  maxconn 5000\n  node \"${HAPROXY_LOCALPEER}\"\n"
                      "  stats socket " +
                          sock + " level admin\n"),
                  o);
  ASSERT_TRUE(h.ready()) << h.describe();
  const std::string info = http::stats_command(sock, "show info");
  EXPECT_NE(info.find("\nMaxconn: 100\n"), std::string::npos) << info;
  EXPECT_NE(info.find("\nnode: peer-x\n"), std::string::npos) << info;
}

// -N 1: a frontend without maxconn takes one connection at a time; the
// second is served once the first closes.
TEST(ProcessModel, DashNSetsTheFrontendMaxconn) {
  EchoServer echo;
  const uint16_t port = free_tcp_port();
  HearthOptions o;
  o.wait_ports = {port};
  o.extra_args = {"-N", "1"};
  HearthProcess h(cfg(port, echo.port()), o);
  ASSERT_TRUE(h.ready()) << h.describe();
  UniqueFd first(connect_tcp(port));
  ASSERT_TRUE(send_all(first.get(), "one\n"));
  ASSERT_EQ(recv_line(first.get()), "one");
  UniqueFd second(connect_tcp(port));  // the kernel's backlog takes it
  ASSERT_TRUE(send_all(second.get(), "two\n"));
  EXPECT_EQ(recv_line(second.get(), milliseconds{500}), std::nullopt) << "served beyond -N 1";
  first.reset();
  EXPECT_EQ(recv_line(second.get()), "two");
}

// A directory given to -f: its *.cfg files in lexical order, hidden ones and
// other names left out.
TEST(ProcessModel, ConfigDirectoryInLexicalOrder) {
  EchoServer echo;
  TempDir dir;
  const uint16_t port = free_tcp_port();
  const std::string all = cfg(port, echo.port());
  const size_t split = all.find("frontend");
  ASSERT_TRUE(write_file(dir.file("20-proxies.cfg"), all.substr(split)));
  ASSERT_TRUE(write_file(dir.file("10-global.cfg"), all.substr(0, split)));
  ASSERT_TRUE(write_file(dir.file(".30-hidden.cfg"), "global\n  .alert hidden\n"));
  ASSERT_TRUE(write_file(dir.file("40-other.conf"), "global\n  .alert other\n"));
  ProcessOptions po;
  po.argv = {hearth_binary(), "-f", dir.path()};
  Process p(po);
  ASSERT_TRUE(wait_for_listen(port, milliseconds{10000})) << p.output();
  EXPECT_TRUE(echoes(port));
}

TEST(ProcessModel, StrictLimitsRefuseAnUnreachableUlimit) {
  rlimit cur{};
  getrlimit(RLIMIT_NOFILE, &cur);
  rlimit above{cur.rlim_cur, cur.rlim_max + 1};
  if (cur.rlim_max == RLIM_INFINITY || setrlimit(RLIMIT_NOFILE, &above) == 0) {
    setrlimit(RLIMIT_NOFILE, &cur);
    GTEST_SKIP() << "this process may raise its hard fd limit";
  }
  const std::string too_many = "  ulimit-n " + std::to_string(cur.rlim_max + 1000) + "\n";
  TempDir dir;
  const std::string config = dir.file("u.cfg");
  ASSERT_TRUE(write_file(config, cfg(free_tcp_port(), 1, too_many)));
  CommandResult r = run_command({hearth_binary(), "-f", config}, milliseconds{10000});
  EXPECT_EQ(r.exit_code, 1) << r.output;
  EXPECT_NE(r.output.find("file descriptor limit"), std::string::npos) << r.output;
  const uint16_t port = free_tcp_port();
  HearthOptions o;
  o.wait_ports = {port};
  HearthProcess h(cfg(port, 1, too_many + "  no strict-limits\n"), o);
  ASSERT_TRUE(h.ready()) << h.describe();
  EXPECT_NE(h.output().find("[WARNING] cannot raise the file descriptor limit"), std::string::npos);
}

TEST(ProcessModel, GraceKeepsAcceptingAfterTheStopSignal) {
  EchoServer echo;
  const uint16_t port = free_tcp_port();
  HearthOptions o;
  o.wait_ports = {port};
  HearthProcess h(cfg(port, echo.port(), "  grace 3s\n"), o);
  ASSERT_TRUE(h.ready()) << h.describe();
  const auto signalled = std::chrono::steady_clock::now();
  kill(h.process().pid(), SIGUSR1);
  ASSERT_TRUE(wait_until([&] { return h.output().find("SIGUSR1") != std::string::npos; },
                         milliseconds{2000}));
  EXPECT_TRUE(echoes(port));  // within the grace delay: still served
  ASSERT_LT(tcp::ms_since(signalled), 2500) << "too slow to test within the grace delay";
  EXPECT_TRUE(wait_until([&] { return !port_listening(port); }, milliseconds{8000}));
  EXPECT_GE(tcp::ms_since(signalled), 2900);  // not before the grace delay
}

TEST(ProcessModel, ChdirBeforeLoadingAndPidfile) {
  EchoServer echo;
  TempDir dir;
  const uint16_t port = free_tcp_port();
  ASSERT_TRUE(write_file(dir.file("rel.cfg"), cfg(port, echo.port())));
  ProcessOptions po;
  po.argv = {hearth_binary(), "-C", dir.path(), "-f", "rel.cfg", "-p", dir.file("p.pid")};
  Process p(po);
  ASSERT_TRUE(wait_for_listen(port, milliseconds{10000})) << p.output();
  EXPECT_TRUE(echoes(port));
  EXPECT_EQ(read_file(dir.file("p.pid")), std::to_string(p.pid()) + "\n");
}

// cpu-map: each worker thread runs only on its CPUs (Cpus_allowed_list of
// every task of the process; the main thread keeps them all).
TEST(ProcessModel, CpuMapPinsWorkerThreads) {
  if (sysconf(_SC_NPROCESSORS_ONLN) < 2) GTEST_SKIP() << "needs two CPUs";
  const uint16_t port = free_tcp_port();
  HearthOptions o;
  o.wait_ports = {port};
  HearthProcess h(cfg(port, 1, "  nbthread 2\n  cpu-map 1/1 1\n  cpu-map 1/2 0\n"), o);
  ASSERT_TRUE(h.ready()) << h.describe();
  std::vector<std::string> lists;
  const std::string tasks = "/proc/" + std::to_string(h.process().pid()) + "/task";
  ASSERT_TRUE(wait_until(
      [&] {
        lists.clear();
        for (const auto& e : std::filesystem::directory_iterator(tasks))
          lists.push_back(
              proc_status(pid_t(std::stol(e.path().filename().string())), "Cpus_allowed_list"));
        return std::count(lists.begin(), lists.end(), "1") == 1 &&
               std::count(lists.begin(), lists.end(), "0") == 1;
      },
      milliseconds{5000}));
}

TEST(ProcessModel, RefusedFlagsSayWhy) {
  for (const char* flag : {"-dG", "-de", "-dMfail"}) {
    CommandResult r = run_command({hearth_binary(), flag, "-f", "/dev/null"});
    EXPECT_EQ(r.exit_code, 1) << flag;
    EXPECT_NE(r.output.find("not supported"), std::string::npos) << flag << ": " << r.output;
  }
}

}  // namespace
}  // namespace hearth::test
