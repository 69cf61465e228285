#include "support/client.h"

#include <arpa/inet.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cctype>
#include <cerrno>

namespace hearth::test {

namespace {

using Clock = std::chrono::steady_clock;

// Returns: milliseconds left until deadline, clamped to [0, INT_MAX].
int ms_left(Clock::time_point deadline) {
  auto left = std::chrono::duration_cast<std::chrono::milliseconds>(deadline - Clock::now());
  if (left.count() <= 0) return 0;
  return left.count() > 0x7fffffff ? 0x7fffffff : static_cast<int>(left.count());
}

// Waits for `events` on fd. Returns: revents, or 0 on timeout.
short wait_fd(int fd, short events, Clock::time_point deadline) {
  for (;;) {
    pollfd p{fd, events, 0};
    int r = poll(&p, 1, ms_left(deadline));
    if (r > 0) return p.revents;
    if (r == 0 || errno != EINTR) return 0;
  }
}

enum class Recv { kData, kEof, kError, kTimeout };

// One recv with deadline. Stores the byte count in *got for kData.
Recv recv_some(int fd, char* buf, size_t cap, int flags, Clock::time_point deadline, size_t* got) {
  for (;;) {
    ssize_t n = recv(fd, buf, cap, flags | MSG_DONTWAIT);
    if (n > 0) {
      *got = static_cast<size_t>(n);
      return Recv::kData;
    }
    if (n == 0) return Recv::kEof;
    if (errno == EINTR) continue;
    if (errno != EAGAIN && errno != EWOULDBLOCK) return Recv::kError;
    if (wait_fd(fd, POLLIN, deadline) == 0) return Recv::kTimeout;
  }
}

}  // namespace

int connect_tcp(uint16_t port, std::chrono::milliseconds timeout) {
  int fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC | SOCK_NONBLOCK, 0);
  if (fd < 0) return -1;
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_port = htons(port);
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  int r = connect(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr);
  if (r != 0 && errno == EINPROGRESS) {
    short ev = wait_fd(fd, POLLOUT, Clock::now() + timeout);
    int err = 0;
    socklen_t len = sizeof err;
    if (ev != 0 && getsockopt(fd, SOL_SOCKET, SO_ERROR, &err, &len) == 0 && err == 0) r = 0;
  }
  if (r != 0) {
    close(fd);
    return -1;
  }
  fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) & ~O_NONBLOCK);
  return fd;
}

bool send_all(int fd, std::string_view data, std::chrono::milliseconds timeout) {
  auto deadline = Clock::now() + timeout;
  size_t off = 0;
  while (off < data.size()) {
    ssize_t n = send(fd, data.data() + off, data.size() - off, MSG_NOSIGNAL | MSG_DONTWAIT);
    if (n > 0) {
      off += static_cast<size_t>(n);
      continue;
    }
    if (n < 0 && errno == EINTR) continue;
    if (n < 0 && errno != EAGAIN && errno != EWOULDBLOCK) return false;
    short ev = wait_fd(fd, POLLOUT, deadline);
    if (ev == 0) return false;
  }
  return true;
}

std::string recv_until_eof(int fd, std::chrono::milliseconds timeout, bool* closed) {
  auto deadline = Clock::now() + timeout;
  std::string out;
  char buf[65536];
  size_t got = 0;
  Recv r;
  while ((r = recv_some(fd, buf, sizeof buf, 0, deadline, &got)) == Recv::kData) {
    out.append(buf, got);
  }
  if (closed != nullptr) *closed = r != Recv::kTimeout;
  return out;
}

std::optional<std::string> recv_line(int fd, std::chrono::milliseconds timeout) {
  auto deadline = Clock::now() + timeout;
  std::string line;
  char buf[4096];
  size_t got = 0;
  while (recv_some(fd, buf, sizeof buf, MSG_PEEK, deadline, &got) == Recv::kData) {
    std::string_view peeked(buf, got);
    size_t nl = peeked.find('\n');
    size_t take = nl == std::string_view::npos ? got : nl + 1;
    if (recv(fd, buf, take, MSG_DONTWAIT) != static_cast<ssize_t>(take)) return std::nullopt;
    if (nl != std::string_view::npos) {
      line.append(buf, nl);
      return line;
    }
    line.append(buf, take);
  }
  return std::nullopt;
}

std::string recv_n(int fd, size_t n, std::chrono::milliseconds timeout) {
  auto deadline = Clock::now() + timeout;
  std::string out;
  char buf[65536];
  size_t got = 0;
  while (out.size() < n) {
    size_t want = std::min(sizeof buf, n - out.size());
    if (recv_some(fd, buf, want, 0, deadline, &got) != Recv::kData) break;
    out.append(buf, got);
  }
  return out;
}

bool peer_closed(int fd, std::chrono::milliseconds timeout) {
  auto deadline = Clock::now() + timeout;
  char buf[65536];
  size_t got = 0;
  for (;;) {
    switch (recv_some(fd, buf, sizeof buf, 0, deadline, &got)) {
      case Recv::kData:
        continue;
      case Recv::kEof:
      case Recv::kError:
        return true;
      case Recv::kTimeout:
        return false;
    }
  }
}

bool shutdown_write(int fd) { return shutdown(fd, SHUT_WR) == 0; }

void close_with_reset(int fd) {
  linger lg{1, 0};
  setsockopt(fd, SOL_SOCKET, SO_LINGER, &lg, sizeof lg);
  close(fd);
}

namespace {

bool has_header(const std::vector<std::string>& headers, std::string_view name) {
  for (const std::string& h : headers) {
    if (h.size() <= name.size() || h[name.size()] != ':') continue;
    bool same = true;
    for (size_t i = 0; i < name.size() && same; ++i) {
      same = std::tolower(static_cast<unsigned char>(h[i])) == name[i];
    }
    if (same) return true;
  }
  return false;
}

}  // namespace

std::string http_get(uint16_t port, std::string_view path, const std::vector<std::string>& headers,
                     std::chrono::milliseconds timeout) {
  UniqueFd fd(connect_tcp(port, timeout));
  if (!fd.valid()) return {};
  std::string req = "GET ";
  req += path;
  req += " HTTP/1.1\r\n";
  if (!has_header(headers, "host")) req += "Host: 127.0.0.1:" + std::to_string(port) + "\r\n";
  if (!has_header(headers, "connection")) req += "Connection: close\r\n";
  for (const std::string& h : headers) req += h + "\r\n";
  req += "\r\n";
  if (!send_all(fd.get(), req, timeout)) return {};
  return recv_until_eof(fd.get(), timeout);
}

int http_status(std::string_view raw) {
  if (raw.size() < 12 || raw.substr(0, 7) != "HTTP/1." || raw[8] != ' ') return 0;
  int code = 0;
  for (size_t i = 9; i < 12; ++i) {
    if (!std::isdigit(static_cast<unsigned char>(raw[i]))) return 0;
    code = code * 10 + (raw[i] - '0');
  }
  return code;
}

}  // namespace hearth::test
