// The socket options a proxy's options set, read from the running process's
// own sockets (support/process_socket.h), each case run through HAProxy 2.6
// with the same configuration: TCP keep-alive on each side (option tcpka,
// clitcpka, srvtcpka and their -idle/-intvl/-cnt), delayed ACKs (option
// tcp-smart-accept on the listener, tcp-smart-connect on server sockets) and
// option nolinger (a close resets the connection).
#include <netinet/in.h>
#include <netinet/tcp.h>

#include "integration/tcp_test_util.h"
#include "support/process_socket.h"

namespace hearth::test::tcp {
namespace {

struct KeepAlive {
  std::optional<int> on, idle, intvl, cnt;
  bool operator==(const KeepAlive&) const = default;
};

std::ostream& operator<<(std::ostream& o, const KeepAlive& k) {
  auto v = [](const std::optional<int>& x) { return x ? std::to_string(*x) : std::string("?"); };
  return o << "{on " << v(k.on) << ", idle " << v(k.idle) << ", intvl " << v(k.intvl) << ", cnt "
           << v(k.cnt) << "}";
}

KeepAlive keepalive_of(int fd) {
  return {int_sockopt(fd, SOL_SOCKET, SO_KEEPALIVE), int_sockopt(fd, IPPROTO_TCP, TCP_KEEPIDLE),
          int_sockopt(fd, IPPROTO_TCP, TCP_KEEPINTVL), int_sockopt(fd, IPPROTO_TCP, TCP_KEEPCNT)};
}

uint16_t local_port(int fd) {
  sockaddr_in a{};
  socklen_t len = sizeof a;
  getsockname(fd, reinterpret_cast<sockaddr*>(&a), &len);
  return ntohs(a.sin_port);
}

// The keep-alive settings of both sockets of one session through `binary`.
struct Sides {
  KeepAlive client, server;
};

Sides session_keepalive(const std::string& binary, const std::string& front,
                        const std::string& back) {
  EchoServer echo;
  const uint16_t port = free_tcp_port();
  const std::string cfg =
      "defaults\n  mode tcp\n  timeout connect 2s\n  timeout client 10s\n  timeout server 10s\n"
      "frontend fe\n  bind 127.0.0.1:" +
      std::to_string(port) + "\n" + front + "  default_backend be\nbackend be\n" + back +
      server_line("s1", echo.port());
  HearthProcess p(cfg, options_for(binary, port));
  EXPECT_TRUE(p.ready()) << p.describe();
  UniqueFd c(connect_tcp(port));
  EXPECT_TRUE(send_all(c.get(), "x"));
  EXPECT_EQ(recv_n(c.get(), 1), "x") << name_of(binary);  // both connections are up
  UniqueFd cli = socket_of_process(p.process().pid(), port, local_port(c.get()));
  UniqueFd srv = socket_of_process(p.process().pid(), 0, echo.port());
  EXPECT_TRUE(cli.valid() && srv.valid()) << name_of(binary);
  if (!cli.valid() || !srv.valid()) return {};
  return {keepalive_of(cli.get()), keepalive_of(srv.get())};
}

// What the system gives a socket nobody tuned.
KeepAlive system_default() {
  UniqueFd fd(socket(AF_INET, SOCK_STREAM, 0));
  return keepalive_of(fd.get());
}

TEST(ProxySockopts, ClientAndServerKeepAliveAsConfiguredLikeHAProxy) {
  const std::string front =
      "  option clitcpka\n  clitcpka-idle 7\n  clitcpka-intvl 3s\n  clitcpka-cnt 4\n";
  const std::string back =
      "  option srvtcpka\n  srvtcpka-idle 2m\n  srvtcpka-intvl 1500ms\n  srvtcpka-cnt 9\n";
  for (const std::string binary : kBinaries) {
    Sides s = session_keepalive(binary, front, back);
    EXPECT_EQ(s.client, (KeepAlive{1, 7, 3, 4})) << name_of(binary);
    EXPECT_EQ(s.server, (KeepAlive{1, 120, 2, 9})) << name_of(binary);
  }
}

TEST(ProxySockopts, TcpkaInAFrontendOnlyReachesClientsLikeHAProxy) {
  KeepAlive plain = system_default();
  KeepAlive on = plain;
  on.on = 1;
  for (const std::string binary : kBinaries) {
    Sides s = session_keepalive(binary, "  option tcpka\n", "");
    EXPECT_EQ(s.client, on) << name_of(binary);
    EXPECT_EQ(s.server, plain) << name_of(binary);
    // The tuning keywords alone enable nothing.
    s = session_keepalive(binary, "  clitcpka-idle 5\n", "  srvtcpka-cnt 3\n");
    EXPECT_EQ(s.client, plain) << name_of(binary);
    EXPECT_EQ(s.server, plain) << name_of(binary);
  }
}

// A listening socket with TCP_QUICKACK off reads back 0.
std::optional<int> listener_quickack(const std::string& binary, const std::string& lines) {
  const uint16_t port = free_tcp_port();
  const std::string cfg =
      "defaults\n  timeout connect 2s\n  timeout client 10s\n"
      "  timeout server 10s\nlisten li\n  bind 127.0.0.1:" +
      std::to_string(port) + "\n" + lines + server_line("s1", dead_port());
  HearthProcess p(cfg, options_for(binary, port));
  EXPECT_TRUE(p.ready()) << p.describe();
  UniqueFd l = socket_of_process(p.process().pid(), port, 0);
  return l.valid() ? int_sockopt(l.get(), IPPROTO_TCP, TCP_QUICKACK) : std::nullopt;
}

TEST(ProxySockopts, SmartAcceptDelaysAcksOnHttpListenersLikeHAProxy) {
  for (const std::string binary : kBinaries) {
    EXPECT_EQ(listener_quickack(binary, "  mode http\n"), 0) << name_of(binary);
    EXPECT_EQ(listener_quickack(binary, "  mode http\n  no option tcp-smart-accept\n"), 1)
        << name_of(binary);
    EXPECT_EQ(listener_quickack(binary, "  mode tcp\n"), 1) << name_of(binary);
    EXPECT_EQ(listener_quickack(binary, "  mode tcp\n  option tcp-smart-accept\n"), 0)
        << name_of(binary);
  }
}

// TCP_QUICKACK of the proxy's socket connecting to a server for an HTTP
// request, read while the connect is pending.
std::optional<int> connecting_quickack(const std::string& binary, const std::string& lines) {
  BlackholeListener hole;  // the connect stays pending: its options are as set
  EXPECT_TRUE(hole.full());
  const uint16_t srv_port = hole.port();
  const uint16_t port = free_tcp_port();
  const std::string cfg =
      "defaults\n  mode http\n  timeout connect 5s\n  timeout client 10s\n"
      "  timeout server 10s\nlisten li\n  bind 127.0.0.1:" +
      std::to_string(port) + "\n" + lines + server_line("s1", srv_port);
  HearthProcess p(cfg, options_for(binary, port));
  EXPECT_TRUE(p.ready()) << p.describe();
  UniqueFd c(connect_tcp(port));
  EXPECT_TRUE(send_all(c.get(), "GET / HTTP/1.1\r\nhost: x\r\n\r\n"));
  UniqueFd s;
  for (int i = 0; i < 200 && !s.valid(); ++i) {
    s = connecting_socket_of_process(p.process().pid());
    if (!s.valid()) std::this_thread::sleep_for(milliseconds{10});
  }
  EXPECT_TRUE(s.valid()) << name_of(binary);
  return s.valid() ? int_sockopt(s.get(), IPPROTO_TCP, TCP_QUICKACK) : std::nullopt;
}

// Hearth only: the installed HAProxy 2.6 leaves TCP_QUICKACK on for this
// connect (it applies the option only when the request is already in its
// buffer as the connect starts), so there is no socket state to compare.
TEST(ProxySockopts, SmartConnectDelaysTheHandshakeAck) {
  EXPECT_EQ(connecting_quickack("", "  option tcp-smart-connect\n"), 0);
  EXPECT_EQ(connecting_quickack("", ""), 1);
}

// How each side saw its connection end when the proxy closed both on a
// client timeout (no byte ever sent).
struct Ends {
  Outcome client, server;
};

Ends timeout_close(const std::string& binary, const std::string& lines) {
  UniqueFd l(socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0));
  sockaddr_in a{};
  a.sin_family = AF_INET;
  a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  bind(l.get(), reinterpret_cast<sockaddr*>(&a), sizeof a);
  listen(l.get(), 8);
  const uint16_t port = free_tcp_port();
  const std::string cfg =
      "defaults\n  mode tcp\n  timeout connect 2s\n  timeout client 300ms\n"
      "  timeout server 10s\nlisten li\n  bind 127.0.0.1:" +
      std::to_string(port) + "\n" + lines + server_line("s1", local_port(l.get()));
  HearthProcess p(cfg, options_for(binary, port));
  EXPECT_TRUE(p.ready()) << p.describe();
  UniqueFd c(connect_tcp(port));
  pollfd pf{l.get(), POLLIN, 0};
  EXPECT_EQ(poll(&pf, 1, 5000), 1) << name_of(binary);
  UniqueFd s(accept4(l.get(), nullptr, nullptr, SOCK_CLOEXEC));
  Ends e;
  e.server = drain(s.get(), milliseconds{3000});
  e.client = drain(c.get(), milliseconds{3000});
  return e;
}

// The server side is compared: on a client timeout HAProxy shuts the client
// side cleanly first (a FIN, after which nolinger no longer resets) and, without
// nolinger, keeps the client open until the server closes, while Hearth closes
// both at once (see the report of issue #10); only the server's view is the same.
TEST(ProxySockopts, NolingerResetsTheServerOnAbortLikeHAProxy) {
  for (const std::string binary : kBinaries) {
    Ends plain = timeout_close(binary, "");
    EXPECT_TRUE(plain.server.closed) << name_of(binary);
    EXPECT_FALSE(plain.server.reset) << name_of(binary);
    Ends nolinger = timeout_close(binary, "  option nolinger\n");
    EXPECT_TRUE(nolinger.server.closed) << name_of(binary);
    EXPECT_TRUE(nolinger.server.reset) << name_of(binary);
  }
}

TEST(ProxySockopts, NolingerResetsTheClientWhenHearthClosesFirst) {
  Ends plain = timeout_close("", "");
  EXPECT_TRUE(plain.client.closed);
  EXPECT_FALSE(plain.client.reset);
  Ends nolinger = timeout_close("", "  option nolinger\n");
  EXPECT_TRUE(nolinger.client.closed);
  EXPECT_TRUE(nolinger.client.reset);
}

}  // namespace
}  // namespace hearth::test::tcp
