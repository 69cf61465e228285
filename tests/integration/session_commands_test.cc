// "show sess", "shutdown session" and "shutdown sessions server" through
// hearth and HAProxy 2.6 with the same configuration: an HTTP request and a
// TCP connection held by a server that never answers are listed (proxy,
// backend, server, client), the HTTP one is killed by its id (the client gets
// HAProxy's 502, the log "KH--"), the TCP one with its server's sessions (the
// client's connection closes, the log "K-"), and the refusals are HAProxy's;
// "show sess all" and "show sess ID" detail them in HAProxy's layout.
#include <gtest/gtest.h>
#include <sys/socket.h>

#include <regex>
#include <sstream>
#include <string>
#include <vector>

#include "http_test_util.h"
#include "support/ports.h"
#include "support/scripted_server.h"
#include "support/temp_dir.h"
#include "support/wait.h"

namespace hearth::test::http {
namespace {

// Reads, then holds the connection until the peer or the test ends it.
void hold(int fd) {
  char buf[4096];
  while (recv(fd, buf, sizeof buf, 0) > 0) {
  }
}

// The "show sess" lines of the proxies' streams (not the CLI's own, which
// HAProxy lists), up to "ts=00", addresses and ports masked, sorted.
std::string sessions(const std::string& text) {
  std::vector<std::string> rows;
  std::istringstream in(text);
  for (std::string l; std::getline(in, l);) {
    if (l.empty() || l.find("fe=GLOBAL") != std::string::npos) continue;
    const size_t ts = l.find(" ts=00");
    if (ts != std::string::npos) l.resize(ts + 6);
    l = std::regex_replace(l, std::regex("^0x[0-9a-f]+:"), "ID:");
    l = std::regex_replace(l, std::regex("src=127\\.0\\.0\\.1:\\d+"), "src=127.0.0.1:PORT");
    rows.push_back(l);
  }
  std::sort(rows.begin(), rows.end());
  std::string out;
  for (const std::string& r : rows) out += r + "\n";
  return out;
}

// What "show sess all" / "show sess ID" details the same way in both: per
// stream of a proxy (the CLI's own left out), the head line's protocol and
// source, conn_retries, the frontend, backend and server lines (names, ids,
// modes, the server's address; ports left out: each run has its own
// server), and the order of the main lines; streams sorted.
std::string details(const std::string& text) {
  std::vector<std::string> blocks;
  std::istringstream in(text);
  for (std::string l; std::getline(in, l);) {
    if (std::regex_search(l, std::regex("^0x[0-9a-f]+: "))) blocks.emplace_back();
    if (!blocks.empty()) blocks.back() += l + "\n";
  }
  std::vector<std::string> rows;
  for (const std::string& b : blocks) {
    if (b.find("frontend=GLOBAL") != std::string::npos) continue;
    std::string row;
    std::smatch m;
    for (const char* re :
         {"proto=\\S+ source=127\\.0\\.0\\.1:", "conn_retries=\\d+",
          "frontend=\\S+ \\(id=\\d+ mode=\\w+\\)", "backend=\\S+ \\(id=-?\\d+ mode=\\S+\\)",
          "server=\\S+ \\(id=-?\\d+\\)( addr=127\\.0\\.0\\.1:)?"})
      row += (std::regex_search(b, m, std::regex(re)) ? std::string(m[0]) : "missing") + " | ";
    std::istringstream lines(b);
    for (std::string l; std::getline(lines, l);) {
      const size_t eq = l.find('=');
      const std::string key = eq == std::string::npos ? "" : l.substr(0, eq);
      for (const char* k :
           {"  frontend", "  backend", "  server", "  task", "  scf", "  scb", "  req", "  res"})
        if (key == k) row += key.substr(2) + " ";
    }
    rows.push_back(row);
  }
  std::sort(rows.begin(), rows.end());
  std::string out;
  for (const std::string& r : rows) out += r + "\n";
  return out;
}

// The id of the stream of frontend `fe` in a "show sess" answer.
std::string id_of(const std::string& text, const std::string& fe) {
  std::smatch m;
  if (std::regex_search(text, m, std::regex("(0x[0-9a-f]+): [^\\n]* fe=" + fe + " "))) return m[1];
  return "none";
}

// "STATUS TERM" of the log line of frontend `fe` in the output.
std::string log_of(const std::string& out, const std::string& fe) {
  std::smatch m;
  if (std::regex_search(out, m,
                        std::regex("\\] " + fe + " \\S+ [-\\d/]+ (-?\\d+) \\d+ - - (\\S+) ")))
    return std::string(m[1]) + " " + std::string(m[2]);
  if (std::regex_search(out, m, std::regex("\\] " + fe + " \\S+ [-\\d/]+ \\d+ (\\S+) ")))
    return m[1];
  return "no log line";
}

std::vector<std::string> run(const std::string& binary) {
  ScriptedServer server(hold);
  TempDir dir;
  const std::string sock = dir.file("stats.sock");
  const uint16_t web = free_tcp_port(), tcp = free_tcp_port();
  const std::string srv = "127.0.0.1:" + std::to_string(server.port());
  HearthOptions opt{.wait_ports = {web, tcp}};
  if (!binary.empty()) opt.binary = binary, opt.extra_args = {"-db"};
  HearthProcess h("global\n  stats socket " + sock +
                      " level admin\n"
                      "defaults\n  log stdout format raw local0\n  timeout connect 1s\n"
                      "  timeout client 30s\n  timeout server 30s\n"
                      "frontend web\n  mode http\n  option httplog\n  bind 127.0.0.1:" +
                      std::to_string(web) +
                      "\n  default_backend app\n"
                      "backend app\n  mode http\n  server s1 " +
                      srv +
                      "\n"
                      "listen tcp\n  mode tcp\n  option tcplog\n  bind 127.0.0.1:" +
                      std::to_string(tcp) + "\n  server s1 " + srv + "\n",
                  opt);
  EXPECT_TRUE(h.ready()) << binary << ": " << h.describe();
  std::vector<std::string> s;
  HttpClient a(web);
  a.send("GET / HTTP/1.1\r\nhost: x\r\n\r\n");
  HttpClient b(tcp);
  b.send("hello");
  EXPECT_TRUE(wait_until([&] { return server.active() == 2; }, std::chrono::seconds(5)));
  const std::string listed = stats_command(sock, "show sess");
  s.push_back(sessions(listed));
  for (const char* cmd : {"show sess 0x1234", "shutdown session 0x1234", "shutdown session",
                          "shutdown sessions server tcp/nope", "shutdown sessions server nope/s1"})
    s.push_back(std::string(cmd) + " -> " + stats_command(sock, cmd));
  // Both detail one stream, or every stream, on many lines.
  const std::string one = stats_command(sock, "show sess " + id_of(listed, "web"));
  s.push_back(one.rfind(id_of(listed, "web") + ": [", 0) == 0 ? "found" : one);
  s.push_back(details(one));
  s.push_back(details(stats_command(sock, "show sess all")));
  s.push_back(stats_command(sock, "shutdown session " + id_of(listed, "web")));
  const HttpResponse r = a.read_response();
  s.push_back(std::to_string(r.status));
  s.push_back(stats_command(sock, "shutdown sessions server tcp/s1"));
  s.push_back(b.closed_by_peer(std::chrono::milliseconds(3000)) ? "closed" : "open");
  EXPECT_TRUE(wait_until([&] { return log_of(h.output(), "tcp") != "no log line"; },
                         std::chrono::seconds(3)));
  s.push_back(log_of(h.output(), "web"));
  s.push_back(log_of(h.output(), "tcp"));
  s.push_back(sessions(stats_command(sock, "show sess")));
  return s;
}

TEST(SessionCommands, ListAndKillLikeHAProxy) {
  const std::vector<std::string> hearth = run(""), haproxy = run("haproxy");
  ASSERT_EQ(hearth.size(), haproxy.size());
  for (size_t i = 0; i < hearth.size(); ++i) EXPECT_EQ(hearth[i], haproxy[i]) << i;
  EXPECT_EQ(hearth[0],
            "ID: proto=tcpv4 src=127.0.0.1:PORT fe=tcp be=tcp srv=s1 ts=00\n"
            "ID: proto=tcpv4 src=127.0.0.1:PORT fe=web be=app srv=s1 ts=00\n");
  EXPECT_EQ(hearth[6], "found");
  const std::string web =
      "proto=tcpv4 source=127.0.0.1: | conn_retries=0 | frontend=web (id=2 mode=http) | "
      "backend=app (id=3 mode=http) | server=s1 (id=1) addr=" +
      std::string("127.0.0.1:");
  EXPECT_EQ(hearth[7].rfind(web, 0), 0u) << hearth[7];
  EXPECT_NE(hearth[7].find(" | frontend backend server task scf scb req res \n"), std::string::npos)
      << hearth[7];
  EXPECT_NE(hearth[8].find("frontend=tcp (id=4 mode=tcp)"), std::string::npos) << hearth[8];
  EXPECT_NE(hearth[8].find("frontend=web (id=2 mode=http)"), std::string::npos) << hearth[8];
  EXPECT_EQ(hearth[10], "502");
  EXPECT_EQ(hearth[12], "closed");
  EXPECT_EQ(hearth[13], "502 KH--");
  EXPECT_EQ(hearth[14], "K-");
  EXPECT_EQ(hearth[15], "");  // both gone
}

}  // namespace
}  // namespace hearth::test::http
