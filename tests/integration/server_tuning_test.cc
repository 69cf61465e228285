// Through the real binary, compared with haproxy 2.6 on the same
// configuration: a server's "redir", tune.http.logurilen in the access log,
// and the socket buffer sizes of tune.{rcv,snd}buf.{client,server} as ss
// shows them on the live sockets.
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "http_test_util.h"
#include "support/command.h"
#include "support/output_lines.h"
#include "support/ports.h"
#include "support/wait.h"

namespace hearth::test::http {
namespace {

const char kDefaults[] =
    "defaults\n  mode http\n  timeout connect 1s\n  timeout client 5s\n  timeout server 5s\n";

HearthOptions options(const std::string& binary, uint16_t port) {
  HearthOptions opt{.wait_ports = {port}};
  if (!binary.empty()) opt.binary = binary, opt.extra_args = {"-db"};
  return opt;
}

// What a client sees of a response: status line fields and the named fields.
std::string summary(const HttpResponse& r) {
  std::string out = std::to_string(r.status);
  for (const char* f : {"location", "cache-control", "content-length", "connection"})
    out += std::string(" ") + f + "=" + r.header(f).value_or("-");
  return out;
}

TEST(ServerTuning, RedirAnswersGetAndHeadAndForwardsTheRestAsHAProxy) {
  HttpBackend be;
  std::vector<std::string> runs;
  for (const std::string binary : {"", "haproxy"}) {
    const uint16_t port = free_tcp_port();
    HearthProcess h(std::string(kDefaults) +
                        "frontend fe\n  bind 127.0.0.1:" + std::to_string(port) +
                        "\n  default_backend be\nbackend be\n"
                        "  server s1 127.0.0.1:" +
                        std::to_string(be.port()) + " redir http://red.example:8080\n",
                    options(binary, port));
    ASSERT_TRUE(h.ready()) << binary << h.describe();
    std::string seen;
    for (const char* req : {"GET /a/b?c=1 HTTP/1.1\r\nhost: a\r\n\r\n",
                            "GET http://h.example/abs?q HTTP/1.1\r\nhost: h.example\r\n\r\n",
                            "HEAD /x HTTP/1.1\r\nhost: a\r\n\r\n",
                            "POST /p HTTP/1.1\r\nhost: a\r\ncontent-length: 1\r\n\r\nx"}) {
      HttpClient c(port);
      ASSERT_TRUE(c.send(req));
      seen += summary(c.read_response(std::chrono::milliseconds{5000},
                                      std::string_view(req).starts_with("HEAD"))) +
              "\n";
    }
    runs.push_back(seen);
  }
  EXPECT_EQ(runs[0], runs[1]);
  EXPECT_EQ(runs[0],
            "302 location=http://red.example:8080/a/b?c=1 cache-control=no-cache "
            "content-length=0 connection=close\n"
            "302 location=http://red.example:8080/abs?q cache-control=no-cache "
            "content-length=0 connection=close\n"
            "302 location=http://red.example:8080/x cache-control=no-cache "
            "content-length=0 connection=close\n"
            "200 location=- cache-control=- content-length=3 connection=-\n");
  EXPECT_EQ(be.count_method("POST"), 2u);  // only the POSTs reached the server
  EXPECT_EQ(be.request_count(), 2u);
}

TEST(ServerTuning, LogUriLenCutsTheRequestLineAsHAProxy) {
  std::vector<std::string> runs;
  for (const std::string binary : {"", "haproxy"}) {
    const uint16_t port = free_tcp_port();
    HearthProcess h("global\n  log stdout format raw local0\n  tune.http.logurilen 10\n" +
                        std::string(kDefaults) +
                        "  log global\n  option httplog\n"
                        "frontend fe\n  bind 127.0.0.1:" +
                        std::to_string(port) + "\n  http-request return status 200\n",
                    options(binary, port));
    ASSERT_TRUE(h.ready()) << binary << h.describe();
    std::string seen;
    // Each line is waited for before the next request: HAProxy's threads
    // may otherwise write the two lines in either order.
    size_t n = 0;
    for (const char* path : {"/abcdefghijkl", "/ab"}) {
      HttpClient c(port);
      ASSERT_TRUE(c.send(std::string("GET ") + path + " HTTP/1.1\r\nhost: a\r\n\r\n"));
      EXPECT_EQ(c.read_response().status, 200);
      ++n;
      ASSERT_TRUE(wait_until([&] { return lines_with(h.output(), {" 200 "}).size() >= n; },
                             std::chrono::milliseconds{3000}))
          << h.output();
    }
    for (const std::string& line : lines_with(h.output(), {" 200 "}))
      seen += line.substr(line.find('"')) + "\n";
    runs.push_back(seen);
  }
  EXPECT_EQ(runs[0], runs[1]);
  EXPECT_EQ(runs[0], "\"GET /abcde\"\n\"GET /ab HT\"\n");
}

// Returns: the value after `key` (e.g. "rb") in the skmem of the one
// established socket `filter` selects, or -1.
long skmem(const std::string& filter, const std::string& key) {
  CommandResult r = run_command({"ss", "-Htmn", "state", "established", filter});
  const size_t at = r.output.find("," + key);
  if (at == std::string::npos) return -1;
  return std::atol(r.output.c_str() + at + key.size() + 1);
}

TEST(ServerTuning, SocketBuffersOfBothSidesAsHAProxy) {
  HttpBackend be;
  std::vector<std::string> runs;
  for (const std::string binary : {"", "haproxy"}) {
    const uint16_t port = free_tcp_port();
    HearthProcess h(
        "global\n  tune.rcvbuf.client 8192\n  tune.sndbuf.client 12288\n"
        "  tune.rcvbuf.server 20480\n  tune.sndbuf.server 24576\n" +
            std::string(kDefaults) + "frontend fe\n  bind 127.0.0.1:" + std::to_string(port) +
            "\n  default_backend be\nbackend be\n"
            "  server s1 127.0.0.1:" +
            std::to_string(be.port()) + "\n",
        options(binary, port));
    ASSERT_TRUE(h.ready()) << binary << h.describe();
    HttpClient c(port);  // kept open, and its server connection with it
    ASSERT_TRUE(c.send("GET / HTTP/1.1\r\nhost: a\r\n\r\n"));
    ASSERT_EQ(c.read_response().status, 200);
    // The proxy's accepted socket has the frontend's port as its source; its
    // server socket has the backend's port as its destination.
    const std::string fe = "( sport = :" + std::to_string(port) + " )";
    const std::string srv = "( dport = :" + std::to_string(be.port()) + " )";
    runs.push_back("client rb=" + std::to_string(skmem(fe, "rb")) +
                   " tb=" + std::to_string(skmem(fe, "tb")) + " server rb=" +
                   std::to_string(skmem(srv, "rb")) + " tb=" + std::to_string(skmem(srv, "tb")));
  }
  EXPECT_EQ(runs[0], runs[1]);
  // The kernel doubles what setsockopt asks for.
  EXPECT_EQ(runs[0], "client rb=16384 tb=24576 server rb=40960 tb=49152");
}

}  // namespace
}  // namespace hearth::test::http
