// tune.maxrewrite and strict-mode through the real binary and HAProxy 2.6
// with the same configuration: once the payload that came with a head fills
// the buffer (tune.bufsize less tune.maxrewrite), the rules have
// tune.maxrewrite bytes to grow the head; a rewrite beyond that answers 500
// under strict-mode on and is skipped under strict-mode off, and both count
// in the frontend's "wrew" (show stat). Request and response side.
#include <gtest/gtest.h>

#include <map>
#include <sstream>
#include <string>
#include <vector>

#include "http_test_util.h"
#include "support/ports.h"
#include "support/temp_dir.h"

namespace hearth::test::http {
namespace {

const std::string k60 = "123456789012345678901234567890123456789012345678901234567890";

std::string config(uint16_t fe1, uint16_t fe2, uint16_t s1, uint16_t s2, const std::string& sock) {
  return "global\n  tune.bufsize 2048\n  tune.maxrewrite 128\n  stats socket " + sock +
         " level admin\n"
         "defaults\n  mode http\n  timeout connect 2s\n  timeout client 5s\n"
         "  timeout server 5s\n  option http-buffer-request\n"
         "frontend fe1\n  bind 127.0.0.1:" +
         std::to_string(fe1) +
         "\n"
         "  http-request set-header x-hdr1 " +
         k60 +
         "\n"
         "  http-request set-header x-hdr2 " +
         k60 +
         " if { path /req2 }\n"
         "  http-request strict-mode off if { path /req3 }\n"
         "  http-request set-header x-hdr3 " +
         k60 +
         " if { path /req3 }\n"
         "  default_backend be1\n"
         "backend be1\n"
         "  http-request set-header x-hdr3 " +
         k60 +
         " if { path /req4 }\n"
         "  server s1 127.0.0.1:" +
         std::to_string(s1) +
         "\n"
         "frontend fe2\n  bind 127.0.0.1:" +
         std::to_string(fe2) +
         "\n"
         "  http-request set-var(txn.p) path\n"
         "  http-response set-header x-hdr4 " +
         k60 +
         " if { var(txn.p) -m str /req4 }\n"
         "  default_backend be2\n"
         "backend be2\n"
         "  http-response set-header x-hdr1 " +
         k60 +
         "\n"
         "  http-response set-header x-hdr2 " +
         k60 +
         " if { var(txn.p) -m str /req2 }\n"
         "  http-response strict-mode off if { var(txn.p) -m str /req3 }\n"
         "  http-response set-header x-hdr3 " +
         k60 +
         " if { var(txn.p) -m str /req3 }\n"
         "  server s2 127.0.0.1:" +
         std::to_string(s2) + "\n";
}

// Returns: column `name` of show stat's FRONTEND row of `fe`.
std::string frontend_stat(const std::string& sock, const std::string& fe, const std::string& name) {
  std::istringstream in(stats_command(sock, "show stat"));
  std::vector<std::string> names;
  for (std::string line; std::getline(in, line);) {
    std::vector<std::string> cols;
    std::stringstream ls(line.rfind("# ", 0) == 0 ? line.substr(2) : line);
    for (std::string c; std::getline(ls, c, ',');) cols.push_back(c);
    if (line.rfind("# ", 0) == 0) names = cols;
    if (cols.size() < 2 || cols[0] != fe || cols[1] != "FRONTEND") continue;
    for (size_t i = 0; i < names.size() && i < cols.size(); ++i)
      if (names[i] == name) return cols[i];
  }
  return "?";
}

TEST(MaxRewrite, RewriteRoomAndStrictModeAsHAProxy) {
  std::vector<std::string> runs;
  for (const std::string binary : {"", "haproxy"}) {
    TempDir dir;
    const std::string sock = dir.file("stats.sock");
    HttpBackend s1;
    HttpBackend::Options o;
    o.body = std::string(2000, 'b');
    HttpBackend s2(o);
    const uint16_t fe1 = free_tcp_port(), fe2 = free_tcp_port();
    HearthOptions opt{.wait_ports = {fe1, fe2}};
    if (!binary.empty()) opt.binary = binary, opt.extra_args = {"-db"};
    HearthProcess h(config(fe1, fe2, s1.port(), s2.port(), sock), opt);
    ASSERT_TRUE(h.ready()) << binary << ": " << h.describe();
    std::string seen;
    for (const char* path : {"/req1", "/req2", "/req3", "/req4"}) {
      HttpClient c(fe1);
      seen += std::to_string(c.request("POST", path, {}, std::string(2000, 'a')).status) + " ";
    }
    for (const char* path : {"/req1", "/req2", "/req3", "/req4"}) {
      HttpClient c(fe2);
      HttpResponse r = c.request("GET", path);
      seen += std::to_string(r.status) + (r.header("x-hdr1") ? "+1" : "") +
              (r.header("x-hdr3") ? "+3" : "") + " ";
    }
    // What reached the first server: /req1 and /req3, without x-hdr3.
    for (const HttpRequestRecord& r : s1.requests())
      seen += r.target + (r.header("x-hdr1") ? "+1" : "") + (r.header("x-hdr3") ? "+3" : "") + " ";
    seen += "wrew " + frontend_stat(sock, "fe1", "wrew") + " " + frontend_stat(sock, "fe2", "wrew");
    runs.push_back(seen);
  }
  EXPECT_EQ(runs[0], runs[1]);
  EXPECT_EQ(runs[0], "200 500 200 500 200+1 500 200+1 500 /req1+1 /req3+1 wrew 3 3");
}

}  // namespace
}  // namespace hearth::test::http
