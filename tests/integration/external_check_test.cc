// option external-check, Hearth and haproxy 2.6 side by side on the same
// configuration: the command's arguments and environment (recorded by the
// command itself), the show stat columns for a command that passes, fails
// and outlives its deadline, the log-health-checks lines, and what both
// refuse at load.
#include <gtest/gtest.h>
#include <sys/stat.h>

#include <chrono>
#include <map>
#include <regex>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

#include "http_test_util.h"
#include "support/datagram_listener.h"
#include "support/hearth_process.h"
#include "support/ports.h"
#include "support/temp_dir.h"
#include "support/wait.h"

namespace hearth::test {
namespace {

using std::chrono::milliseconds;

const char* const kBinaries[] = {"haproxy", ""};  // "": hearth

HearthOptions options(const std::string& binary, uint16_t port) {
  HearthOptions o;
  o.wait_ports = {port};
  if (!binary.empty()) {
    o.binary = binary;
    o.extra_args = {"-db"};
  }
  return o;
}

// A command that records what it was given into DIR/rec.PROXY.SERVER and
// exits as its server's name says: ok* 0, fail* 3, slow* after 30 s.
std::string write_recorder(const TempDir& dir) {
  const std::string f = dir.file("rec.sh");
  write_file(f,
             "#!/bin/sh\n"
             "out=" +
                 dir.path() +
                 "/rec.$HAPROXY_PROXY_NAME.$HAPROXY_SERVER_NAME\n"
                 // The mask the command was started with, read by builtins
                 // before any fork (the shell blocks signals around its forks,
                 // so a child reading /proc/$$/status may see them all blocked).
                 "while read -r l; do case $l in SigBlk*) echo \"$l\" > $out.sig;; esac; done "
                 "< /proc/$$/status\n"
                 "{\n"
                 "  echo \"ARGC=$#\"\n"
                 "  i=0; for a in \"$0\" \"$@\"; do echo \"ARG$i=[$a]\"; i=$((i+1)); done\n"
                 "  /usr/bin/env | /usr/bin/sort\n"
                 "  echo \"FDS=$(/usr/bin/ls /proc/$$/fd | /usr/bin/tr '\\n' ' ')\"\n"
                 "} > $out.tmp\n"
                 "/usr/bin/mv $out.tmp $out\n"
                 "case \"$HAPROXY_SERVER_NAME\" in\n"
                 "  ok*) exit 0;;\n"
                 "  fail*) exit 3;;\n"
                 "  slow*) exec /usr/bin/sleep 30;;\n"
                 "esac\n");
  chmod(f.c_str(), 0755);
  return f;
}

std::map<std::string, std::map<std::string, std::string>> stat_rows(const std::string& sock) {
  std::istringstream in(http::stats_command(sock, "show stat"));
  std::vector<std::string> names;
  std::map<std::string, std::map<std::string, std::string>> out;
  for (std::string line; std::getline(in, line);) {
    std::vector<std::string> cols;
    std::stringstream ls(line.rfind("# ", 0) == 0 ? line.substr(2) : line);
    for (std::string c; std::getline(ls, c, ',');) cols.push_back(c);
    if (line.rfind("# ", 0) == 0) {
      names = cols;
      continue;
    }
    if (cols.size() < 2 || cols[1] == "FRONTEND" || cols[1] == "BACKEND") continue;
    for (size_t i = 0; i < names.size() && i < cols.size(); ++i)
      out[cols[0] + "/" + cols[1]][names[i]] = cols[i];
  }
  return out;
}

// What one binary's checks gave: the recorded files and the show stat columns.
struct Observed {
  std::map<std::string, std::string> records;  // file name -> content
  std::map<std::string, std::string> stats;    // "px/srv.column" -> value
  std::string sigblk;                          // of rec.px.ok1's command
  std::string output;
};

Observed observe(const std::string& binary, uint16_t port) {
  Observed o;
  TempDir dir;
  const std::string cmd = write_recorder(dir);
  const std::string sock = dir.file("s.sock");
  const std::string cfg = expand(
      "global\n    external-check\n    insecure-fork-wanted\n"
      "    stats socket ${SOCK} level admin\n"
      "defaults\n    mode tcp\n    timeout connect 1s\n    timeout client 5s\n"
      "    timeout server 5s\n"
      "listen px\n    bind 127.0.0.1:${PORT}\n    bind 127.0.0.1:${PORT2}\n"
      "    option external-check\n    external-check command ${CMD}\n"
      "    server ok1 127.0.0.1:23499 check inter 2s rise 1 fall 1\n"
      "    server fail1 127.0.0.2:23498 check inter 2s rise 1 fall 1\n"
      // (2 s for the others: time enough for the command on a busy machine.)
      "    server slow1 127.0.0.3:23497 check inter 300ms rise 1 fall 1\n"
      "listen web\n    mode http\n    bind :${PORT3}\n"
      "    option external-check\n    external-check command ${CMD}\n"
      "    server okportless 127.0.0.1 check inter 2s rise 1 fall 1 port 23001\n"
      "    server oktls 127.0.0.1:23491 check inter 2s rise 1 fall 1 ssl verify none\n"
      "backend bk\n    option external-check\n    external-check command rec.sh\n"
      "    external-check path \"/nonexistent:${DIR}\"\n"
      "    server okb 127.0.0.1:23499 id 9 check inter 2s rise 1 fall 1 maxconn 7\n",
      {{"SOCK", sock},
       {"PORT", std::to_string(port)},
       {"PORT2", std::to_string(port + 1)},
       {"PORT3", std::to_string(port + 2)},
       {"CMD", cmd},
       {"DIR", dir.path()}});
  HearthProcess p(cfg, options(binary, port));
  if (!p.ready()) {
    ADD_FAILURE() << p.describe();
    return o;
  }
  const std::vector<std::string> files = {"rec.px.ok1",         "rec.px.fail1",  "rec.px.slow1",
                                          "rec.web.okportless", "rec.web.oktls", "rec.bk.okb"};
  wait_until(
      [&] {
        for (const std::string& f : files)
          if (read_file(dir.file(f)).empty()) return false;
        auto rows = stat_rows(sock);
        return rows["px/slow1"]["check_status"].find("PROCTOUT") != std::string::npos &&
               rows["px/fail1"]["check_status"].find("PROCERR") != std::string::npos;
      },
      milliseconds{8000});
  for (const std::string& f : files) {
    // Each run has its own directory: named DIR in the comparison.
    std::string text = read_file(dir.file(f));
    for (size_t at; (at = text.find(dir.path())) != std::string::npos;)
      text.replace(at, dir.path().size(), "DIR");
    o.records[f] = text;
  }
  o.sigblk = read_file(dir.file("rec.px.ok1.sig"));
  for (const auto& [srv, row] : stat_rows(sock)) {
    for (const char* col : {"status", "check_status", "check_code", "check_desc", "last_chk"}) {
      std::string v = row.at(col);
      if (v.rfind("* ", 0) == 0) v = v.substr(2);  // a check in flight
      o.stats[srv + "." + col] = v;
    }
  }
  p.stop();
  o.output = p.output();
  return o;
}

TEST(ExternalCheckSideBySide, ArgumentsEnvironmentAndResultsAsHAProxy) {
  const uint16_t port = free_tcp_port();
  const Observed ha = observe("haproxy", port);
  const Observed he = observe("", port);
  ASSERT_FALSE(ha.records.empty());
  for (const auto& [file, content] : ha.records) {
    EXPECT_FALSE(content.empty()) << "haproxy wrote no " << file;
    EXPECT_EQ(he.records.at(file), content) << file;
  }
  EXPECT_EQ(he.stats, ha.stats);
  // What the recordings say, so that both agreeing on nothing cannot pass.
  EXPECT_NE(he.records.at("rec.bk.okb").find("ARG1=[NOT_USED]\nARG2=[NOT_USED]\n"),
            std::string::npos);
  EXPECT_NE(he.records.at("rec.bk.okb").find("HAPROXY_SERVER_MAXCONN=7\n"), std::string::npos);
  EXPECT_NE(he.records.at("rec.px.ok1").find("ARG1=[127.0.0.1]\nARG2=[" + std::to_string(port)),
            std::string::npos);
  EXPECT_NE(he.records.at("rec.web.oktls").find("HAPROXY_SERVER_SSL=1\n"), std::string::npos);
  EXPECT_NE(he.records.at("rec.web.oktls").find("HAPROXY_SERVER_PROTO=h1\n"), std::string::npos);
  EXPECT_EQ(he.stats.at("px/ok1.check_status"), "PROCOK");
  EXPECT_EQ(he.stats.at("px/fail1.check_status"), "PROCERR");
  EXPECT_EQ(he.stats.at("px/fail1.check_code"), "3");
  EXPECT_EQ(he.stats.at("px/slow1.check_status"), "PROCTOUT");
  EXPECT_EQ(he.stats.at("px/slow1.status"), "DOWN");
  EXPECT_EQ(he.sigblk, "SigBlk:\t0000000000000000\n");
  // The command still running at the deadline was killed, and said so.
  EXPECT_NE(he.output.find("[WARNING] kill "), std::string::npos) << he.output;
}

std::string masked(std::string line) {
  static const std::regex date(R"([A-Z][a-z]{2} [ 1-3]\d \d\d:\d\d:\d\d)");
  static const std::regex pid(R"(haproxy\[\d+\])");
  static const std::regex took(R"(check duration: \d+ms)");
  line = std::regex_replace(line, date, "DATE");
  line = std::regex_replace(line, pid, "haproxy[PID]");
  return std::regex_replace(line, took, "check duration: Nms");
}

std::vector<std::string> health_lines(const std::string& binary, const std::string& exit_code) {
  TempDir dir;
  const std::string cmd = dir.file("chk.sh");
  write_file(cmd, "#!/bin/sh\nexit " + exit_code + "\n");
  chmod(cmd.c_str(), 0755);
  DatagramListener logs;
  const uint16_t port = free_tcp_port();
  const std::string cfg = expand(
      "global\n    external-check\n    insecure-fork-wanted\n"
      "defaults\n    mode tcp\n    timeout connect 1s\n    timeout client 5s\n"
      "    timeout server 5s\n"
      "listen be\n    bind 127.0.0.1:${PORT}\n    log ${LOG} local1\n"
      "    option log-health-checks\n    option external-check\n"
      "    external-check command ${CMD}\n"
      "    server s1 127.0.0.1:9 check inter 200ms rise 2 fall 2\n",
      {{"PORT", std::to_string(port)}, {"LOG", logs.address()}, {"CMD", cmd}});
  HearthProcess p(cfg, options(binary, port));
  if (!p.ready()) {
    ADD_FAILURE() << p.describe();
    return {};
  }
  std::vector<std::string> out;
  while (out.size() < 4) {
    auto d = logs.next(milliseconds(3000));
    if (!d) break;
    out.push_back(masked(*d));
  }
  return out;
}

TEST(ExternalCheckSideBySide, LogHealthChecksLinesAsHAProxy) {
  const std::vector<std::string> failing = health_lines("", "3");
  EXPECT_EQ(failing, health_lines("haproxy", "3"));
  ASSERT_FALSE(failing.empty());
  EXPECT_EQ(failing[0],
            "<141>DATE haproxy[PID]: Health check for server be/s1 failed, reason: External "
            "check error, code: 3, check duration: Nms, status: 0/2 DOWN.\n");
  const std::vector<std::string> passing = health_lines("", "0");
  EXPECT_EQ(passing, health_lines("haproxy", "0"));
  ASSERT_FALSE(passing.empty());
  EXPECT_EQ(passing[0],
            "<141>DATE haproxy[PID]: Health check for server be/s1 succeeded, reason: External "
            "check passed, code: 0, check duration: Nms, status: 2/2 UP.\n");
}

TEST(ExternalCheckSideBySide, RefusedAtLoadAsHAProxy) {
  const std::string ok_backend =
      "backend b\n    option external-check\n    external-check command /bin/true\n"
      "    server s 127.0.0.1:9 check\n";
  const std::vector<std::pair<std::string, bool>> cases = {
      {"global\n    external-check\n    insecure-fork-wanted\n" + ok_backend, true},
      {"global\n    external-check\n" + ok_backend, true},  // a warning only
      {"global\n" + ok_backend, false},
      {"global\n    external-check\nbackend b\n    option external-check\n", false},
      {"global\n    external-check\nbackend b\n    option external-check\n"
       "    external-check command true\n",
       false},
      {"global\n    external-check\nbackend b\n    option httpchk\n"
       "    external-check command true\n",
       false},
      {"global\n    external-check\nbackend b\n    option external-check\n"
       "    external-check command true\n    external-check path /bin\n",
       true},
      {"global\n    external-check x\n" + ok_backend, false},
      {"global\n    no external-check\n" + ok_backend, false},
      {"global\n    external-check\n    no insecure-fork-wanted\n" + ok_backend, true},
      {"global\n    external-check\nbackend b\n    external-check foo bar\n", false},
      {"global\n    external-check\nbackend b\n    no option external-check\n", false},
  };
  for (const auto& [cfg, valid] : cases) {
    const RunResult ha = HearthProcess::check_config(cfg, {}, "haproxy");
    const RunResult he = HearthProcess::check_config(cfg);
    // haproxy -c: 0 valid, 2 valid but nothing to listen on; 1 invalid.
    EXPECT_EQ(ha.exit_code != 1, valid) << cfg << ha.output;
    EXPECT_EQ(he.exit_code == 0, valid) << cfg << he.output;
  }
}

}  // namespace
}  // namespace hearth::test
