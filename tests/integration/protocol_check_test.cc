// Protocol health checks against the real servers: option redis-check
// against redis-server and option pgsql-check against PostgreSQL, each
// started by the test on a local port. The check passes while the server
// runs and fails once it stops, and `show stat` says why (haproxy 2.6 shows
// the same check_status and last_chk on these configurations).
#include <gtest/gtest.h>
#include <signal.h>
#include <sys/stat.h>
#include <unistd.h>

#include <chrono>
#include <fstream>
#include <map>
#include <memory>
#include <sstream>
#include <string>
#include <vector>

#include "http_test_util.h"
#include "stat_csv.h"
#include "support/ports.h"
#include "support/process.h"
#include "support/temp_dir.h"
#include "support/wait.h"
#include "tcp_test_util.h"

namespace hearth::test {
namespace {

using std::chrono::milliseconds;

bool have(const std::string& path) { return access(path.c_str(), X_OK) == 0; }

// Returns: the directory holding PostgreSQL's postgres and initdb ("" if none):
// /usr/local/bin, or Debian's /usr/lib/postgresql/VERSION/bin.
std::string pg_bin() {
  if (have("/usr/local/bin/postgres") && have("/usr/local/bin/initdb")) return "/usr/local/bin";
  for (int v = 20; v >= 11; --v) {
    const std::string d = "/usr/lib/postgresql/" + std::to_string(v) + "/bin";
    if (have(d + "/postgres") && have(d + "/initdb")) return d;
  }
  return "";
}

// One backend checking one server with `option` (Hearth or haproxy, same config).
struct Checked {
  Checked(const std::string& binary, const std::string& option, uint16_t port)
      : proxy({.global = "    stats socket " + dir.file("s.sock") + " level admin\n",
               .defaults = "    timeout connect 1s\n    timeout client 10s\n"
                           "    timeout server 10s\n    timeout check 2s\n",
               .backend = "    " + option + "\n" +
                          tcp::server_line("db", port, "check inter 100ms rise 1 fall 1")},
              binary.empty() ? HearthOptions{}
                             : HearthOptions{.extra_args = {"-db"}, .binary = binary}) {}
  std::map<std::string, std::string> row() { return stat_row(dir.file("s.sock"), "be", "db"); }
  bool wait(const std::string& status) {
    return wait_until([&] { return row()["check_status"] == status; }, milliseconds{10000});
  }
  TempDir dir;
  tcp::TcpProxy proxy;
};

TEST(ProtocolCheck, RedisPassesWhileRedisRunsAndFailsOnceItStops) {
  if (!have("/usr/bin/redis-server"))
    GTEST_SKIP() << "redis-server is not installed (scripts/install-deps installs it)";
  const uint16_t port = free_tcp_port();
  TempDir dir;
  auto redis = std::make_unique<Process>(ProcessOptions{
      .argv = {"/usr/bin/redis-server", "--port", std::to_string(port), "--bind", "127.0.0.1",
               "--save", "", "--appendonly", "no", "--dir", dir.path()}});
  ASSERT_TRUE(redis->started()) << redis->error();
  ASSERT_TRUE(redis->wait_for_output("Ready to accept connections", milliseconds{10000}))
      << redis->output();
  Checked c(std::string(), "option redis-check", port);
  ASSERT_TRUE(c.proxy.hearth.ready()) << c.proxy.hearth.describe();
  ASSERT_TRUE(c.wait("L7OK")) << http::stats_command(c.dir.file("s.sock"), "show stat");
  EXPECT_EQ(c.row()["last_chk"], "Redis server is ok");
  EXPECT_EQ(c.row()["status"], "UP");

  redis.reset();  // SIGKILL: the port now refuses
  ASSERT_TRUE(c.wait("L4CON")) << http::stats_command(c.dir.file("s.sock"), "show stat");
  EXPECT_EQ(c.row()["last_chk"], "Connection refused");
  EXPECT_EQ(c.row()["status"], "DOWN");
}

// PostgreSQL refuses to run as root: it runs as "nobody" in a directory of its own.
TEST(ProtocolCheck, PgsqlPassesWhilePostgresRunsAndFailsOnceItStops) {
  const std::string bin = pg_bin();
  if (bin.empty()) GTEST_SKIP() << "PostgreSQL is not installed (scripts/install-deps installs it)";
  const uint16_t port = free_tcp_port();
  TempDir dir;
  const std::string data = dir.path() + "/pg";
  const bool root = geteuid() == 0;
  auto as_owner = [&](std::vector<std::string> argv) {
    if (root) argv.insert(argv.begin(), {"runuser", "-u", "nobody", "--"});
    return argv;
  };
  if (root) {
    ASSERT_EQ(chmod(dir.path().c_str(), 0777), 0);
  }
  Process init(ProcessOptions{
      .argv = as_owner({bin + "/initdb", "-D", data, "-U", "postgres", "--auth=trust", "-N"})});
  ASSERT_TRUE(init.started()) << init.error();
  ASSERT_EQ(init.wait_exit(milliseconds{60000}), 0) << init.output();
  auto pg = std::make_unique<Process>(
      ProcessOptions{.argv = as_owner({bin + "/postgres", "-D", data, "-p", std::to_string(port),
                                       "-h", "127.0.0.1", "-k", dir.path()})});
  ASSERT_TRUE(pg->started()) << pg->error();
  ASSERT_TRUE(pg->wait_for_output("ready to accept connections", milliseconds{20000}))
      << pg->output();
  Checked c(std::string(), "option pgsql-check user postgres", port);
  ASSERT_TRUE(c.proxy.hearth.ready()) << c.proxy.hearth.describe();
  ASSERT_TRUE(c.wait("L7OK")) << http::stats_command(c.dir.file("s.sock"), "show stat");
  EXPECT_EQ(c.row()["last_chk"], "PostgreSQL server is ok");

  // Fast shutdown, sent to the postmaster itself (runuser may stand between).
  std::ifstream pidfile(data + "/postmaster.pid");
  pid_t postmaster = 0;
  pidfile >> postmaster;
  ASSERT_GT(postmaster, 0);
  ASSERT_EQ(kill(postmaster, SIGINT), 0);
  pg->wait_exit(milliseconds{20000});
  ASSERT_TRUE(c.wait("L4CON")) << http::stats_command(c.dir.file("s.sock"), "show stat");
  EXPECT_EQ(c.row()["last_chk"], "Connection refused");
  EXPECT_EQ(c.row()["status"], "DOWN");
}

}  // namespace
}  // namespace hearth::test
