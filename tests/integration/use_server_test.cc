// use-server: literal and computed names, a server that is down passed over,
// a computed name that names no server ending the rules (load balancing), in
// HTTP through hearth and HAProxy with the same configuration; and in TCP.
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "http_test_util.h"
#include "support/ports.h"

namespace hearth::test::http {
namespace {

std::string config(uint16_t port, const std::vector<uint16_t>& srv) {
  return "defaults\n  mode http\n  timeout connect 1s\n  timeout client 5s\n"
         "  timeout server 5s\n"
         "frontend fe\n  bind 127.0.0.1:" +
         std::to_string(port) +
         "\n  default_backend be\n"
         "backend be\n"
         "  balance first\n"
         "  http-response set-header x-srv %[srv_name]\n"
         "  use-server down if { path /down }\n"
         "  use-server b if { path_beg /b } || { path /down }\n"
         "  use-server %[req.hdr(x-name)] if { req.hdr(x-name) -m found }\n"
         "  use-server c if { path_beg /c }\n"
         "  server a 127.0.0.1:" +
         std::to_string(srv[0]) +
         "\n"
         "  server b 127.0.0.1:" +
         std::to_string(srv[1]) +
         " weight 0\n"
         "  server c 127.0.0.1:" +
         std::to_string(srv[2]) +
         " weight 0\n"
         "  server down 127.0.0.1:" +
         std::to_string(srv[0]) + " disabled\n";
}

TEST(UseServer, SameServersAsHAProxy) {
  HttpBackend a, b, c;
  // path, x-name header ("" = none)
  const std::vector<std::pair<std::string, std::string>> cases = {
      {"/b/1", ""}, {"/c/1", ""},       {"/other", ""}, {"/down", ""},
      {"/x", "c"},  {"/c/2", "nobody"}, {"/b/2", "a"},  {"/x", "down"}};
  std::vector<std::vector<std::string>> runs;
  for (const std::string binary : {"", "haproxy"}) {
    const uint16_t port = free_tcp_port();
    HearthOptions opt{.wait_ports = {port}};
    if (!binary.empty()) opt.binary = binary, opt.extra_args = {"-db"};
    HearthProcess h(config(port, {a.port(), b.port(), c.port()}), opt);
    ASSERT_TRUE(h.ready()) << binary << ": " << h.describe();
    std::vector<std::string> seen;
    for (const auto& [path, name] : cases) {
      HttpClient cl(port);
      std::string req = "GET " + path + " HTTP/1.1\r\nhost: a\r\n";
      if (!name.empty()) req += "x-name: " + name + "\r\n";
      ASSERT_TRUE(cl.send(req + "\r\n"));
      HttpResponse r = cl.read_response();
      seen.push_back(std::to_string(r.status) + " " + r.header("x-srv").value_or("-"));
    }
    runs.push_back(seen);
  }
  for (size_t i = 0; i < cases.size(); ++i)
    EXPECT_EQ(runs[0][i], runs[1][i]) << cases[i].first << " " << cases[i].second;
  const std::vector<std::string> want = {"200 b", "200 c", "200 a", "200 b",
                                         "200 c", "200 a", "200 b", "200 a"};
  EXPECT_EQ(runs[0], want);
}

TEST(UseServer, TcpMode) {
  HttpBackend a, b;
  const uint16_t port = free_tcp_port();
  HearthProcess h(
      "defaults\n  mode tcp\n  timeout connect 1s\n  timeout client 5s\n"
      "  timeout server 5s\n"
      "listen l\n  bind 127.0.0.1:" +
          std::to_string(port) + "\n  use-server b if { dst_port " + std::to_string(port) +
          " }\n"
          "  server a 127.0.0.1:" +
          std::to_string(a.port()) +
          "\n"
          "  server b 127.0.0.1:" +
          std::to_string(b.port()) + "\n",
      {.wait_ports = {port}});
  ASSERT_TRUE(h.ready()) << h.describe();
  for (int i = 0; i < 3; ++i) {
    HttpClient cl(port);
    EXPECT_EQ(cl.request("GET", "/").status, 200);
  }
  EXPECT_EQ(b.request_count(), 3u);
  EXPECT_EQ(a.request_count(), 0u);
}

}  // namespace
}  // namespace hearth::test::http
