// option abortonclose in HTTP mode, through hearth and HAProxy 2.6 with the
// same configuration: a client that closes while its request waits in the
// queue (CQ) or while the connection to a server that refuses is retried (CC)
// is not served; the log line says which. One that closes while the server
// has its request and has not answered yet ends the stream: logged 400 CH,
// and the server connection is closed.
#include <gtest/gtest.h>

#include <regex>
#include <string>
#include <thread>

#include "http_test_util.h"
#include "support/wait.h"
#include "tcp_test_util.h"

namespace hearth::test::http {
namespace {

using tcp::kBinaries;
using tcp::name_of;
using tcp::options_for;
using tcp::wait_log_line;

std::string config(uint16_t port, const std::string& backends) {
  return "global\n  log stdout format raw local0\n"
         "defaults\n  mode http\n  log global\n  option httplog\n  option abortonclose\n"
         "  timeout connect 1s\n  timeout client 10s\n  timeout server 10s\n"
         "  timeout queue 5s\n"
         "frontend fe\n  bind 127.0.0.1:" +
         std::to_string(port) +
         "\n  use_backend refused if { path /refused }\n  default_backend queued\n" + backends;
}

// Sends GET target and closes the connection 300 ms later, unanswered.
void send_and_leave(uint16_t port, const std::string& target) {
  HttpClient c(port);
  ASSERT_TRUE(c.send("GET " + target + " HTTP/1.1\r\nHost: x\r\n\r\n"));
  std::this_thread::sleep_for(milliseconds{300});
}

TEST(HttpAbortOnClose, ClientLeavingWhileQueuedOrConnectingIsNotServed) {
  for (const std::string binary : kBinaries) {
    SCOPED_TRACE(name_of(binary));
    HttpBackend b;
    const uint16_t port = free_tcp_port(), closed = free_tcp_port();
    HearthProcess h(
        config(port, "backend queued\n  server s1 127.0.0.1:" + std::to_string(b.port()) +
                         " maxconn 1\n"
                         "backend refused\n  retries 10\n  server s2 127.0.0.1:" +
                         std::to_string(closed) + "\n"),
        options_for(binary, port));
    ASSERT_TRUE(h.ready()) << h.describe();
    // s1 busy with a slow request: the next one queues, then its client goes.
    HttpClient slow(port);
    ASSERT_TRUE(slow.send("GET /pause/1500 HTTP/1.1\r\nHost: x\r\n\r\n"));
    ASSERT_TRUE(wait_until([&] { return b.active() == 1; }, milliseconds{3000}));
    send_and_leave(port, "/queued");
    const std::string cq = wait_log_line(h, {"GET /queued ", " CQ-- "});
    EXPECT_NE(cq, "") << h.output();
    // Tw is the time it waited, up to its client's close; no connect, no response.
    EXPECT_TRUE(std::regex_search(cq, std::regex(" [0-9]+/[0-9]+/-1/-1/[0-9]+ -1 "))) << cq;
    EXPECT_EQ(slow.read_response(milliseconds{5000}).status, 200);
    // Nothing listens on s2's port: retries, then the client goes.
    send_and_leave(port, "/refused");
    EXPECT_NE(wait_log_line(h, {"GET /refused ", " CC-- "}), "") << h.output();
    for (const HttpRequestRecord& r : b.requests())
      EXPECT_NE(r.target, "/queued") << "served after its client left";
  }
}

TEST(HttpAbortOnClose, ClientLeavingBeforeTheResponseClosesTheServerConnection) {
  for (const std::string binary : kBinaries) {
    SCOPED_TRACE(name_of(binary));
    HttpBackend b;
    const uint16_t port = free_tcp_port();
    HearthProcess h(
        config(port, "backend queued\n  server s1 127.0.0.1:" + std::to_string(b.port()) +
                         "\nbackend refused\n  server s2 127.0.0.1:1\n"),
        options_for(binary, port));
    ASSERT_TRUE(h.ready()) << h.describe();
    {
      HttpClient c(port);
      ASSERT_TRUE(c.send("GET /never HTTP/1.1\r\nHost: x\r\n\r\n"));
      ASSERT_TRUE(wait_until([&] { return b.active() == 1; }, milliseconds{3000}));
    }  // the client closes while the server holds its request
    const std::string ch = wait_log_line(h, {"GET /never ", " CH-- "});
    EXPECT_NE(ch, "") << h.output();
    // Connected, no response (Tr -1), logged 400.
    EXPECT_TRUE(std::regex_search(ch, std::regex(" [0-9]+/[0-9]+/[0-9]+/-1/[0-9]+ 400 "))) << ch;
    EXPECT_TRUE(wait_until([&] { return b.active() == 0; }, milliseconds{3000}))
        << "the server connection stayed open";
  }
}

}  // namespace
}  // namespace hearth::test::http
