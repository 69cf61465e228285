// %Th counts the TLS handshake: from the accept to the end of the handshake,
// for the first request of a connection (0 for the next ones, as HAProxy),
// and %Tt counts from the accept. Checked with a client that waits a
// moment between its TCP connect and its ClientHello, against hearth and
// haproxy alike.
#include <arpa/inet.h>
#include <gtest/gtest.h>
#include <netinet/in.h>
#include <openssl/ssl.h>
#include <sys/socket.h>
#include <unistd.h>

#include <regex>
#include <string>
#include <thread>
#include <vector>

#include "http_test_util.h"
#include "support/ports.h"
#include "support/test_certs.h"
#include "support/wait.h"
#include "tls_test_util.h"

namespace hearth::test::http {
namespace {

// Connects, waits `delay`, then makes a TLS handshake and sends two requests
// on the connection. Returns: false if any step failed.
bool delayed_client(uint16_t port, std::chrono::milliseconds delay) {
  const int fd = socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in a{};
  a.sin_family = AF_INET;
  a.sin_port = htons(port);
  a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  timeval tv{10, 0};
  setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv);
  if (connect(fd, reinterpret_cast<sockaddr*>(&a), sizeof a) != 0) return close(fd), false;
  std::this_thread::sleep_for(delay);
  SSL_CTX* ctx = SSL_CTX_new(TLS_client_method());
  SSL* ssl = SSL_new(ctx);
  SSL_set_fd(ssl, fd);
  bool ok = SSL_connect(ssl) == 1;
  for (int i = 0; ok && i < 2; ++i) {
    const std::string req = "GET / HTTP/1.1\r\nhost: a\r\n\r\n";
    ok = SSL_write(ssl, req.data(), int(req.size())) == int(req.size());
    std::string in;
    char buf[512];
    while (ok && in.find("\r\n\r\n") == std::string::npos) {
      const int n = SSL_read(ssl, buf, sizeof buf);
      ok = n > 0;
      if (ok) in.append(buf, size_t(n));
    }
  }
  SSL_free(ssl);
  SSL_CTX_free(ctx);
  close(fd);
  return ok;
}

TEST(TlsHandshakeTime, ThCountsTheHandshakeOfTheFirstRequest) {
  TestCerts certs;
  const std::string crt = certs.server("c.pem", "www.example.com", {"www.example.com"});
  ASSERT_EQ(certs.last_error(), "");
  for (const std::string binary : {"", "haproxy"}) {
    const uint16_t port = free_tcp_port();
    HearthOptions opt{.wait_ports = {port}};
    if (!binary.empty()) opt.binary = binary, opt.extra_args = {"-db"};
    HearthProcess h(
        "global\n  log stdout format raw local0\ndefaults\n  mode http\n"
        "  timeout connect 2s\n  timeout client 10s\n  timeout server 10s\n"
        "frontend fe\n  log global\n  log-format \"LOG th=%Th ti=%Ti tt=%Tt\"\n"
        "  bind " +
            tls::addr(port) + " ssl crt " + crt + "\n  http-request return status 200\n",
        opt);
    ASSERT_TRUE(h.ready()) << binary << ": " << h.describe();
    ASSERT_TRUE(delayed_client(port, std::chrono::milliseconds{300})) << binary;
    ASSERT_TRUE(wait_until(
        [&] {
          const std::string o = h.output();
          return o.find("LOG ") != o.rfind("LOG ");
        },
        std::chrono::milliseconds{5000}))
        << h.output();
    const std::string out = h.output();
    std::smatch m;
    const std::regex line("LOG th=(-?[0-9]+) ti=(-?[0-9]+) tt=(-?[0-9]+)");
    std::vector<std::vector<long>> seen;
    for (auto it = std::sregex_iterator(out.begin(), out.end(), line); it != std::sregex_iterator();
         ++it)
      seen.push_back({std::stol((*it)[1]), std::stol((*it)[2]), std::stol((*it)[3])});
    ASSERT_EQ(seen.size(), 2u) << binary << ": " << out;
    // The client waited 300 ms before its ClientHello: the handshake took at
    // least that long after the accept, and the total time includes it.
    EXPECT_GE(seen[0][0], 300) << binary << ": " << out;
    EXPECT_GE(seen[0][2], seen[0][0]) << binary << ": " << out;
    EXPECT_EQ(seen[1][0], 0) << binary << ": " << out;  // the next request had no handshake
  }
}

}  // namespace
}  // namespace hearth::test::http
