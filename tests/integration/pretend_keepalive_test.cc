// option http-pretend-keepalive, run through hearth and through HAProxy 2.6:
// under httpclose or http-server-close the request reaches the server without
// "connection: close" (an HTTP/1.0 one with "connection: keep-alive"), and
// the server connection is still closed once the response is complete.
#include <gtest/gtest.h>
#include <poll.h>
#include <sys/socket.h>

#include <mutex>
#include <string>
#include <vector>

#include "integration/tcp_test_util.h"
#include "support/scripted_server.h"

namespace hearth::test::tcp {
namespace {

// A server that records each request head, answers it with a keep-alive
// response, then records whether the proxy closed the connection.
struct RecordingServer {
  std::mutex mu;
  std::vector<std::string> heads;
  int closed_by_peer = 0;
  ScriptedServer srv{[this](int fd) {
    std::string in;
    char buf[4096];
    for (;;) {
      pollfd p{fd, POLLIN, 0};
      if (poll(&p, 1, 3000) <= 0) return;  // the proxy kept it open
      const ssize_t n = recv(fd, buf, sizeof buf, 0);
      if (n <= 0) {
        std::lock_guard<std::mutex> l(mu);
        ++closed_by_peer;
        return;
      }
      in.append(buf, size_t(n));
      const size_t end = in.find("\r\n\r\n");
      if (end == std::string::npos) continue;
      {
        std::lock_guard<std::mutex> l(mu);
        heads.push_back(in.substr(0, end + 4));
      }
      in.erase(0, end + 4);
      send_all(fd, "HTTP/1.1 200 OK\r\ncontent-length: 2\r\n\r\nok");
    }
  }};
};

std::string config(uint16_t port, uint16_t srv, const std::string& mode, bool pretend) {
  return "defaults\n  mode http\n  timeout connect 2s\n  timeout client 5s\n"
         "  timeout server 5s\n"
         "frontend fe\n  bind 127.0.0.1:" +
         std::to_string(port) +
         "\n  default_backend be\n"
         "backend be\n  option " +
         mode + "\n" + (pretend ? "  option http-pretend-keepalive\n" : "") +
         "  server s 127.0.0.1:" + std::to_string(srv) + "\n";
}

std::string lower(std::string s) {
  for (char& c : s) c = char(std::tolower(static_cast<unsigned char>(c)));
  return s;
}

// One request on its own client connection. Returns: what the client got.
std::string exchange(uint16_t port, const std::string& request) {
  UniqueFd c(connect_tcp(port, milliseconds{1000}));
  EXPECT_TRUE(send_all(c.get(), request));
  std::string got;
  while (got.find("\r\n\r\nok") == std::string::npos) {
    auto line = recv_n(c.get(), 1, milliseconds{3000});
    if (line.empty()) break;
    got += line;
  }
  return got;
}

TEST(PretendKeepAlive, ServerSeesKeepAliveAndTheProxyClosesAfterTheResponse) {
  for (const std::string binary : kBinaries) {
    for (const char* mode : {"httpclose", "http-server-close"}) {
      for (bool pretend : {false, true}) {
        SCOPED_TRACE(name_of(binary) + " " + mode + (pretend ? " pretend" : ""));
        RecordingServer rs;
        const uint16_t port = free_tcp_port();
        HearthProcess h(config(port, rs.srv.port(), mode, pretend), options_for(binary, port));
        ASSERT_TRUE(h.ready()) << h.describe();
        EXPECT_NE(exchange(port, "GET /a HTTP/1.1\r\nhost: x\r\n\r\n").find("200 OK"),
                  std::string::npos);
        EXPECT_NE(exchange(port, "GET /b HTTP/1.0\r\n\r\n").find("200 OK"), std::string::npos);
        // Both server connections are closed by the proxy after one response.
        ASSERT_TRUE(wait_until(
            [&] {
              std::lock_guard<std::mutex> l(rs.mu);
              return rs.closed_by_peer == 2;
            },
            milliseconds{2000}));
        std::lock_guard<std::mutex> l(rs.mu);
        ASSERT_EQ(rs.heads.size(), 2u);
        const std::string h11 = lower(rs.heads[0]), h10 = lower(rs.heads[1]);
        EXPECT_EQ(h11.find("connection: close") != std::string::npos, !pretend) << h11;
        EXPECT_EQ(h10.find("connection: keep-alive") != std::string::npos, pretend) << h10;
      }
    }
  }
}

}  // namespace
}  // namespace hearth::test::tcp
