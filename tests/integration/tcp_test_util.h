#pragma once
// Helpers shared by the TCP-mode integration tests (tests/integration/tcp_*_test.cc):
// config building, starting hearth on one frontend port, streaming payloads,
// timing, and a listener that never completes a connection.
#include <arpa/inet.h>
#include <gtest/gtest.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

#include <chrono>
#include <cstdint>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "support/client.h"
#include "support/fake_backend.h"
#include "support/hearth_process.h"
#include "support/output_lines.h"
#include "support/ports.h"
#include "support/pseudo_random.h"
#include "support/sha256.h"
#include "support/unique_fd.h"
#include "support/wait.h"

namespace hearth::test::tcp {

using std::chrono::milliseconds;
using SteadyClock = std::chrono::steady_clock;

// Returns: milliseconds elapsed since start.
inline int64_t ms_since(SteadyClock::time_point start) {
  return std::chrono::duration_cast<milliseconds>(SteadyClock::now() - start).count();
}

// What a client saw until the connection ended (or the timeout).
struct Outcome {
  std::string bytes;
  bool closed = false;  // EOF or reset
  bool reset = false;
  int64_t ms = 0;  // from the call to the end
};

inline Outcome drain(int fd, milliseconds timeout = milliseconds{8000}) {
  Outcome o;
  const auto start = SteadyClock::now();
  for (;;) {
    const int64_t left = timeout.count() - ms_since(start);
    pollfd p{fd, POLLIN, 0};
    if (left <= 0 || poll(&p, 1, int(left)) <= 0) break;
    char buf[4096];
    const ssize_t n = recv(fd, buf, sizeof buf, 0);
    if (n > 0) {
      o.bytes.append(buf, size_t(n));
      continue;
    }
    o.closed = true;
    o.reset = n < 0 && errno == ECONNRESET;
    break;
  }
  o.ms = ms_since(start);
  return o;
}

// The tests that compare with HAProxy run each case through both: "" is
// hearth (the default binary), "haproxy" the installed HAProxy.
inline const char* const kBinaries[] = {"", "haproxy"};

// Starts `binary` ("" or "haproxy", which needs -db to stay in the
// foreground) and waits for `port`.
inline HearthOptions options_for(const std::string& binary, uint16_t port) {
  HearthOptions o{.wait_ports = {port}};
  if (!binary.empty()) o.binary = binary, o.extra_args = {"-db"};
  return o;
}

inline std::string name_of(const std::string& binary) { return binary.empty() ? "hearth" : binary; }

// Returns: "    server NAME 127.0.0.1:PORT OPTS\n".
inline std::string server_line(std::string_view name, uint16_t port, std::string_view opts = "") {
  std::string s = "    server " + std::string(name) + " 127.0.0.1:" + std::to_string(port);
  if (!opts.empty()) s += " " + std::string(opts);
  return s + "\n";
}

// Returns: a loopback port with nothing listening on it (connects are refused).
inline uint16_t dead_port() { return free_tcp_port(); }

// The parts of a one-frontend, one-backend `mode tcp` configuration.
struct TcpConfig {
  std::string global;  // extra lines for the global section
  // Lines of the defaults section after "mode tcp".
  std::string defaults =
      "    timeout connect 2s\n"
      "    timeout client 10s\n"
      "    timeout server 10s\n";
  std::string frontend;  // extra lines for frontend "fe"
  std::string backend;   // balance, servers, ... of backend "be"
};

// Returns: the configuration text: frontend "fe" bound on 127.0.0.1:port
// sending to backend "be".
inline std::string tcp_config(uint16_t port, const TcpConfig& c) {
  std::string out = "global\n" + c.global;
  out += "defaults\n    mode tcp\n" + c.defaults;
  out += "frontend fe\n    bind 127.0.0.1:" + std::to_string(port) + "\n" + c.frontend;
  out += "    default_backend be\n";
  out += "backend be\n" + c.backend;
  return out;
}

// A hearth started on tcp_config(port, config), ready once port listens.
struct TcpProxy {
  explicit TcpProxy(const TcpConfig& config, HearthOptions options = {})
      : port(free_tcp_port()),
        hearth(tcp_config(port, config), with_port(std::move(options), port)) {}
  // Stops hearth if still running and checks it went cleanly: SIGTERM drains
  // and exits 0 (leaks would change that under LeakSanitizer), and no
  // sanitizer report at any point.
  ~TcpProxy() {
    if (!hearth.ready()) return;
    if (hearth.process().running()) {
      std::optional<int> status = hearth.stop(milliseconds{5000});
      EXPECT_EQ(status, 0) << "hearth did not stop cleanly on SIGTERM\n" << hearth.output();
    }
    std::string out = hearth.output();
    for (const char* report : {"AddressSanitizer", "LeakSanitizer", "runtime error:"}) {
      EXPECT_EQ(out.find(report), std::string::npos) << out;
    }
  }
  TcpProxy(const TcpProxy&) = delete;
  TcpProxy& operator=(const TcpProxy&) = delete;

  uint16_t port;
  HearthProcess hearth;

  // Returns: a client connection to the frontend (-1 if refused).
  int connect() const { return connect_tcp(port, milliseconds{2000}); }

 private:
  static HearthOptions with_port(HearthOptions o, uint16_t port) {
    o.wait_ports.push_back(port);
    return o;
  }
};

// Connects to 127.0.0.1:port from the loopback address source_ip (any
// 127.x.y.z works on Linux). Returns: a blocking fd, or -1.
inline int connect_from(const char* source_ip, uint16_t port) {
  int fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
  if (fd < 0) return -1;
  sockaddr_in src{};
  src.sin_family = AF_INET;
  inet_pton(AF_INET, source_ip, &src.sin_addr);
  sockaddr_in dst{};
  dst.sin_family = AF_INET;
  dst.sin_port = htons(port);
  dst.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  if (bind(fd, reinterpret_cast<sockaddr*>(&src), sizeof src) != 0 ||
      ::connect(fd, reinterpret_cast<sockaddr*>(&dst), sizeof dst) != 0) {
    close(fd);
    return -1;
  }
  return fd;
}

// Opens a session through the proxy and reads the NameServer's line.
// Returns: the server name, or "" if the session failed. The session is
// closed when the returned fd (if any) is dropped.
inline std::string reach(uint16_t port, UniqueFd* keep = nullptr) {
  UniqueFd fd(connect_tcp(port, milliseconds{2000}));
  if (!fd.valid()) return "";
  std::optional<std::string> line = recv_line(fd.get(), milliseconds{5000});
  if (keep != nullptr) *keep = std::move(fd);
  return line.value_or("");
}

// Opens n sessions one after the other, each closed before the next opens.
// Returns: how many sessions reached each server name ("" = failed).
inline std::map<std::string, int> tally(uint16_t port, int n) {
  std::map<std::string, int> seen;
  for (int i = 0; i < n; ++i) ++seen[reach(port)];
  return seen;
}

// Sends `size` bytes of the pseudo-random stream for `seed` in 1 MiB chunks.
// Returns: the SHA-256 of what was sent, or "" if a send failed.
inline std::string send_stream(int fd, uint64_t seed, uint64_t size,
                               milliseconds timeout = milliseconds{120000}) {
  PseudoRandomStream stream(seed);
  Sha256 hash;
  std::string chunk(1 << 20, '\0');
  auto deadline = SteadyClock::now() + timeout;
  for (uint64_t left = size; left > 0;) {
    size_t n = static_cast<size_t>(std::min<uint64_t>(left, chunk.size()));
    stream.fill(chunk.data(), n);
    std::string_view part(chunk.data(), n);
    auto remaining = std::chrono::duration_cast<milliseconds>(deadline - SteadyClock::now());
    if (remaining.count() <= 0 || !send_all(fd, part, remaining)) return "";
    hash.update(part);
    left -= n;
  }
  return hash.hex_digest();
}

// What recv_hash() saw.
struct Received {
  uint64_t bytes = 0;
  std::string sha256;
  bool closed = false;  // ended by EOF or error, not by the timeout
};

// Reads until EOF, error or timeout, hashing instead of keeping the bytes.
inline Received recv_hash(int fd, milliseconds timeout = milliseconds{120000}) {
  Sha256 hash;
  Received r;
  auto deadline = SteadyClock::now() + timeout;
  for (;;) {
    auto remaining = std::chrono::duration_cast<milliseconds>(deadline - SteadyClock::now());
    if (remaining.count() <= 0) break;
    // recv_n returns early only at EOF, error or timeout.
    std::string part = recv_n(fd, 1 << 20, remaining);
    hash.update(part);
    if (part.size() < (1u << 20)) {
      r.closed = SteadyClock::now() < deadline;
      break;
    }
  }
  r.bytes = hash.size();
  r.sha256 = hash.hex_digest();
  return r;
}

// Waits until hearth's output has a line containing every one of needles.
// Returns: that line, or "" at the timeout.
inline std::string wait_log_line(HearthProcess& h, const std::vector<std::string>& needles,
                                 milliseconds timeout = milliseconds{3000}) {
  std::string found;
  wait_until(
      [&] {
        std::vector<std::string> l = lines_with(h.output(), needles);
        if (!l.empty()) found = l.front();
        return !l.empty();
      },
      timeout);
  return found;
}

// For ScriptedServer handlers that must keep a connection open without
// reading: waits until the socket is shut down locally (ScriptedServer::stop)
// or reset, at most max.
inline void hold_until_shutdown(int fd, milliseconds max = milliseconds{10000}) {
  auto deadline = SteadyClock::now() + max;
  while (SteadyClock::now() < deadline) {
    pollfd p{fd, 0, 0};
    if (poll(&p, 1, 20) > 0 && (p.revents & (POLLHUP | POLLERR))) return;
  }
}

// Sends one command to hearth's stats socket at path (a unix socket).
// Returns: the answer, read until hearth closes; "" if it cannot connect.
inline std::string admin_command(const std::string& path, std::string_view command) {
  UniqueFd fd(socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0));
  sockaddr_un addr{};
  addr.sun_family = AF_UNIX;
  if (!fd.valid() || path.size() >= sizeof addr.sun_path) return "";
  path.copy(addr.sun_path, path.size());
  if (::connect(fd.get(), reinterpret_cast<sockaddr*>(&addr), sizeof addr) != 0) return "";
  if (!send_all(fd.get(), std::string(command) + "\n", milliseconds{2000})) return "";
  return recv_until_eof(fd.get(), milliseconds{2000});
}

// A loopback listener whose accept queue is full and never drained, so a new
// connection attempt gets no answer to its SYN: a connect that hangs, without
// sending anything off the machine.
class BlackholeListener {
 public:
  BlackholeListener() {
    fd_.reset(listen_loopback(0, &port_, 0));
    if (!fd_.valid()) return;
    // Linux admits backlog+1 connections; fill the queue until one hangs.
    for (int i = 0; i < 8; ++i) {
      int c = connect_tcp(port_, milliseconds{200});
      if (c < 0) {
        full_ = true;
        return;
      }
      fillers_.emplace_back(c);
    }
  }
  // Returns: true if a connect to port() hangs (the queue is full).
  bool full() const { return full_; }
  uint16_t port() const { return port_; }

 private:
  UniqueFd fd_;
  uint16_t port_ = 0;
  bool full_ = false;
  std::vector<UniqueFd> fillers_;
};

}  // namespace hearth::test::tcp
