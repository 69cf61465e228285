// max-keep-alive-queue, compared with HAProxy 2.6: a client whose last server
// (option prefer-last-server, under http-reuse never) is full waits for that server while fewer
// than N requests wait for it already (-1, the default: always), else goes to the server the
// algorithm picks. Both run the same configuration; the answering server is named by a response
// header.
#include <gtest/gtest.h>

#include <string>

#include "http_test_util.h"
#include "support/wait.h"
#include "tcp_test_util.h"

namespace hearth::test::http {
namespace {

using tcp::kBinaries;
using tcp::name_of;
using tcp::options_for;

std::string config(uint16_t port, uint16_t s1, uint16_t s2, const std::string& limit) {
  return "defaults\n  mode http\n  timeout connect 5s\n  timeout client 10s\n"
         "  timeout server 10s\n"
         "frontend fe\n  bind 127.0.0.1:" +
         std::to_string(port) +
         "\n  default_backend be\n"
         "backend be\n  balance first\n  http-reuse never\n  option prefer-last-server\n" +
         limit + "  use-server s1 if { path_beg /pause }\n" +
         "  http-response set-header x-srv %s\n" + "  server s1 127.0.0.1:" + std::to_string(s1) +
         " maxconn 1\n" + "  server s2 127.0.0.1:" + std::to_string(s2) + " maxconn 1\n";
}

// Returns: the server that answered client A's second request, sent while
// client B's slow request (use-server s1) holds A's last server at its maxconn.
std::string second_server(const std::string& binary, const std::string& limit) {
  HttpBackend b1, b2;
  const uint16_t port = free_tcp_port();
  HearthProcess h(config(port, b1.port(), b2.port(), limit), options_for(binary, port));
  EXPECT_TRUE(h.ready()) << name_of(binary) << ": " << h.describe();
  if (!h.ready()) return "not started";
  HttpClient a(port), b(port);
  const HttpResponse first = a.request("GET", "/");
  EXPECT_EQ(first.header("x-srv"), "s1");
  EXPECT_TRUE(b.send("GET /pause/1000 HTTP/1.1\r\nHost: x\r\n\r\n"));
  EXPECT_TRUE(wait_until([&] { return b1.active() == 2; }, milliseconds{3000}))
      << "B's request did not reach s1 beside A's idle connection";
  const HttpResponse second = a.request("GET", "/");
  EXPECT_EQ(second.status, 200);
  EXPECT_EQ(b.read_response().status, 200);
  return second.header("x-srv").value_or("none");
}

TEST(MaxKeepAliveQueue, WaitsForTheLastServerWithinTheLimitAsHAProxy) {
  for (const std::string binary : kBinaries) {
    SCOPED_TRACE(name_of(binary));
    EXPECT_EQ(second_server(binary, ""), "s1");  // -1: no limit
    EXPECT_EQ(second_server(binary, "  max-keep-alive-queue 1\n"), "s1");
    EXPECT_EQ(second_server(binary, "  max-keep-alive-queue 0\n"), "s2");
  }
}

}  // namespace
}  // namespace hearth::test::http
