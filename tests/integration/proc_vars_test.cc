// Process-wide variables: the global section's set-var / set-var-fmt, rules
// that read and update proc.* across connections and worker threads, and the
// runtime API's "get var" / "set var", through hearth and HAProxy with the
// same configuration.
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "http_test_util.h"
#include "support/ports.h"
#include "support/temp_dir.h"

namespace hearth::test::http {
namespace {

std::string config(uint16_t port, const std::string& sock) {
  return "global\n  nbthread 2\n  stats socket " + sock +
         " level admin\n"
         "  set-var proc.base int(100)\n"
         "  set-var proc.hits int(0)\n"
         "  set-var-fmt proc.greeting \"hello %[var(proc.base),add(1)]\"\n"
         "  set-var proc.id uuid()\n"
         "defaults\n  mode http\n  timeout connect 1s\n  timeout client 5s\n"
         "  timeout server 5s\n"
         "frontend fe\n  bind 127.0.0.1:" +
         std::to_string(port) +
         "\n"
         "  http-request set-var(proc.hits) var(proc.hits),add(1)\n"
         "  http-request set-var(proc.last) path if { path_beg /p }\n"
         "  http-request unset-var(proc.last) if { path /forget }\n"
         "  http-request return status 200 hdr x-hits \"%[var(proc.hits)]\" "
         "hdr x-greet \"%[var(proc.greeting)]\" hdr x-last \"%[var(proc.last)]\" "
         "hdr x-id-len \"%[var(proc.id),length]\"\n";
}

TEST(ProcVars, SharedAcrossConnectionsAndThreadsLikeHAProxy) {
  const std::vector<std::string> paths = {"/p1", "/x", "/p2", "/forget", "/y", "/p3"};
  std::vector<std::vector<std::string>> runs;
  for (const std::string binary : {"", "haproxy"}) {
    TempDir dir;
    const std::string sock = dir.file("stats.sock");
    const uint16_t port = free_tcp_port();
    HearthOptions opt{.wait_ports = {port}};
    if (!binary.empty()) opt.binary = binary, opt.extra_args = {"-db"};
    HearthProcess h(config(port, sock), opt);
    ASSERT_TRUE(h.ready()) << binary << ": " << h.describe();
    std::vector<std::string> seen;
    seen.push_back(stats_command(sock, "get var proc.hits"));
    seen.push_back(stats_command(sock, "get var proc.greeting"));
    for (const std::string& p : paths) {
      HttpClient c(port);  // a new connection each time: any thread may take it
      ASSERT_TRUE(c.send("GET " + p + " HTTP/1.1\r\nhost: a\r\n\r\n"));
      HttpResponse r = c.read_response();
      seen.push_back(std::to_string(r.status) + " hits=" + r.header("x-hits").value_or("-") +
                     " greet=" + r.header("x-greet").value_or("-") +
                     " last=" + r.header("x-last").value_or("-") +
                     " id=" + r.header("x-id-len").value_or("-"));
    }
    seen.push_back(stats_command(sock, "get var proc.hits"));
    seen.push_back(stats_command(sock, "set var proc.hits int(41)"));
    seen.push_back(stats_command(sock, "experimental-mode on; set var proc.hits int(41)"));
    HttpClient c(port);
    ASSERT_TRUE(c.send("GET /z HTTP/1.1\r\nhost: a\r\n\r\n"));
    seen.push_back("hits=" + c.read_response().header("x-hits").value_or("-"));
    seen.push_back(stats_command(sock, "get var proc.nope"));
    runs.push_back(seen);
  }
  ASSERT_EQ(runs[0].size(), runs[1].size());
  for (size_t i = 0; i < runs[0].size(); ++i) EXPECT_EQ(runs[0][i], runs[1][i]) << i;
  EXPECT_EQ(runs[0][0], "proc.hits: type=sint value=<0>\n");
  EXPECT_EQ(runs[0][1], "proc.greeting: type=str value=<hello 101>\n");
  EXPECT_EQ(runs[0][2], "200 hits=1 greet=hello 101 last=/p1 id=36");
  EXPECT_EQ(runs[0][5], "200 hits=4 greet=hello 101 last=- id=36");
  EXPECT_EQ(runs[0][7], "200 hits=6 greet=hello 101 last=/p3 id=36");
  EXPECT_EQ(runs[0][8], "proc.hits: type=sint value=<6>\n");
  EXPECT_EQ(runs[0][11], "hits=42");
}

}  // namespace
}  // namespace hearth::test::http
