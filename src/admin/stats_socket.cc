#include "admin/stats_socket.h"

#include <poll.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <string>
#include <vector>

#include "net/address.h"
#include "net/socket.h"

namespace hearth::admin {

StatsSocket::~StatsSocket() { stop(); }

bool StatsSocket::open_tcp(const std::string& address, std::string* err) {
  auto a = net::Address::parse(address, err);
  if (!a) return false;
  net::ListenOptions o;
  o.backlog = 16;
  o.reuseport = false;
  fd_ = net::make_listener(*a, o, err);
  tcp_ = fd_ >= 0;
  return tcp_;
}

bool StatsSocket::open(const std::string& path, int mode, std::string* err, int uid, int gid) {
  if (auto fd = net::parse_fd_spec(path)) {
    fd_ = *fd;
    return true;
  }
  sockaddr_un sa{};
  sa.sun_family = AF_UNIX;
  if (path.size() >= sizeof sa.sun_path) {
    *err = "socket path too long: " + path;
    return false;
  }
  std::memcpy(sa.sun_path, path.c_str(), path.size() + 1);
  int fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
  unlink(path.c_str());
  if (fd < 0 || bind(fd, reinterpret_cast<sockaddr*>(&sa), sizeof sa) != 0 || listen(fd, 16) != 0) {
    *err = "cannot bind stats socket " + path + ": " + strerror(errno);
    if (fd >= 0) close(fd);
    return false;
  }
  chmod(path.c_str(), mode_t(mode));
  if ((uid >= 0 || gid >= 0) && chown(path.c_str(), uid_t(uid), gid_t(gid)) != 0) {
    *err = "cannot give stats socket " + path + " its owner: " + strerror(errno);
    close(fd);
    unlink(path.c_str());
    return false;
  }
  struct stat st {};
  if (stat(path.c_str(), &st) == 0) dev_ = st.st_dev, ino_ = st.st_ino;
  fd_ = fd;
  path_ = path;
  return true;
}

void StatsSocket::start() {
  thread_ = std::thread([this] { serve(); });
}

void StatsSocket::stop() {
  stop_.store(true);
  if (thread_.joinable()) thread_.join();
  if (!path_.empty()) {
    close(fd_);
    struct stat st {};
    if (stat(path_.c_str(), &st) == 0 && st.st_dev == dev_ && st.st_ino == ino_)
      unlink(path_.c_str());
    path_.clear();
  } else if (tcp_ && fd_ >= 0) {
    close(fd_);
    fd_ = -1;
  }
}

void StatsSocket::serve() {
  while (!stop_.load()) {
    pollfd p{fd_, POLLIN, 0};
    if (poll(&p, 1, 200) <= 0) continue;
    int c = accept4(fd_, nullptr, nullptr, SOCK_CLOEXEC);
    if (c < 0) continue;
    // stats timeout: an idle or stuck client cannot hold the API for long.
    timeval tv{time_t(timeout_ms_ / 1000), suseconds_t(timeout_ms_ % 1000 * 1000)};
    setsockopt(c, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv);
    setsockopt(c, SOL_SOCKET, SO_SNDTIMEO, &tv, sizeof tv);
    handle(c);
    close(c);
  }
}

namespace {

// Returns: the commands of one line, split at each ';' that no backslash escapes.
std::vector<std::string> split_commands(const std::string& line) {
  std::vector<std::string> out(1);
  for (size_t i = 0; i < line.size(); ++i) {
    if (line[i] == '\\' && i + 1 < line.size()) {
      out.back() += line.substr(i, 2);
      ++i;
    } else if (line[i] == ';') {
      out.emplace_back();
    } else {
      out.back() += line[i];
    }
  }
  return out;
}

// Reads lines into *payload until an empty one (or the end of the input).
// Returns: false if the client went away or sent too much.
bool read_payload(int fd, std::string& in, std::string* payload) {
  char buf[1024];
  for (;;) {
    size_t nl;
    while ((nl = in.find('\n')) == std::string::npos) {
      ssize_t n = recv(fd, buf, sizeof buf, 0);
      if (n <= 0) {
        *payload += in;
        in.clear();
        return true;
      }
      in.append(buf, size_t(n));
      if (in.size() + payload->size() > (size_t(1) << 20)) return false;
    }
    std::string l = in.substr(0, nl);
    in.erase(0, nl + 1);
    if (!l.empty() && l.back() == '\r') l.pop_back();
    if (l.empty()) return true;
    *payload += l + "\n";
  }
}

}  // namespace

void StatsSocket::handle(int fd) {
  std::string in;
  bool prompt = false;
  CliSession session;
  session.admin = admin_;
  char buf[1024];
  for (;;) {
    size_t nl;
    while ((nl = in.find('\n')) == std::string::npos) {
      ssize_t n = recv(fd, buf, sizeof buf, 0);
      if (n <= 0) {
        if (in.empty()) return;
        nl = in.size();
        in.push_back('\n');
        break;
      }
      in.append(buf, size_t(n));
      if (in.size() > 65536) return;
    }
    std::string line = in.substr(0, nl);
    in.erase(0, nl + 1);
    if (!line.empty() && line.back() == '\r') line.pop_back();
    if (line == "_getsocks") return getsocks(fd);
    // "CMD <<": the lines that follow, up to an empty one, are its payload.
    std::string payload;
    if (line.size() >= 2 && line.compare(line.size() - 2, 2, "<<") == 0) {
      line.resize(line.size() - 2);
      if (!read_payload(fd, in, &payload)) return;
    }
    // "a; b" runs several commands, as HAProxy allows ("\;" is no separator).
    std::string out;
    for (std::string& cmd : split_commands(line)) {
      while (!cmd.empty() && cmd.front() == ' ') cmd.erase(0, 1);
      if (cmd == "prompt") {
        prompt = true;
      } else if (cmd == "quit") {
        return;
      } else if (!cmd.empty()) {
        session.payload = payload;
        out += api_->execute(cmd, session);
        session.payload.clear();
      }
    }
    if (prompt) out += "> ";
    for (size_t off = 0; off < out.size();) {
      ssize_t n = send(fd, out.data() + off, out.size() - off, MSG_NOSIGNAL);
      if (n <= 0) return;
      off += size_t(n);
    }
    if (!prompt) return;
  }
}

void StatsSocket::getsocks(int fd) {
  std::string err;
  if (!export_) {
    fprintf(stderr, "[WARNING] stats socket %s: _getsocks refused: no 'expose-fd listeners'\n",
            path_.c_str());
  } else if (!export_->send_to(fd, &err)) {
    fprintf(stderr, "[WARNING] stats socket %s: _getsocks: %s\n", path_.c_str(), err.c_str());
  }
}

}  // namespace hearth::admin
