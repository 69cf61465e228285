// fe_id, be_id, srv_is_up, be_conn, queue, avg_queue, connslots and
// http_first_req, through hearth and HAProxy with the same configuration.
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "http_test_util.h"
#include "support/ports.h"

namespace hearth::test::http {
namespace {

std::string config(uint16_t fe_port, uint16_t listen_port) {
  return "defaults\n  mode http\n  timeout connect 1s\n  timeout client 5s\n"
         "  timeout server 5s\n"
         "frontend fe1\n  bind 127.0.0.1:" +
         std::to_string(fe_port) +
         "\n"
         "  http-request return status 200 hdr x \"fe=%[fe_id] first=%[http_first_req]\" "
         "if { path /a }\n"
         "  use_backend b2 if { path /b2 }\n"
         "  default_backend b1\n"
         "backend b1\n"
         "  http-request return status 200 hdr x \"fe=%[fe_id] be=%[be_id] q=%[queue] "
         "aq=%[avg_queue] bc=%[be_conn] bc2=%[be_conn(b2)] cs=%[connslots] up=%[srv_is_up(s1)] "
         "up2=%[srv_is_up(b2/s2)] first=%[http_first_req] cs2=%[connslots(b2)] "
         "aq2=%[avg_queue(b2)]\"\n"
         "  server s1 127.0.0.1:9 maxconn 10 maxqueue 3\n"
         "  server s3 127.0.0.1:9 maxconn 5 maxqueue 2\n"
         "listen l1\n  bind 127.0.0.1:" +
         std::to_string(listen_port) +
         "\n"
         "  http-request return status 200 hdr x \"fe=%[fe_id] be=%[be_id]\"\n"
         "backend b2\n"
         "  http-request return status 200 hdr x \"fe=%[fe_id] be=%[be_id] cs=%[connslots]\"\n"
         "  server s2 127.0.0.1:9 disabled\n";
}

TEST(BackendStateFetches, SameAsHAProxy) {
  std::vector<std::vector<std::string>> runs;
  for (const std::string binary : {"", "haproxy"}) {
    const uint16_t port = free_tcp_port();
    const uint16_t lport = free_tcp_port();
    HearthOptions opt{.wait_ports = {port, lport}};
    if (!binary.empty()) opt.binary = binary, opt.extra_args = {"-db"};
    HearthProcess h(config(port, lport), opt);
    ASSERT_TRUE(h.ready()) << binary << ": " << h.describe();
    std::vector<std::string> seen;
    {
      // Three requests on one connection: only the first is the first.
      HttpClient c(port);
      for (const char* path : {"/x", "/x", "/a"}) {
        ASSERT_TRUE(c.send(std::string("GET ") + path + " HTTP/1.1\r\nhost: a\r\n\r\n"));
        seen.push_back(c.read_response().header("x").value_or("-"));
      }
    }
    for (const char* path : {"/a", "/b2"}) {
      HttpClient c(port);
      ASSERT_TRUE(c.send(std::string("GET ") + path + " HTTP/1.1\r\nhost: a\r\n\r\n"));
      seen.push_back(c.read_response().header("x").value_or("-"));
    }
    HttpClient l(lport);
    ASSERT_TRUE(l.send("GET / HTTP/1.1\r\nhost: a\r\n\r\n"));
    seen.push_back(l.read_response().header("x").value_or("-"));
    runs.push_back(seen);
  }
  ASSERT_EQ(runs[0].size(), runs[1].size());
  for (size_t i = 0; i < runs[0].size(); ++i) EXPECT_EQ(runs[0][i], runs[1][i]) << i;
  EXPECT_EQ(runs[0][0], "fe=1 be=2 q=0 aq=0 bc=1 bc2=0 cs=20 up=1 up2=0 first=1 cs2=0 aq2=0");
  EXPECT_EQ(runs[0][1], "fe=1 be=2 q=0 aq=0 bc=1 bc2=0 cs=20 up=1 up2=0 first=0 cs2=0 aq2=0");
  EXPECT_EQ(runs[0][2], "fe=1 first=0");
  EXPECT_EQ(runs[0][3], "fe=1 first=1");
  EXPECT_EQ(runs[0][4], "fe=1 be=4 cs=0");
  EXPECT_EQ(runs[0][5], "fe=3 be=3");
}

}  // namespace
}  // namespace hearth::test::http
