// UNIX socket addresses through the real binary, each run through HAProxy 2.6
// with the same configuration and traffic, and compared: a bind on a path
// (mode 600, a leftover socket file at the path) reached by curl
// --unix-socket, a server on nginx's UNIX socket with a health check and
// connection reuse, a server and a bind on an abstract name, what the logs
// print for a UNIX client and server (%ci, %cp, %fi, %fp, %si, %sp, src,
// src_port, dst_port), and the address columns of show stat (the server's
// and the listener's) and show servers state.
#include <gtest/gtest.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <unistd.h>

#include <map>
#include <regex>
#include <set>
#include <sstream>
#include <string>
#include <vector>

#include "http_test_util.h"
#include "support/client.h"
#include "support/command.h"
#include "support/ports.h"
#include "support/temp_dir.h"
#include "support/wait.h"

namespace hearth::test::http {
namespace {

using std::chrono::milliseconds;

std::vector<std::string> lines_of(const std::string& text) {
  std::vector<std::string> out;
  std::istringstream in(text);
  for (std::string l; std::getline(in, l);) out.push_back(l);
  return out;
}

std::vector<std::string> split(const std::string& line, char sep) {
  std::vector<std::string> out;
  size_t start = 0;
  for (size_t c; (c = line.find(sep, start)) != std::string::npos; start = c + 1)
    out.push_back(line.substr(start, c - start));
  out.push_back(line.substr(start));
  return out;
}

// Leaves a socket file at `path` whose process is gone, as a crash would.
void leave_stale_socket(const std::string& path) {
  const int fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
  sockaddr_un a{};
  a.sun_family = AF_UNIX;
  snprintf(a.sun_path, sizeof a.sun_path, "%s", path.c_str());
  EXPECT_EQ(bind(fd, reinterpret_cast<sockaddr*>(&a), sizeof a), 0) << path;
  close(fd);
}

// Returns: `show stat` rows keyed "pxname/svname", each a map of column name
// to value.
std::map<std::string, std::map<std::string, std::string>> stat_rows(const std::string& sock) {
  std::map<std::string, std::map<std::string, std::string>> out;
  const std::vector<std::string> all = lines_of(stats_command(sock, "show stat"));
  if (all.empty() || all[0].size() < 2) return out;
  const std::vector<std::string> names = split(all[0].substr(2), ',');
  for (size_t k = 1; k < all.size(); ++k) {
    const std::vector<std::string> f = split(all[k], ',');
    if (f.size() < names.size()) continue;
    auto& row = out[f[0] + "/" + f[1]];
    for (size_t i = 0; i < names.size(); ++i) row[names[i]] = f[i];
    // A check in flight ("* L4OK") is timing, not state.
    if (row["check_status"].rfind("* ", 0) == 0) row["check_status"].erase(0, 2);
  }
  return out;
}

struct Seen {
  std::string curl;                 // the bodies curl --unix-socket got, one per line
  unsigned mode = 0;                // the bind's socket file permissions
  std::string abns;                 // the answer through the abstract socket
  std::multiset<std::string> logs;  // the custom log lines (TCP ports masked)
  std::string server_row;           // show stat: be/s1's addr, status, check_status
  std::string abns_row;             // show stat: be2/s2's addr
  std::string listener_rows;        // show stat: the listener rows' svname and addr
  std::string state;                // show servers state be: srv_addr srv_port
  size_t nginx_connections = 0;
  size_t nginx_requests = 0;
};

Seen run(const std::string& binary) {
  Seen r;
  TempDir dir;
  const std::string nginx_sock = dir.file("nginx.sock");
  Nginx nginx("    listen unix:" + nginx_sock + ";\n");
  EXPECT_TRUE(nginx.ready()) << nginx.describe();
  if (!nginx.ready()) return r;
  const std::string fe_sock = dir.file("fe.sock"), stats = dir.file("stats");
  const std::string abns =
      "hearth-test-" + std::to_string(getpid()) + "-" + (binary.empty() ? "hearth" : binary);
  leave_stale_socket(fe_sock);
  const uint16_t port = free_tcp_port();
  const std::string cfg =
      "global\n  stats socket " + stats +
      " level admin\n"
      "defaults\n  mode http\n  timeout connect 1s\n  timeout client 5s\n  timeout server 5s\n"
      "frontend fe\n  option socket-stats\n  bind " +
      fe_sock + " mode 600 name ux\n  bind 127.0.0.1:" + std::to_string(port) +
      " name tcp\n"
      "  log stderr format raw local0\n"
      "  log-format \"LOG ci=%ci cp=%cp fi=%fi fp=%fp si=%si sp=%sp src=%[src] "
      "sport=%[src_port] dport=%[dst_port] b=%b st=%ST\"\n"
      "  use_backend be2 if { path /abns }\n  default_backend be\n"
      "backend be\n  http-reuse always\n  server s1 " +
      nginx_sock +
      " check inter 200ms\n"
      "backend be2\n  server s2 abns@" +
      abns +
      "\n"
      "listen answer\n  bind abns@" +
      abns + "\n  http-request return status 200 content-type text/plain string abns-ok\n";
  HearthOptions opt{.wait_ports = {port}};
  if (!binary.empty()) opt.binary = binary, opt.extra_args = {"-db"};
  HearthProcess h(cfg, opt);
  EXPECT_TRUE(h.ready()) << binary << h.describe();
  if (!h.ready()) return r;
  struct stat st {};
  if (stat(fe_sock.c_str(), &st) == 0) r.mode = st.st_mode & 0777;
  EXPECT_TRUE(wait_until([&] { return stat_rows(stats)["be/s1"]["check_status"] == "L4OK"; },
                         milliseconds{5000}))
      << binary;
  for (int i = 0; i < 2; ++i) {
    const CommandResult c =
        run_command({"curl", "-s", "--unix-socket", fe_sock, "http://local/hello"});
    r.curl += std::to_string(c.exit_code) + " " + c.output;
  }
  const std::string tcp = http_get(port, "/hello");
  EXPECT_NE(tcp.find("hello from nginx"), std::string::npos) << tcp;
  r.abns = run_command({"curl", "-s", "--unix-socket", fe_sock, "http://local/abns"}).output;
  EXPECT_TRUE(wait_until(
      [&] {
        size_t n = 0;
        for (const std::string& l : lines_of(h.output())) n += l.rfind("LOG ", 0) == 0;
        return n >= 4;
      },
      milliseconds{3000}))
      << h.output();
  // The TCP client's ports change from run to run.
  static const std::regex ports("(cp|fp|sport|dport)=[0-9]+");
  for (const std::string& l : lines_of(h.output()))
    if (l.rfind("LOG ", 0) == 0)
      r.logs.insert(l.find("ci=unix") != std::string::npos ? l
                                                           : std::regex_replace(l, ports, "$1=N"));
  auto rows = stat_rows(stats);
  r.server_row =
      rows["be/s1"]["addr"] + " " + rows["be/s1"]["status"] + " " + rows["be/s1"]["check_status"];
  r.abns_row = rows["be2/s2"]["addr"];
  for (auto& [key, row] : rows)
    if (row["type"] == "3")  // the TCP port changes from run to run
      r.listener_rows += key + "=" + row["addr"].substr(0, row["addr"].find(':')) + " ";
  for (const std::string& l : lines_of(stats_command(stats, "show servers state be"))) {
    const std::vector<std::string> f = split(l, ' ');
    if (f.size() > 18 && f[3] == "s1") r.state = f[4] + " " + f[18];
  }
  EXPECT_TRUE(wait_until([&] { return nginx.access_log().size() >= 3; }, milliseconds{2000}));
  r.nginx_requests = nginx.access_log().size();
  r.nginx_connections = nginx.distinct_connections();
  return r;
}

TEST(UnixSockets, BindServerChecksLogsAndStatsAsHAProxy) {
  const Seen ours = run("");
  const Seen theirs = run("haproxy");
  EXPECT_EQ(ours.curl, "0 hello from nginx\n0 hello from nginx\n");
  EXPECT_EQ(ours.mode, 0600u);
  EXPECT_EQ(ours.abns, "abns-ok");
  EXPECT_EQ(ours.server_row, "unix UP L4OK");
  EXPECT_EQ(ours.state, "- 0");
  EXPECT_EQ(ours.nginx_requests, 3u);
  EXPECT_EQ(ours.nginx_connections, 1u);  // reused across clients (http-reuse always)
  EXPECT_EQ(ours.logs.count("LOG ci=unix cp=1 fi=unix fp=1 si=unix sp=0 src=- sport=- dport=- b=be "
                            "st=200"),
            2u)
      << testing::PrintToString(ours.logs);
  EXPECT_EQ(ours.logs.size(), 4u) << testing::PrintToString(ours.logs);
  EXPECT_EQ(ours.listener_rows, "fe/tcp=127.0.0.1 fe/ux=unix ");
  EXPECT_EQ(ours.curl, theirs.curl);
  EXPECT_EQ(ours.mode, theirs.mode);
  EXPECT_EQ(ours.abns, theirs.abns);
  EXPECT_EQ(ours.logs, theirs.logs);
  EXPECT_EQ(ours.server_row, theirs.server_row);
  EXPECT_EQ(ours.abns_row, theirs.abns_row);
  EXPECT_EQ(ours.listener_rows, theirs.listener_rows);
  EXPECT_EQ(ours.state, theirs.state);
  EXPECT_EQ(ours.nginx_requests, theirs.nginx_requests);
  EXPECT_EQ(ours.nginx_connections, theirs.nginx_connections);
}

}  // namespace
}  // namespace hearth::test::http
