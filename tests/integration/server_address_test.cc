// Server addresses and connection options through the real binary, each run
// through haproxy 2.6 on the same configuration and compared: a port from
// the client (none, -N), ${VAR} and $VAR in unquoted addresses, source (the
// proxy's and the server's), init-addr, id with balance first, weight 0.
#include <arpa/inet.h>
#include <gtest/gtest.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <atomic>
#include <fstream>
#include <string>
#include <thread>
#include <vector>

#include "http_test_util.h"
#include "support/ports.h"
#include "support/temp_dir.h"

namespace hearth::test::http {
namespace {

const char kDefaults[] =
    "defaults\n  timeout connect 1s\n  timeout client 5s\n  timeout server 5s\n";

// Listens on 127.0.0.1:port; to each connection writes "PEER_IP LOCAL_PORT\n"
// and closes: what address the proxy connected from, and to which port.
class PeerServer {
 public:
  explicit PeerServer(uint16_t port) {
    fd_ = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
    int one = 1;
    setsockopt(fd_, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
    sockaddr_in a{};
    a.sin_family = AF_INET;
    a.sin_port = htons(port);
    a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    ok_ = bind(fd_, reinterpret_cast<sockaddr*>(&a), sizeof a) == 0 && listen(fd_, 16) == 0;
    if (ok_) thread_ = std::thread([this] { serve(); });
  }
  ~PeerServer() {
    stop_ = true;
    if (thread_.joinable()) thread_.join();
    close(fd_);
  }
  bool ok() const { return ok_; }

 private:
  void serve() {
    while (!stop_) {
      pollfd p{fd_, POLLIN, 0};
      if (poll(&p, 1, 50) <= 0) continue;
      sockaddr_in peer{}, local{};
      socklen_t pl = sizeof peer, ll = sizeof local;
      const int c = accept(fd_, reinterpret_cast<sockaddr*>(&peer), &pl);
      if (c < 0) continue;
      getsockname(c, reinterpret_cast<sockaddr*>(&local), &ll);
      char ip[INET_ADDRSTRLEN] = {};
      inet_ntop(AF_INET, &peer.sin_addr, ip, sizeof ip);
      const std::string line = std::string(ip) + " " + std::to_string(ntohs(local.sin_port)) + "\n";
      (void)!write(c, line.data(), line.size());
      close(c);
    }
  }
  int fd_ = -1;
  bool ok_ = false;
  std::atomic<bool> stop_{false};
  std::thread thread_;
};

// Returns: the first line a TCP connection to ip:port receives ("" if none).
std::string first_line(const std::string& ip, uint16_t port) {
  const int fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
  sockaddr_in a{};
  a.sin_family = AF_INET;
  a.sin_port = htons(port);
  inet_pton(AF_INET, ip.c_str(), &a.sin_addr);
  std::string out;
  if (connect(fd, reinterpret_cast<sockaddr*>(&a), sizeof a) == 0) {
    char buf[256];
    pollfd p{fd, POLLIN, 0};
    while (out.find('\n') == std::string::npos && poll(&p, 1, 3000) > 0) {
      const ssize_t n = read(fd, buf, sizeof buf);
      if (n <= 0) break;
      out.append(buf, size_t(n));
    }
  }
  close(fd);
  return out.substr(0, out.find('\n'));
}

// Returns: a port P such that P - 100 is free too (the -100 offset's target).
uint16_t port_with_free_offset() {
  for (int i = 0; i < 50; ++i) {
    const uint16_t p = free_tcp_port();
    if (p > 1124 && PeerServer(uint16_t(p - 100)).ok()) return p;
  }
  return 0;
}

// Runs `config` with haproxy (when `haproxy`) or hearth, XA=127.0.0.1 in its
// environment, and returns what `probe` sees.
template <typename Probe>
std::vector<std::string> run_both(const std::string& config, const std::vector<uint16_t>& ports,
                                  Probe probe) {
  std::vector<std::string> seen;
  for (const std::string binary : {"", "haproxy"}) {
    HearthOptions opt{.wait_ports = ports, .extra_env = {"XA=127.0.0.1"}};
    if (!binary.empty()) opt.binary = binary, opt.extra_args = {"-db"};
    HearthProcess h(config, opt);
    EXPECT_TRUE(h.ready()) << binary << ": " << h.describe();
    if (!h.ready()) return {};
    seen.push_back(probe());
  }
  return seen;
}

TEST(ServerAddress, PortFromTheClientEnvAndSourceAsHAProxy) {
  // The frontend listens on 127.0.0.2 at the servers' own port numbers, so
  // "the client's destination port" is one a server listens on (127.0.0.1).
  const uint16_t same = free_tcp_port();
  const uint16_t shifted = port_with_free_offset();
  ASSERT_NE(shifted, 0);
  PeerServer s1(same), s2(uint16_t(shifted - 100));
  ASSERT_TRUE(s1.ok() && s2.ok());
  const std::string cfg = std::string(kDefaults) +
                          "frontend fe\n  mode tcp\n  bind 127.0.0.2:" + std::to_string(same) +
                          "\n  bind 127.0.0.2:" + std::to_string(shifted) +
                          "\n  use_backend offs if { dst_port " + std::to_string(shifted) +
                          " }\n  default_backend same\n"
                          "backend same\n  mode tcp\n  source 127.0.0.3\n  server s1 ${XA}\n"
                          "backend offs\n  mode tcp\n  source 127.0.0.9\n"
                          "  server s1 $XA:-100 source 127.0.0.4\n";
  auto seen = run_both(cfg, {same, shifted}, [&] {
    return first_line("127.0.0.2", same) + " | " + first_line("127.0.0.2", shifted);
  });
  ASSERT_EQ(seen.size(), 2u);
  EXPECT_EQ(seen[0], seen[1]);
  EXPECT_EQ(seen[0],
            "127.0.0.3 " + std::to_string(same) + " | 127.0.0.4 " + std::to_string(shifted - 100));
}

TEST(ServerAddress, InitAddrAsHAProxy) {
  HttpBackend be;
  const uint16_t port = free_tcp_port();
  const std::string bp = std::to_string(be.port());
  const std::string cfg = std::string(kDefaults) +
                          "frontend fe\n  mode http\n  bind 127.0.0.1:" + std::to_string(port) +
                          "\n  use_backend none if { path_beg /none }\n  default_backend ip\n"
                          "backend ip\n  mode http\n  server s1 no-such-host.invalid:" +
                          bp +
                          " init-addr libc,127.0.0.1\n"
                          "backend none\n  mode http\n  server s1 no-such-host.invalid:" +
                          bp + " init-addr libc,none\n";
  auto seen = run_both(cfg, {port}, [&] {
    std::string out;
    for (const char* path : {"/ip", "/none"}) {
      HttpClient c(port);
      c.send(std::string("GET ") + path + " HTTP/1.1\r\nhost: a\r\n\r\n");
      out += std::to_string(c.read_response().status) + " ";
    }
    return out;
  });
  ASSERT_EQ(seen.size(), 2u);
  EXPECT_EQ(seen[0], seen[1]);
  EXPECT_EQ(seen[0], "200 503 ");  // the fallback IP serves; "none" leaves no server
}

// init-addr last: the address a server state file recorded for the server;
// a server the file does not list falls through to the next method.
TEST(ServerAddress, InitAddrLastTakesTheStateFileAddress) {
  HttpBackend be;
  TempDir dir;
  const std::string state = dir.file("state");
  const uint16_t port = free_tcp_port();
  const std::string bp = std::to_string(be.port());
  {
    std::ofstream f(state);
    f << "1\n# be_id be_name srv_id srv_name srv_addr srv_op_state srv_admin_state srv_uweight "
         "srv_iweight srv_time_since_last_change srv_check_status srv_check_result "
         "srv_check_health srv_check_state srv_agent_state bk_f_forced_id srv_f_forced_id "
         "srv_fqdn srv_port srvrecord srv_use_ssl srv_check_port srv_check_addr srv_agent_addr "
         "srv_agent_port\n"
         "2 last 1 s1 127.0.0.1 2 0 1 1 10 1 0 0 0 0 0 0 - "
      << bp << " - 0 0 - - 0\n";
  }
  const std::string cfg = "global\n  server-state-file " + state + "\n" + std::string(kDefaults) +
                          "  load-server-state-from-file global\n"
                          "frontend fe\n  mode http\n  bind 127.0.0.1:" +
                          std::to_string(port) +
                          "\n  use_backend none if { path_beg /none }\n  default_backend last\n"
                          "backend last\n  mode http\n  server s1 no-such-host.invalid:" +
                          bp +
                          " init-addr last,libc\n"
                          "backend none\n  mode http\n  server s2 no-such-host.invalid:" +
                          bp + " init-addr last,none\n";
  auto seen = run_both(cfg, {port}, [&] {
    std::string out;
    for (const char* path : {"/last", "/none"}) {
      HttpClient c(port);
      c.send(std::string("GET ") + path + " HTTP/1.1\r\nhost: a\r\n\r\n");
      out += std::to_string(c.read_response().status) + " ";
    }
    return out;
  });
  ASSERT_EQ(seen.size(), 2u);
  EXPECT_EQ(seen[0], seen[1]);
  EXPECT_EQ(seen[0], "200 503 ");
}

TEST(ServerAddress, UnresolvableWithoutAFallbackIsAnError) {
  // The address is resolved when the runtime is built: the start fails with
  // the server's line, as HAProxy's does.
  HearthProcess h(
      std::string(kDefaults) + "frontend fe\n  bind 127.0.0.1:" + std::to_string(free_tcp_port()) +
          "\n  default_backend b\nbackend b\n  server s1 no-such-host.invalid:80\n",
      HearthOptions{.wait_output = "cannot resolve", .timeout = std::chrono::seconds(5)});
  EXPECT_NE(h.output().find(":9: 'server': server 's1' address 'no-such-host.invalid:80'"),
            std::string::npos)
      << h.output();
  // It exits by itself (a sanitizer build takes a moment after the alert).
  EXPECT_EQ(h.process().wait_exit(std::chrono::milliseconds{10000}), 1) << h.output();
}

TEST(ServerAddress, IdOrdersBalanceFirstAndSrvIdAsHAProxy) {
  HttpBackend a, b;
  const uint16_t port = free_tcp_port();
  const std::string cfg = std::string(kDefaults) +
                          "frontend fe\n  mode http\n  bind 127.0.0.1:" + std::to_string(port) +
                          "\n  default_backend be\nbackend be\n  mode http\n  balance first\n"
                          "  http-response set-header x-id %[srv_id]/%[srv_name]\n"
                          "  server a 127.0.0.1:" +
                          std::to_string(a.port()) +
                          " id 5\n"
                          "  server b 127.0.0.1:" +
                          std::to_string(b.port()) +
                          "\n"
                          "  server z 127.0.0.1:" +
                          std::to_string(b.port()) + " weight 0\n";
  auto seen = run_both(cfg, {port}, [&] {
    std::string out;
    for (int i = 0; i < 3; ++i) {
      HttpClient c(port);
      c.send("GET / HTTP/1.1\r\nhost: a\r\n\r\n");
      out += c.read_response().header("x-id").value_or("-") + " ";
    }
    return out;
  });
  ASSERT_EQ(seen.size(), 2u);
  EXPECT_EQ(seen[0], seen[1]);
  // b got id 2 (its position), so "first" prefers it over a (5).
  EXPECT_EQ(seen[0], "2/b 2/b 2/b ");
}

TEST(ServerAddress, WeightZeroIsNeverPickedAsHAProxy) {
  HttpBackend a, b;
  const uint16_t port = free_tcp_port();
  const std::string cfg = std::string(kDefaults) +
                          "frontend fe\n  mode http\n  bind 127.0.0.1:" + std::to_string(port) +
                          "\n  default_backend be\nbackend be\n  mode http\n  balance roundrobin\n"
                          "  http-response set-header x-srv %[srv_name]\n"
                          "  server a 127.0.0.1:" +
                          std::to_string(a.port()) +
                          " weight 0\n"
                          "  server b 127.0.0.1:" +
                          std::to_string(b.port()) + "\n";
  auto seen = run_both(cfg, {port}, [&] {
    std::string out;
    for (int i = 0; i < 4; ++i) {
      HttpClient c(port);
      c.send("GET / HTTP/1.1\r\nhost: a\r\n\r\n");
      out += c.read_response().header("x-srv").value_or("-") + " ";
    }
    return out;
  });
  ASSERT_EQ(seen.size(), 2u);
  EXPECT_EQ(seen[0], seen[1]);
  EXPECT_EQ(seen[0], "b b b b ");
}

// Unnumbered servers take their position, or the next free id after it.
TEST(ServerAddress, AutomaticIdsSkipTakenOnesAsHAProxy) {
  HttpBackend be;
  const uint16_t port = free_tcp_port();
  std::string cfg = std::string(kDefaults) +
                    "frontend fe\n  mode http\n  bind 127.0.0.1:" + std::to_string(port) +
                    "\n  default_backend be\nbackend be\n  mode http\n"
                    "  http-response set-header x-id %[srv_id]/%[srv_name]\n";
  for (const char* s : {"a", "b", "z", "y"})
    cfg += std::string("  use-server ") + s + " if { path /" + s + " }\n";
  const std::string addr = " 127.0.0.1:" + std::to_string(be.port());
  cfg += "  server a" + addr + " id 5\n  server b" + addr + "\n  server z" + addr + "\n  server y" +
         addr + " id 2\n";
  auto seen = run_both(cfg, {port}, [&] {
    std::string out;
    for (const char* s : {"a", "b", "z", "y"}) {
      HttpClient c(port);
      c.send(std::string("GET /") + s + " HTTP/1.1\r\nhost: a\r\n\r\n");
      out += c.read_response().header("x-id").value_or("-") + " ";
    }
    return out;
  });
  ASSERT_EQ(seen.size(), 2u);
  EXPECT_EQ(seen[0], seen[1]);
  EXPECT_EQ(seen[0], "5/a 3/b 4/z 2/y ");
}

}  // namespace
}  // namespace hearth::test::http
