// show activity, show threads, show fd, show schema json, show info desc|float
// and show stat typed desc, through hearth and HAProxy 2.6 with the same
// configuration (two threads, a stats socket, one proxied request left
// waiting on a server that never answers): the same lines, field names and
// columns; the values are each program's own. The schema is compared byte for
// byte.
#include <arpa/inet.h>
#include <gtest/gtest.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <map>
#include <regex>
#include <set>
#include <sstream>
#include <string>
#include <vector>

#include "http_test_util.h"
#include "support/ports.h"
#include "support/temp_dir.h"
#include "support/unique_fd.h"
#include "support/wait.h"

namespace hearth::test::http {
namespace {

std::vector<std::string> lines(const std::string& text) {
  std::vector<std::string> out;
  std::istringstream in(text);
  for (std::string l; std::getline(in, l);) out.push_back(l);
  return out;
}

int connect_to(uint16_t port) {
  const int fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
  sockaddr_in a{};
  a.sin_family = AF_INET;
  a.sin_port = htons(port);
  a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  if (connect(fd, reinterpret_cast<sockaddr*>(&a), sizeof a) != 0) {
    close(fd);
    return -1;
  }
  return fd;
}

uint16_t local_port(int fd) {
  sockaddr_in a{};
  socklen_t len = sizeof a;
  getsockname(fd, reinterpret_cast<sockaddr*>(&a), &len);
  return ntohs(a.sin_port);
}

struct DumpRun {
  std::vector<std::string> activity_names;  // "name:values-count"
  std::vector<std::string> thread_keys;     // per line of each block: its keys
  size_t thread_blocks = 0;
  std::vector<std::string> fd_lines;
  std::map<std::string, bool> fd_checks;
  std::string fd_one;  // "show fd N" of the frontend's listener
  std::string schema;
  std::set<std::string> info_names, info_flt;  // desc form; float form's flt fields
  std::vector<std::string> bad_desc_lines;
  size_t stat_desc_lines = 0;
  std::string help;
};

// The keys of a "k=v k=v" line (words before '=', or "Thread"/"cpu_ns:").
std::string keys_of(const std::string& line) {
  std::string out;
  std::istringstream in(line);
  for (std::string w; in >> w;) {
    const size_t eq = w.find('=');
    if (eq != std::string::npos)
      out += w.substr(0, eq) + " ";
    else if (w == "Thread" || w == "cpu_ns:")
      out += w + " ";
  }
  return out;
}

DumpRun run(const std::string& binary) {
  TempDir dir;
  const std::string sock = dir.file("stats.sock");
  const uint16_t fe = free_tcp_port();
  uint16_t srv = 0;
  // A server that completes handshakes (the kernel's backlog) but never
  // accepts nor answers: the proxied request stays on both connections.
  UniqueFd server(listen_loopback(0, &srv));
  const std::string cfg = "global\n  nbthread 2\n  stats socket " + sock +
                          " level admin\n"
                          "defaults\n  mode http\n  timeout connect 2s\n"
                          "  timeout client 10s\n  timeout server 10s\n"
                          "frontend fe\n  bind 127.0.0.1:" +
                          std::to_string(fe) +
                          "\n  default_backend bk\n"
                          "backend bk\n  server s1 127.0.0.1:" +
                          std::to_string(srv) + "\n";
  HearthOptions opt{.wait_ports = {fe}};
  if (!binary.empty()) opt.binary = binary, opt.extra_args = {"-db"};
  HearthProcess h(cfg, opt);
  EXPECT_TRUE(h.ready()) << binary << ": " << h.describe();
  DumpRun r;
  UniqueFd client(connect_to(fe));
  EXPECT_GE(client.get(), 0);
  const std::string req = "GET / HTTP/1.1\r\nHost: x\r\n\r\n";
  EXPECT_EQ(send(client.get(), req.data(), req.size(), MSG_NOSIGNAL), ssize_t(req.size()));
  const uint16_t cport = local_port(client.get());

  // show fd: wait until the server connection is there.
  std::string fds;
  wait_until(
      [&] {
        fds = stats_command(sock, "show fd");
        return fds.find("back=1") != std::string::npos;
      },
      std::chrono::seconds(5));
  r.fd_lines = lines(fds);
  const std::regex head(
      R"(^ +\d+ : st=0x[0-9a-f]{6}\([cC][lL] [hH][eE][oO][pP][iI] W:[sS][rR][aA] R:[sS][rR][aA]\) )"
      R"(ref=0x?[0-9a-f]* gid=1 tmask=0x[0-9a-f]+ umask=0x[0-9a-f]+ prmsk=0x[0-9a-f]+ )"
      R"(pwmsk=0x[0-9a-f]+ owner=(0x[0-9a-f]+|\(nil\)) iocb=(0x[0-9a-f]+|\(nil\))\([a-z_]+\).*$)");
  std::string listener_fd;
  for (const std::string& l : r.fd_lines) {
    if (l.empty()) continue;
    if (!std::regex_match(l, head)) r.fd_checks["bad line: " + l] = false;
    const std::string fe_listen = "l.st=RDY fe=fe fam=ipv4 lport=" + std::to_string(fe);
    if (l.find(fe_listen) != std::string::npos) {
      r.fd_checks["listener"] = true;
      if (listener_fd.empty()) listener_fd = l.substr(0, l.find(':'));
    }
    if (l.find("l.st=RDY fe=GLOBAL fam=unix") != std::string::npos) r.fd_checks["cli"] = true;
    if (l.find(" back=0 cflg=0x") != std::string::npos &&
        l.find("fam=ipv4 lport=" + std::to_string(fe) + " rport=" + std::to_string(cport) +
               " fe=fe mux=H1 ctx=0x") != std::string::npos &&
        l.find(" xprt=RAW") != std::string::npos)
      r.fd_checks["client conn"] = true;
    if (l.find(" back=1 cflg=0x") != std::string::npos &&
        l.find(" rport=" + std::to_string(srv) + " sv=bk/s1 mux=H1 ctx=0x") != std::string::npos)
      r.fd_checks["server conn"] = true;
  }
  if (!listener_fd.empty()) {
    r.fd_one = stats_command(sock, "show fd " + std::to_string(std::stoi(listener_fd)));
    const std::string want = [&] {
      for (const std::string& l : r.fd_lines)
        if (l.rfind(listener_fd + ":", 0) == 0) return l;
      return std::string();
    }();
    // The same fd's line, the listener's part the same (its state and poll
    // masks may move between the two calls: HAProxy's do, at times).
    const std::string fe_listen = "l.st=RDY fe=fe fam=ipv4 lport=" + std::to_string(fe);
    r.fd_checks["show fd N"] = !want.empty() && r.fd_one.rfind(listener_fd + ":", 0) == 0 &&
                               r.fd_one.find(fe_listen) != std::string::npos &&
                               r.fd_one.size() > 2 &&
                               r.fd_one.compare(r.fd_one.size() - 2, 2, "\n\n") == 0;
  }

  for (const std::string& l : lines(stats_command(sock, "show activity"))) {
    if (l.empty() || l.rfind("thread_id:", 0) == 0 || l.rfind("date_now:", 0) == 0) continue;
    std::istringstream in(l.substr(l.find(':') + 1));
    size_t values = 0;
    for (std::string w; in >> w;)
      if (w != "[" && w != "]") ++values;
    r.activity_names.push_back(l.substr(0, l.find(':')) + ":" + std::to_string(values));
  }
  for (const std::string& l : lines(stats_command(sock, "show threads"))) {
    if (l.find("Thread ") != std::string::npos && l.find(" : id=") != std::string::npos)
      ++r.thread_blocks;
    // The first three lines of each block (the current task's differ).
    if (l.find("Thread ") != std::string::npos || l.find("stuck=") != std::string::npos ||
        l.find("cpu_ns:") != std::string::npos)
      r.thread_keys.push_back(keys_of(l));
  }
  r.schema = stats_command(sock, "show schema json");
  const std::regex desc_line(R"(^[A-Za-z_ -]+: [^:]*:"[^"]*"$)");
  for (const std::string& l : lines(stats_command(sock, "show info desc"))) {
    if (l.empty()) continue;
    // Values with a colon (none but a date or uptime) are skipped by the regex check.
    if (!std::regex_match(l, desc_line) && l.find("Uptime:") != 0) r.bad_desc_lines.push_back(l);
    r.info_names.insert(l.substr(0, l.find(':')));
  }
  for (const std::string& l : lines(stats_command(sock, "show info typed float")))
    if (l.find(":flt:") != std::string::npos) r.info_flt.insert(l.substr(0, l.find(":")));
  const std::regex stat_desc(
      R"(^[FBS]\.\d+\.\d+\.\d+\.[a-z0-9_]+\.1:[A-Za-z]{3}:[a-z0-9]+:.*:"[^"]+"$)");
  for (const std::string& l : lines(stats_command(sock, "show stat typed desc"))) {
    if (l.empty()) continue;
    ++r.stat_desc_lines;
    if (!std::regex_match(l, stat_desc)) r.bad_desc_lines.push_back(l);
  }
  r.help = stats_command(sock, "help");
  return r;
}

TEST(CliDump, SameLayoutsAsHAProxy) {
  const DumpRun hearth = run(""), haproxy = run("haproxy");

  // show activity: HAProxy's names in its order, each with a total and one
  // figure per thread.
  EXPECT_EQ(hearth.activity_names, haproxy.activity_names);
  EXPECT_EQ(hearth.activity_names.size(), 24u);
  for (const std::string& n : hearth.activity_names) EXPECT_EQ(n.substr(n.find(':')), ":3") << n;

  // show threads: a block per thread with the same keys.
  EXPECT_EQ(hearth.thread_blocks, 2u);
  EXPECT_EQ(hearth.thread_blocks, haproxy.thread_blocks);
  EXPECT_EQ(hearth.thread_keys, haproxy.thread_keys);

  // show fd: the same line head; the frontend's listener, the CLI's, the
  // client and the server connections described alike.
  for (const auto* run : {&hearth, &haproxy}) {
    const char* who = run == &hearth ? "hearth" : "haproxy";
    for (const char* k : {"listener", "cli", "client conn", "server conn", "show fd N"}) {
      auto it = run->fd_checks.find(k);
      EXPECT_TRUE(it != run->fd_checks.end() && it->second) << who << ": " << k;
    }
    for (const auto& [k, v] : run->fd_checks) EXPECT_TRUE(v) << who << ": " << k;
    std::string all;
    for (const std::string& l : run->fd_lines) all += l + "\n";
    EXPECT_GE(run->fd_lines.size(), 5u) << who << "\n" << all;
  }

  // show schema json: byte for byte.
  EXPECT_EQ(hearth.schema, haproxy.schema);
  EXPECT_EQ(hearth.schema.rfind("{\"$schema\":", 0), 0u);

  // show info desc: every line "Name: value:"meaning"", the names HAProxy's
  // (Hearth's own two apart); the float form types the same fields flt.
  EXPECT_TRUE(hearth.bad_desc_lines.empty()) << hearth.bad_desc_lines.front();
  EXPECT_TRUE(haproxy.bad_desc_lines.empty()) << haproxy.bad_desc_lines.front();
  for (const std::string& n : hearth.info_names) {
    if (n != "LiveConnections" && n != "SplicedBytes") {
      EXPECT_TRUE(haproxy.info_names.count(n)) << n;
    }
  }
  EXPECT_GE(hearth.info_names.size(), 60u);
  EXPECT_EQ(hearth.info_flt, haproxy.info_flt);
  EXPECT_EQ(hearth.info_flt.size(), 10u);
  // show stat typed desc: a meaning after every typed field.
  EXPECT_GT(hearth.stat_desc_lines, 100u);
  EXPECT_GT(haproxy.stat_desc_lines, 100u);

  // help: the commands, in both.
  for (const char* c : {"show activity", "show threads", "show fd", "show schema json"}) {
    EXPECT_NE(hearth.help.find("  " + std::string(c)), std::string::npos) << c;
    EXPECT_NE(haproxy.help.find("  " + std::string(c)), std::string::npos) << c;
  }
}

}  // namespace
}  // namespace hearth::test::http
