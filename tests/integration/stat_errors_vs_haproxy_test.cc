// The error and abort columns of show stat (dreq, dresp, econ, eresp,
// cli_abrt, srv_abrt), the counts beside them (stot, lbtot, req_tot, hrsp_*,
// wretr), h1_open_connections and the ssl_* columns, after each kind of
// failure: the same configuration and traffic through hearth and HAProxy 2.6,
// the counters' changes compared scenario by scenario.
#include <gtest/gtest.h>
#include <poll.h>
#include <sys/socket.h>

#include <map>
#include <string>
#include <thread>
#include <vector>

#include "http_test_util.h"
#include "stat_csv.h"
#include "support/client.h"
#include "support/command.h"
#include "support/ports.h"
#include "support/scripted_server.h"
#include "support/temp_dir.h"
#include "support/test_certs.h"
#include "support/wait.h"
#include "tcp_test_util.h"

namespace hearth::test::http {
namespace {

using namespace std::chrono_literals;
using Table = std::map<std::string, std::map<std::string, std::string>>;  // "px/sv" -> columns

// Waits up to `ms` for fd to become readable (or closed). Returns: true if it did.
bool readable(int fd, int ms) {
  pollfd p{fd, POLLIN, 0};
  return ::poll(&p, 1, ms) > 0;
}

// Reads one request head. Returns: its path ("" on EOF).
std::string read_head(int fd) {
  std::string head;
  char c;
  while (head.find("\r\n\r\n") == std::string::npos) {
    if (!readable(fd, 5000) || ::recv(fd, &c, 1, 0) != 1) return "";
    head += c;
  }
  const size_t sp = head.find(' ');
  return sp == std::string::npos ? "" : head.substr(sp + 1, head.find(' ', sp + 1) - sp - 1);
}

// The server's part of each scenario, chosen by the request's path.
void serve(int fd) {
  const std::string ok = "HTTP/1.1 200 OK\r\nContent-Length: 2\r\n";
  for (;;) {
    const std::string path = read_head(fd);
    if (path.empty() || path == "/close") return;  // SH
    if (path == "/bad") {                          // an invalid head: PH
      send_all(fd, "garbage\r\n\r\n");
      readable(fd, 300);
      return;
    }
    if (path == "/slow") {  // nothing before timeout server: sH
      readable(fd, 3000);
      return;
    }
    const std::string cut = "HTTP/1.1 200 OK\r\nContent-Length: 1000\r\n\r\n0123456789";
    if (path == "/cut" || path == "/rst" || path == "/stall") {
      send_all(fd, cut);
      readable(fd, path == "/stall" ? 3000 : 200);  // /stall: timeout server in the payload
      if (path == "/rst") {  // the server closes fd: a reset
        linger lg{1, 0};
        setsockopt(fd, SOL_SOCKET, SO_LINGER, &lg, sizeof lg);
      }
      return;
    }
    if (path == "/rdeny") {
      send_all(fd, ok + "x-deny: 1\r\nConnection: close\r\n\r\nok");
      readable(fd, 300);
      return;
    }
    if (path == "/big") {  // more than any buffer: the client gives up first
      send_all(fd, "HTTP/1.1 200 OK\r\nContent-Length: 50000000\r\n\r\n");
      const std::string chunk(16384, 'x');
      for (int i = 0; i < 3000; ++i)
        if (!send_all(fd, chunk, 3000ms)) break;
      return;
    }
    if (path == "/ka") {  // kept alive: the connection waits in the pool
      send_all(fd, ok + "\r\nok");
      continue;
    }
    send_all(fd, ok + "Connection: close\r\n\r\nok");
    readable(fd, 300);
    return;
  }
}

struct Ports {
  uint16_t web = free_tcp_port(), tcp = free_tcp_port(), tls = free_tcp_port(),
           tls_back = free_tcp_port(), plain_back = free_tcp_port();
};

std::string config(const Ports& p, const std::string& sock, uint16_t server, uint16_t dead,
                   const std::string& pem) {
  auto port = [](uint16_t v) { return std::to_string(v); };
  return "global\n  stats socket " + sock +
         " level admin\n"
         "defaults\n  mode http\n  timeout connect 1s\n  timeout client 2s\n"
         "  timeout server 1s\n"
         "frontend fe\n  bind 127.0.0.1:" +
         port(p.web) +
         "\n  http-request deny if { path /deny }\n"
         "  http-response deny if { res.hdr(x-deny) -m found }\n"
         "  use_backend be4 if { path /refused }\n  use_backend be5 if { path /ka }\n"
         "  default_backend be\n"
         "backend be\n  server s1 127.0.0.1:" +
         port(server) + "\nbackend be5\n  server s6 127.0.0.1:" + port(server) + "\nbackend be4\n  server s5 127.0.0.1:" + port(dead) +
         "\nlisten tcpl\n  mode tcp\n  bind 127.0.0.1:" + port(p.tcp) +
         "\n  server t1 127.0.0.1:" + port(server) +
         "\nfrontend tfe\n  bind 127.0.0.1:" + port(p.tls) + " ssl crt " + pem +
         " name l1\n  option socket-stats\n  default_backend tbe\n"
         "backend tbe\n  server ts1 127.0.0.1:" +
         port(p.tls_back) + " ssl verify none\n  server ts2 127.0.0.1:" + port(p.plain_back) +
         " ssl verify none\n"
         "frontend tlsback\n  bind 127.0.0.1:" +
         port(p.tls_back) + " ssl crt " + pem +
         "\n  http-request return status 200\n"
         "frontend plainback\n  bind 127.0.0.1:" +
         port(p.plain_back) + "\n  http-request return status 200\n";
}

const char* const kRows[] = {"fe/FRONTEND", "be/s1", "be/BACKEND", "be4/s5", "be4/BACKEND",
                             "tcpl/t1",     "tcpl/BACKEND"};
const char* const kCols[] = {"dreq",    "dresp", "econ",     "eresp",    "cli_abrt", "srv_abrt",
                             "wretr",   "stot",  "lbtot",    "req_tot",  "hrsp_2xx", "hrsp_5xx"};

// Returns: the counters compared, as one string.
std::string compared(Table& t) {
  std::string out;
  for (const char* row : kRows)
    for (const char* col : kCols) out += t[row][col] + ",";
  return out;
}

// Waits until no session is open on the proxies compared and their counters
// stay the same over three reads 300 ms apart (a stream's counters are final
// once it is freed; a loaded machine may take a moment to free it).
Table settled(const std::string& sock) {
  Table last;
  int same_reads = 0;
  wait_until(
      [&] {
        Table now = stat_table(sock);
        for (const char* px : {"fe/FRONTEND", "tcpl/FRONTEND", "tfe/FRONTEND", "be/BACKEND"})
          if (now[px]["scur"] != "0") return false;
        same_reads = compared(now) == compared(last) ? same_reads + 1 : 0;
        last = std::move(now);
        if (same_reads >= 2) return true;
        std::this_thread::sleep_for(300ms);
        return false;
      },
      10000ms);
  return last;
}

// Returns: "row col=+N ..." for every compared counter that changed.
std::string changes(Table& before, Table& after) {
  std::string out;
  for (const char* row : kRows)
    for (const char* col : kCols) {
      const std::string& a = before[row][col];
      const std::string& b = after[row][col];
      if (a == b) continue;
      const long long d = (b.empty() ? 0 : std::stoll(b)) - (a.empty() ? 0 : std::stoll(a));
      out += std::string(row) + " " + col + "=" + (b.empty() ? "empty" : std::to_string(d)) + " ";
    }
  return out;
}

void get(uint16_t port, const std::string& path) { http_get(port, path, {}, 5000ms); }

// The client reads part of a large response, then closes (CD).
void read_some_then_close(uint16_t port, bool tcp) {
  const int fd = connect_tcp(port);
  if (fd < 0) return;
  send_all(fd, "GET /big HTTP/1.1\r\nHost: x\r\n" + std::string(tcp ? "" : "Connection: close\r\n") +
                   "\r\n");
  recv_n(fd, 200000, 3000ms);
  ::close(fd);
}

struct Scenario {
  const char* name;
  void (*run)(const Ports&);
};

const Scenario kScenarios[] = {
    {"ok", [](const Ports& p) { get(p.web, "/ok"); }},
    {"deny", [](const Ports& p) { get(p.web, "/deny"); }},
    {"server closes before responding (SH)", [](const Ports& p) { get(p.web, "/close"); }},
    {"invalid response (PH)", [](const Ports& p) { get(p.web, "/bad"); }},
    {"server timeout (sH)", [](const Ports& p) { get(p.web, "/slow"); }},
    {"payload cut by a close (SD)", [](const Ports& p) { get(p.web, "/cut"); }},
    {"payload cut by a reset (SD)", [](const Ports& p) { get(p.web, "/rst"); }},
    {"server timeout in the payload (sD)", [](const Ports& p) { get(p.web, "/stall"); }},
    {"http-response deny", [](const Ports& p) { get(p.web, "/rdeny"); }},
    {"client leaves during the payload (CD)",
     [](const Ports& p) { read_some_then_close(p.web, false); }},
    {"client timeout during the payload (cD)",
     [](const Ports& p) {
       const int fd = connect_tcp(p.web);
       send_all(fd, "GET /big HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n");
       std::this_thread::sleep_for(3000ms);  // timeout client is 2 s
       ::close(fd);
     }},
    {"client leaves during the request payload (CD)",
     [](const Ports& p) {
       const int fd = connect_tcp(p.web);
       send_all(fd, "POST /ok HTTP/1.1\r\nHost: x\r\nContent-Length: 1000\r\n\r\n0123456789");
       std::this_thread::sleep_for(300ms);
       ::close(fd);
     }},
    {"connection refused, 3 retries", [](const Ports& p) { get(p.web, "/refused"); }},
    {"tcp: server resets (SD)",
     [](const Ports& p) {
       const int fd = connect_tcp(p.tcp);
       send_all(fd, "GET /rst HTTP/1.1\r\nHost: x\r\n\r\n");
       recv_until_eof(fd, 3000ms);
       ::close(fd);
     }},
    {"tcp: client leaves (CD)", [](const Ports& p) { read_some_then_close(p.tcp, true); }},
};

struct Seen {
  std::vector<std::string> changes;  // one per scenario
  std::string keepalive;             // h1_open_connections of be/BACKEND with a connection idle
  std::string tls;                   // the ssl_* columns after the TLS traffic
};

Seen run(const std::string& binary, const std::string& pem) {
  ScriptedServer server(serve);
  TempDir dir;
  Ports p;
  const std::string sock = dir.file("stats.sock");
  HearthProcess h(config(p, sock, server.port(), tcp::dead_port(), pem),
                  tcp::options_for(binary, p.web));
  Seen seen;
  EXPECT_TRUE(h.ready()) << binary << h.describe();
  if (!h.ready()) return seen;
  Table before = settled(sock);
  for (const Scenario& s : kScenarios) {
    s.run(p);
    Table after = settled(sock);
    seen.changes.push_back(changes(before, after));
    before = std::move(after);
  }
  // A kept-alive server connection: open while it waits idle (on a server
  // of its own: Hearth has learned that s1 closes after each response).
  get(p.web, "/ka");
  seen.keepalive = settled(sock)["be5/BACKEND"]["h1_open_connections"];
  // TLS: curl resumes its session on its 2nd and 3rd connections; the proxy
  // resumes its own towards ts1; ts2 speaks plain HTTP (failed handshakes).
  const std::string url = "https://127.0.0.1:" + std::to_string(p.tls) + "/";
  for (int i = 0; i < 2; ++i)
    run_command({"curl", "-sk", "-o", "/dev/null", "-o", "/dev/null", "-o", "/dev/null", "-H",
                 "Connection: close", url, url, url});
  Table t = settled(sock);
  for (const char* row : {"tfe/FRONTEND", "tfe/l1", "tbe/ts1", "tbe/ts2", "tbe/BACKEND",
                          "tlsback/FRONTEND"})
    for (const char* col : {"ssl_sess", "ssl_reused_sess", "ssl_failed_handshake", "stot", "econ"})
      seen.tls += std::string(row) + " " + col + "=" + t[row][col] + " ";
  return seen;
}

TEST(StatErrorsVsHAProxy, EachFailureCountsWhereHAProxyCountsIt) {
  TestCerts certs;
  const std::string pem = certs.server("site.pem", "localhost", {"localhost"});
  ASSERT_FALSE(pem.empty()) << certs.last_error();
  const Seen ours = run("", pem);
  const Seen theirs = run("haproxy", pem);
  ASSERT_EQ(ours.changes.size(), std::size(kScenarios));
  ASSERT_EQ(theirs.changes.size(), std::size(kScenarios));
  for (size_t i = 0; i < std::size(kScenarios); ++i)
    EXPECT_EQ(ours.changes[i], theirs.changes[i]) << kScenarios[i].name;
  // The scenarios did what they say (HAProxy's side shows the same).
  EXPECT_NE(ours.changes[2].find("be/s1 eresp=1"), std::string::npos) << ours.changes[2];
  EXPECT_NE(ours.changes[5].find("be/s1 srv_abrt=1"), std::string::npos) << ours.changes[5];
  EXPECT_NE(ours.changes[9].find("be/BACKEND cli_abrt=1"), std::string::npos) << ours.changes[9];
  EXPECT_NE(ours.changes[12].find("be4/s5 stot=4"), std::string::npos) << ours.changes[12];
  EXPECT_EQ(ours.keepalive, theirs.keepalive);
  EXPECT_EQ(ours.keepalive, "1");
  EXPECT_EQ(ours.tls, theirs.tls);
  EXPECT_NE(ours.tls.find("tfe/FRONTEND ssl_reused_sess=4"), std::string::npos) << ours.tls;
}

}  // namespace
}  // namespace hearth::test::http
