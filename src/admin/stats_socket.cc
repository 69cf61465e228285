#include "admin/stats_socket.h"

#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <optional>
#include <string>
#include <vector>

#include "admin/cli_fds.h"
#include "admin/cli_line.h"
#include "config/units.h"
#include "core/loop_activity.h"
#include "net/fd_channel.h"

namespace hearth::admin {
namespace {

// Over every stats socket of the process: those serving, and the
// connections they serve now (show info's Listeners and Jobs).
std::atomic<int> g_serving{0}, g_sessions{0};

}  // namespace

int StatsSocket::serving_count() { return g_serving.load(std::memory_order_relaxed); }
int StatsSocket::session_count() { return g_sessions.load(std::memory_order_relaxed); }

StatsSocket::~StatsSocket() { stop(); }

void StatsSocket::start() {
  cli_fd_opened(listener_.fd(), /*listener=*/true, level_ == config::CliLevel::kAdmin);
  g_serving.fetch_add(1, std::memory_order_relaxed);
  thread_ = std::thread([this] { serve(); });
}

void StatsSocket::stop() {
  stop_.store(true);
  if (thread_.joinable()) {
    thread_.join();
    g_serving.fetch_sub(1, std::memory_order_relaxed);
  }
  reap(true);
  cli_fd_closed(listener_.fd());
  listener_.close();
}

int StatsSocket::next_client(config::CliLevel* level) {
  *level = level_;
  pollfd p{link_ >= 0 ? link_ : listener_.fd(), POLLIN, 0};
  if (poll(&p, 1, 200) <= 0) return -1;
  if (link_ < 0) return accept4(listener_.fd(), nullptr, nullptr, SOCK_CLOEXEC);
  net::ChannelMessage m;
  const net::ChannelRead r = net::channel_recv(link_, &m);
  if (r == net::ChannelRead::kClosed || r == net::ChannelRead::kError) return -2;
  if (r != net::ChannelRead::kMessage || m.fds.size() != 1 || m.text.rfind("cli ", 0) != 0) {
    for (int fd : m.fds) close(fd);
    return -1;
  }
  *level = cli_level_of(m.text.substr(4));
  return m.fds[0];
}

void StatsSocket::serve() {
  while (!stop_.load()) {
    reap(false);
    // At the limit, accept nothing: clients wait in the backlog (or, for the
    // master link, in the channel) until one ends.
    if (limit_->active.load() >= limit_->max) {
      usleep(20 * 1000);
      continue;
    }
    config::CliLevel level = config::CliLevel::kUser;
    const int c = next_client(&level);
    if (c == -2) return;
    if (c < 0) continue;
    // stats timeout: an idle or stuck client cannot hold its place for long.
    timeval tv{time_t(timeout_ms_ / 1000), suseconds_t(timeout_ms_ % 1000 * 1000)};
    setsockopt(c, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv);
    setsockopt(c, SOL_SOCKET, SO_SNDTIMEO, &tv, sizeof tv);
    spawn(c, level);
  }
}

void StatsSocket::spawn(int fd, config::CliLevel level) {
  limit_->active.fetch_add(1);
  g_sessions.fetch_add(1, std::memory_order_relaxed);
  std::lock_guard<std::mutex> lock(clients_mu_);
  Client& c = clients_.emplace_back();
  c.fd = fd;
  cli_fd_opened(fd, /*listener=*/false, level == config::CliLevel::kAdmin);
  c.thread = std::thread([this, &c, fd, level] {
    handle(fd, level);
    // Not a job any more before the client sees the close (show info's Jobs
    // asked on its next connection does not count this one).
    g_sessions.fetch_sub(1, std::memory_order_relaxed);
    {
      // Under the lock: stop() shuts down only fds still open, never one
      // this close lets the process reuse.
      std::lock_guard<std::mutex> lock(clients_mu_);
      cli_fd_closed(c.fd);
      close(c.fd);
      c.fd = -1;
    }
    limit_->active.fetch_sub(1);
    c.done.store(true);
  });
}

void StatsSocket::reap(bool all) {
  std::list<Client> ended;
  {
    std::lock_guard<std::mutex> lock(clients_mu_);
    for (auto it = clients_.begin(); it != clients_.end();) {
      auto next = std::next(it);
      if (all && it->fd >= 0) shutdown(it->fd, SHUT_RDWR);  // wakes its recv/send
      if (all || it->done.load()) ended.splice(ended.end(), clients_, it);
      it = next;
    }
  }
  for (Client& c : ended) c.thread.join();
}

namespace {

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

// "set timeout cli DELAY" (seconds, or a duration with a unit): this
// connection's idle timeout from now on. Returns: the answer.
std::string set_cli_timeout(int fd, const std::string& cmd) {
  std::vector<std::string> w;
  for (size_t i = 0; i < cmd.size();) {
    const size_t end = cmd.find(' ', i);
    const std::string word = cmd.substr(i, end == std::string::npos ? std::string::npos : end - i);
    if (!word.empty()) w.push_back(word);
    i = end == std::string::npos ? cmd.size() : end + 1;
  }
  if (w.size() < 3 || w[2] != "cli") return "'set timeout' only supports 'cli'.\n\n";
  if (w.size() < 4) return "Expects an integer value.\n\n";
  const bool bare = w[3].find_first_not_of("0123456789") == std::string::npos;
  std::optional<int64_t> ms = bare ? config::parse_int(w[3]) : config::parse_duration_ms(w[3]);
  if (ms && bare) *ms = *ms > config::kMaxDurationMs / 1000 ? -1 : *ms * 1000;
  if (!ms || *ms <= 0) return "Invalid timeout value.\n\n";
  timeval tv{time_t(*ms / 1000), suseconds_t(*ms % 1000 * 1000)};
  setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv);
  return "\n";
}

}  // namespace

void StatsSocket::handle(int fd, config::CliLevel level) {
  std::string in;
  bool prompt = false;
  CliSession session;
  session.level = level;
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
      if (cmd == "prompt") {  // toggles, answered like any command by an empty line
        prompt = !prompt;
        out += "\n";
      } else if (cmd == "quit") {
        return;
      } else if (cmd.rfind("set timeout", 0) == 0 && (cmd.size() == 11 || cmd[11] == ' ')) {
        out += set_cli_timeout(fd, cmd);
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
      note_bytes_out(uint64_t(n));
      off += size_t(n);
    }
    if (!prompt) return;
  }
}

void StatsSocket::getsocks(int fd) {
  std::string err;
  if (!export_) {
    fprintf(stderr, "[WARNING] stats socket %s: _getsocks refused: no 'expose-fd listeners'\n",
            listener_.path().c_str());
  } else if (!export_->send_to(fd, &err)) {
    fprintf(stderr, "[WARNING] stats socket %s: _getsocks: %s\n", listener_.path().c_str(),
            err.c_str());
  }
}

}  // namespace hearth::admin
