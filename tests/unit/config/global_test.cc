// Keywords of the global section.
#include <gtest/gtest.h>

#include "config_test_util.h"
#include "expr/log_format.h"
#include "expr/proc_vars.h"
#include "expr/vars.h"

namespace hearth::config {
namespace {

using testing::dump;
using testing::only_error;
using testing::parse;

ParseResult global(const std::string& lines) { return parse("global\n" + lines); }

TEST(Global, BuiltInValues) {
  auto r = global("");
  ASSERT_TRUE(r.ok());
  const GlobalConfig& g = r.config.global;
  EXPECT_EQ(g.nbthread, 1);
  EXPECT_EQ(g.maxconn, 4096);
  EXPECT_TRUE(g.logs.empty());
  EXPECT_EQ(g.log_tag, "haproxy");
  EXPECT_FALSE(g.log_send_hostname.has_value());
  EXPECT_EQ(g.hard_stop_after, std::nullopt);
  EXPECT_TRUE(g.stats_sockets.empty());
  EXPECT_EQ(g.tune_bufsize, 16384);
  EXPECT_EQ(g.tune_http_maxhdr, 101);
  EXPECT_EQ(g.tune_maxrewrite, 1024);
  EXPECT_EQ(g.pidfile, "");
}

TEST(Global, HappyPath) {
  auto r = global(
      "  nbthread 4\n"
      "  maxconn 20000\n"
      "  log stdout format raw local0 info\n"
      "  hard-stop-after 30s\n"
      "  tune.bufsize 32k\n"
      "  tune.http.maxhdr 200\n"
      "  tune.maxrewrite 128\n"
      "  pidfile /run/hearth.pid\n");
  ASSERT_TRUE(r.ok()) << dump(r.errors);
  const GlobalConfig& g = r.config.global;
  EXPECT_EQ(g.nbthread, 4);
  EXPECT_EQ(g.maxconn, 20000);
  ASSERT_EQ(g.logs.size(), 1u);
  EXPECT_EQ(g.logs[0].format, SyslogFormat::kRaw);
  EXPECT_EQ(g.hard_stop_after, 30000);
  EXPECT_EQ(g.tune_bufsize, 32768);
  EXPECT_EQ(g.tune_http_maxhdr, 200);
  EXPECT_EQ(g.tune_maxrewrite, 128);
  EXPECT_EQ(g.pidfile, "/run/hearth.pid");
}

TEST(Global, StatsSocket) {
  auto r = global(
      "  stats socket /run/hearth.sock level admin mode 660 expose-fd listeners\n"
      "  stats socket fd@4\n");
  ASSERT_TRUE(r.ok()) << dump(r.errors);
  const auto& s = r.config.global.stats_sockets;
  ASSERT_EQ(s.size(), 2u);
  EXPECT_EQ(s[0].path, "/run/hearth.sock");
  EXPECT_EQ(s[0].level, CliLevel::kAdmin);
  EXPECT_EQ(s[0].mode, 0660);
  EXPECT_TRUE(s[0].expose_fd);
  EXPECT_FALSE(s[1].expose_fd);
  EXPECT_EQ(s[0].loc.line, 2);
  EXPECT_EQ(s[1].path, "fd@4");
  EXPECT_EQ(s[1].level, CliLevel::kOperator);  // HAProxy's default
  EXPECT_EQ(s[1].mode, 0600);
}

TEST(Global, StatsSocketTcpOwnerAndTimeout) {
  auto r = global(
      "  stats socket ipv4@127.0.0.1:9999 level admin\n"
      "  stats socket ipv6@[::1]:9998\n"
      "  stats socket 127.0.0.1:9997\n"
      "  stats socket /s uid 12 gid 34 user root group root\n"
      "  stats socket /t uid 12 gid 34\n"
      "  stats timeout 2m\n"
      "  stats maxconn 3\n");
  ASSERT_TRUE(r.ok()) << dump(r.errors);
  EXPECT_EQ(r.config.global.stats_maxconn, 3);
  EXPECT_EQ(global("").config.global.stats_maxconn, 10);  // HAProxy's default
  const auto& s = r.config.global.stats_sockets;
  ASSERT_EQ(s.size(), 5u);
  EXPECT_TRUE(s[0].tcp);
  EXPECT_EQ(s[0].path, "127.0.0.1:9999");
  EXPECT_EQ(s[0].level, CliLevel::kAdmin);
  EXPECT_EQ(s[1].path, "[::1]:9998");
  EXPECT_TRUE(s[2].tcp);
  EXPECT_FALSE(s[3].tcp);
  EXPECT_EQ(s[3].uid, 0);  // the names come last and win, as written
  EXPECT_EQ(s[3].gid, 0);
  EXPECT_EQ(s[4].uid, 12);
  EXPECT_EQ(s[4].gid, 34);
  EXPECT_EQ(r.config.global.stats_timeout_ms, 120000);
  EXPECT_EQ(global("").config.global.stats_timeout_ms, 10000);  // HAProxy's default
}

TEST(Global, StatsSocketErrors) {
  EXPECT_EQ(only_error(global("  stats socket ipv4@[::1]:9999\n")),
            "t.cfg:2: 'stats socket': 'ipv4@[::1]:9999': the address does not match its ipv4@ "
            "prefix");
  EXPECT_EQ(only_error(global("  stats socket abns@x\n")),
            "t.cfg:2: 'stats socket': 'abns@x' is not supported: expects a unix socket path, "
            "fd@N, ipv4@ or ipv6@");
  EXPECT_EQ(only_error(global("  stats socket ipv4@127.0.0.1:9999 mode 600\n")),
            "t.cfg:2: 'stats socket': 'mode' applies to unix sockets only");
  EXPECT_EQ(only_error(global("  stats socket /s user no-such-user-here\n")),
            "t.cfg:2: 'stats socket': no user named 'no-such-user-here' on this system");
  EXPECT_EQ(only_error(global("  stats maxconn 0\n")).rfind("t.cfg:2: 'stats maxconn': ", 0), 0u);
  EXPECT_EQ(only_error(global("  stats bind-process 1\n")),
            "t.cfg:2: 'stats bind-process': Hearth supports 'stats socket', 'stats timeout' and "
            "'stats maxconn' here");
  EXPECT_EQ(only_error(global("  stats socket /s level root\n")),
            "t.cfg:2: 'stats socket': unknown level 'root': expects admin, operator or user");
  EXPECT_EQ(only_error(global("  stats socket /s mode 999\n")),
            "t.cfg:2: 'stats socket': invalid mode '999': expects octal permissions such as 600");
  EXPECT_EQ(only_error(global("  stats socket /s expose-fd all\n")),
            "t.cfg:2: 'stats socket': 'expose-fd' expects 'listeners', got 'all'");
  EXPECT_EQ(only_error(global("  stats socket ipv4@127.0.0.1:9999 expose-fd listeners\n")),
            "t.cfg:2: 'stats socket': 'expose-fd' applies to unix sockets only");
  EXPECT_TRUE(testing::has(global("  stats socket /s level\n").errors,
                           "t.cfg:2: 'stats socket': 'level' expects a value"));
  EXPECT_TRUE(testing::has(global("  stats timeout 0\n").errors, "t.cfg:2: 'stats timeout': "));
  EXPECT_TRUE(
      testing::has(global("  stats socket\n").errors, "t.cfg:2: 'stats socket': missing argument"));
}

TEST(Global, NumbersAreRangeChecked) {
  EXPECT_EQ(only_error(global("  nbthread 0\n")),
            "t.cfg:2: 'nbthread': expects an integer between 1 and 64, got '0'");
  EXPECT_EQ(only_error(global("  maxconn lots\n")),
            "t.cfg:2: 'maxconn': expects an integer between 1 and 10000000, got 'lots'");
  EXPECT_EQ(only_error(global("  tune.bufsize 100\n")),
            "t.cfg:2: 'tune.bufsize': expects a size between 1024 and 1048576 bytes (k and m "
            "suffixes allowed), got '100'");
  EXPECT_EQ(only_error(global("  tune.http.maxhdr 40000\n")),
            "t.cfg:2: 'tune.http.maxhdr': expects an integer between 1 and 32767, got '40000'");
  EXPECT_EQ(only_error(global("  tune.maxrewrite -1\n")),
            "t.cfg:2: 'tune.maxrewrite': expects an integer between 0 and 1048576, got '-1'");
  EXPECT_EQ(only_error(global("  hard-stop-after soon\n")),
            "t.cfg:2: 'hard-stop-after': expects a duration such as 5s, 500ms or 1m (units us, "
            "ms, s, m, h, d; a bare number is ms; at most 24d), got 'soon'");
  EXPECT_EQ(only_error(global("  nbthread\n")),
            "t.cfg:2: 'nbthread': missing argument: expects 'nbthread N'");
  EXPECT_EQ(only_error(global("  nbthread 2 3\n")),
            "t.cfg:2: 'nbthread': unexpected argument '3': expects 'nbthread N'");
}

TEST(Global, KnownButUnsupportedVersusUnknown) {
  EXPECT_EQ(only_error(global("  tune.ssl.ssl-ctx-cache-size 10\n")),
            "t.cfg:2: 'tune.ssl.ssl-ctx-cache-size': Hearth does not support this global keyword "
            "yet");
  EXPECT_EQ(
      only_error(global("  nbthreads 2\n")),
      "t.cfg:2: 'nbthreads': unknown keyword in the global section; supported: nbthread, "
      "maxconn, log, log-send-hostname, log-tag, hard-stop-after, stats socket, "
      "tune.bufsize, tune.http.maxhdr, tune.maxrewrite, tune.idle-pool.shared, tune.maxaccept, "
      "tune.maxpollevents, tune.runqueue-depth, tune.rcvbuf.client, tune.sndbuf.client, "
      "tune.rcvbuf.server, tune.sndbuf.server, tune.http.logurilen, "
      "tune.pool-low-fd-ratio, tune.pool-high-fd-ratio, pidfile, set-var, "
      "set-var-fmt, server-state-file, server-state-base, nosplice, maxpipes, tune.pipesize, "
      "expose-experimental-directives, external-check, insecure-fork-wanted, crt-base, ca-base, "
      "ssl-default-bind-ciphers, ssl-default-bind-ciphersuites, ssl-default-bind-curves, "
      "ssl-default-bind-options, "
      "ssl-default-server-ciphers, ssl-default-server-ciphersuites, "
      "ssl-default-server-options, ssl-server-verify, "
      "ssl-load-extra-files, ssl-load-extra-del-ext, "
      "ssl-dh-param-file, tune.ssl.default-dh-param, tune.ssl.cachesize, tune.ssl.lifetime, "
      "tune.ssl.maxrecord, daemon, user, group, uid, gid, chroot, "
      "ulimit-n, strict-limits, quiet, node, description, localpeer, grace, spread-checks, "
      "max-spread-checks, cpu-map");
}

// Hearth's idle pools are per thread, never shared: "off" says exactly that,
// "on" (HAProxy's default) is refused until threads can take connections over.
TEST(Global, IdlePoolSharedOffOnly) {
  EXPECT_TRUE(global("  tune.idle-pool.shared off\n").ok());
  EXPECT_EQ(only_error(global("  tune.idle-pool.shared on\n")),
            "t.cfg:2: 'tune.idle-pool.shared': 'on' is not supported: Hearth keeps idle server "
            "connections per thread and does not share them between threads yet; write 'off' "
            "(Hearth's behaviour)");
  EXPECT_EQ(only_error(global("  tune.idle-pool.shared maybe\n")),
            "t.cfg:2: 'tune.idle-pool.shared': expects 'on' or 'off', got 'maybe'");
}

TEST(Global, SeveralGlobalSectionsMerge) {
  auto r = parse("global\n  nbthread 2\nglobal\n  maxconn 7\n");
  ASSERT_TRUE(r.ok()) << dump(r.errors);
  EXPECT_EQ(r.config.global.nbthread, 2);
  EXPECT_EQ(r.config.global.maxconn, 7);
}

}  // namespace
}  // namespace hearth::config

namespace hearth::config {
namespace {

// Reads a proc variable as the runtime API shows it.
std::string proc_var(const std::string& name) {
  expr::VarName v;
  std::string err;
  if (!expr::parse_var_name("proc." + name, &v, &err)) return "bad name";
  expr::Sample s;
  if (!expr::ProcVars::instance().get(v.id, &s)) return "unset";
  std::string out;
  expr::print_sample(s, &out);
  return std::string(expr::type_name(s.type)) + ":" + out;
}

TEST(GlobalSetVar, EvaluatedInOrderAtLoad) {
  ParseResult r = global(
      "  set-var proc.gv_int12 int(12)\n"
      "  set-var proc.gv_int5 var(proc.gv_str60,60),div(proc.gv_int12)\n"
      "  set-var proc.gv_a str(\"this is\")\n"
      "  set-var-fmt proc.gv_b \"%[var(proc.gv_a)] a string\"\n"
      "  set-var proc.gv_none var(proc.gv_never)\n"
      "  set-var proc.gv_bad str(a),ipmask(24)\n"
      "  set-var-fmt proc.gv_fixed \"plain\"\n");
  ASSERT_TRUE(r.ok()) << dump(r.errors);
  EXPECT_EQ(proc_var("gv_int12"), "sint:12");
  EXPECT_EQ(proc_var("gv_int5"), "sint:5");
  EXPECT_EQ(proc_var("gv_b"), "str:this is a string");
  // No sample: nothing is set (HAProxy 2.6 alike).
  EXPECT_EQ(proc_var("gv_none"), "unset");
  EXPECT_EQ(proc_var("gv_bad"), "unset");
  EXPECT_EQ(proc_var("gv_fixed"), "str:plain");
}

TEST(GlobalSetVar, Errors) {
  EXPECT_EQ(only_error(global("  set-var txn.x int(1)\n")),
            "t.cfg:2: 'set-var': cannot set 'txn.x' here: the global section only sets 'proc.' "
            "variables");
  EXPECT_EQ(only_error(global("  set-var proc.x\n")),
            "t.cfg:2: 'set-var': expects a proc variable and a sample expression, e.g. set-var "
            "proc.name int(1)");
  EXPECT_EQ(only_error(global("  set-var proc.x int(1) if TRUE\n")),
            "t.cfg:2: 'set-var': expects a proc variable and a sample expression, e.g. set-var "
            "proc.name int(1)");
  EXPECT_EQ(only_error(global("  set-var-fmt proc.x\n")),
            "t.cfg:2: 'set-var-fmt': expects a proc variable and a format, e.g. set-var-fmt "
            "proc.name \"%[...]\"");
  EXPECT_EQ(only_error(global("  set-var proc.x src\n")),
            "t.cfg:2: 'set-var': fetch method 'src' extracts information from 'client address', "
            "none of which is available here");
  EXPECT_NE(only_error(global("  set-var-fmt proc.x \"%[req.hdr(host)]\"\n")).find("req.hdr"),
            std::string::npos);
  EXPECT_NE(only_error(global("  set-var proc.x nope()\n")).find("unknown fetch method 'nope'"),
            std::string::npos);
  EXPECT_NE(only_error(global("  set-var proc. int(1)\n")).find("invalid variable name"),
            std::string::npos);
}

}  // namespace
}  // namespace hearth::config

namespace hearth::config {
namespace {

TEST(Global, AcceptRateLimits) {
  auto r = global("  maxconnrate 100\n  maxsessrate 50\n  maxsslrate 25\n");
  ASSERT_TRUE(r.ok()) << testing::dump(r.errors);
  EXPECT_EQ(r.config.global.maxconnrate, 100);
  EXPECT_EQ(r.config.global.maxsessrate, 50);
  EXPECT_EQ(r.config.global.maxsslrate, 25);
  EXPECT_FALSE(global("  maxsslrate -1\n").ok());
  EXPECT_EQ(global("").config.global.maxconnrate, 0);  // none
  EXPECT_FALSE(global("  maxconnrate x\n").ok());
  EXPECT_FALSE(global("  maxsessrate\n").ok());
}

}  // namespace
}  // namespace hearth::config
