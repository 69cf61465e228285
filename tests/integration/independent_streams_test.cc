// option independent-streams in TCP and HTTP mode, run through hearth and
// through HAProxy 2.6: a client that keeps sending to a server that never
// answers keeps the session alive by default (each send restarts the server
// side's timeout), while with the option on the backend only the server's own
// bytes do, so "timeout server" ends the session (sD; in HTTP, a 504).
#include <gtest/gtest.h>

#include <thread>

#include "integration/tcp_test_util.h"
#include "support/scripted_server.h"

namespace hearth::test::tcp {
namespace {

struct Result {
  bool closed = false;
  int64_t ms = 0;
};

// Sends a byte every 200 ms for up to `for_ms`. Returns: whether and when
// the proxy closed the client connection.
Result type_slowly(int fd, int64_t for_ms) {
  const auto start = SteadyClock::now();
  while (ms_since(start) < for_ms) {
    if (peer_closed(fd, milliseconds{200})) return {true, ms_since(start)};
    if (!send_all(fd, "k", milliseconds{100})) return {true, ms_since(start)};
  }
  return {false, ms_since(start)};
}

// `mode`: "" (tcp) or "    mode http\n".
std::string config(uint16_t port, uint16_t srv, bool independent, const std::string& mode) {
  return tcp_config(
      port,
      {.global = "    log stdout format raw daemon\n",
       .defaults = mode + "    log global\n    option " + (mode.empty() ? "tcplog" : "httplog") +
                   "\n    timeout connect 2s\n    timeout client 10s\n"
                   "    timeout server 800ms\n",
       .backend = std::string(independent ? "    option independent-streams\n" : "") +
                  server_line("s", srv)});
}

// Through hearth and haproxy, with and without the option on the backend: a
// client sends `first`, then types a byte every 200 ms to a server that
// reads nothing and answers nothing (the kernel takes the bytes). By default
// the session lives on; with the option it ends at "timeout server", logged
// with `verdict`.
void type_to_a_silent_server(const std::string& mode, const std::string& first,
                             const std::string& verdict) {
  ScriptedServer silent([](int fd) { hold_until_shutdown(fd); });
  for (const std::string binary : kBinaries) {
    for (bool independent : {false, true}) {
      SCOPED_TRACE(name_of(binary) + (independent ? " independent" : " default"));
      const uint16_t port = free_tcp_port();
      HearthProcess h(config(port, silent.port(), independent, mode), options_for(binary, port));
      ASSERT_TRUE(h.ready()) << h.describe();
      UniqueFd c(connect_tcp(port, milliseconds{1000}));
      ASSERT_TRUE(c.valid());
      if (!first.empty()) {
        ASSERT_TRUE(send_all(c.get(), first));
      }
      Result r = type_slowly(c.get(), 2400);
      if (!independent) {
        EXPECT_FALSE(r.closed) << "closed after " << r.ms << " ms";
        continue;
      }
      EXPECT_TRUE(r.closed) << r.ms;
      EXPECT_GE(r.ms, 600);
      EXPECT_LT(r.ms, 2000);
      c.reset();  // HAProxy logs once the client is gone too
      EXPECT_NE(wait_log_line(h, {" fe be/s ", verdict}), "") << h.output();
    }
  }
}

TEST(IndependentStreams, SendingToASilentServerNoLongerKeepsTheSessionAlive) {
  type_to_a_silent_server("", "", " sD ");
}

// HTTP mode: the client uploads its body slowly. By default each byte sent
// to the server restarts its timeout, so the upload goes on; with the option
// only the server's own bytes would, and "timeout server" ends the
// transaction (504) while the body still flows, as in HAProxy.
TEST(IndependentStreams, HttpUploadToASilentServerEndsAtTheServerTimeout) {
  type_to_a_silent_server("    mode http\n",
                          "POST / HTTP/1.1\r\nHost: x\r\nContent-Length: 100\r\n\r\n", " 504 ");
}

}  // namespace
}  // namespace hearth::test::tcp
