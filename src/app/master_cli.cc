#include "app/master_cli.h"

#include <fcntl.h>
#include <sys/socket.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstdint>
#include <deque>

#include "admin/cli_line.h"
#include "app/master_cli_commands.h"
#include "config/master_cli_spec.h"
#include "core/clock.h"
#include "net/fd_channel.h"

namespace hearth::app {
namespace {

// A client that has not sent its line by then is closed; an interactive
// (prompt) session has no such limit, as HAProxy 2.6's master CLI.
constexpr int64_t kIdleTimeoutMs = 10000;
constexpr int64_t kWorkerTimeoutMs = 10000;   // a worker that has not answered by then
constexpr size_t kMaxLine = 65536;            // a longer line closes the session
constexpr size_t kOutHighWater = 256 * 1024;  // stop reading a worker's answer above this
constexpr size_t kMaxSessions = 64;

int64_t now_ms() { return MonotonicClock::instance()->now_ms(); }

constexpr int64_t kNoDeadline = INT64_MAX;

void set_nonblocking(int fd) { fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) | O_NONBLOCK); }

}  // namespace

struct MasterCli::Listener {
  admin::CliListener sock;
  CliLevel level = CliLevel::kAdmin;
};

// One client connection. READING a line → RUNNING its commands (FORWARDING
// while a worker answers one) → WRITING the answer → READING again in
// prompt mode, else CLOSED once written (docs/architecture.md, "Master CLI").
struct MasterCli::Session {
  int fd = -1;
  CliContext ctx;
  std::string in, out;
  std::deque<std::string> pending;  // the commands of the line being run
  std::string payload;        // "CMD <<": the lines up to an empty one, for the line's last command
  bool line_running = false;  // a line was taken; its end prints the prompt
  bool eof = false, closing = false;
  int fwd = -1;  // the connection to a worker's runtime API while forwarding
  int64_t deadline = 0;
};

MasterCli::MasterCli(std::function<MasterState()> state, std::function<void()> reload)
    : state_(std::move(state)), reload_(std::move(reload)) {}

MasterCli::~MasterCli() {
  for (auto& s : sessions_) {
    close(s->fd);
    if (s->fwd >= 0) close(s->fwd);
  }
}

bool MasterCli::open(const std::vector<std::string>& specs, std::string* err) {
  for (const std::string& spec : specs) {
    config::MasterCliSpec m;
    auto l = std::make_unique<Listener>();
    const config::StatsSocketConfig& sc = m.socket;
    if (!config::parse_master_cli_spec(spec, &m, err) ||
        !(sc.tcp ? l->sock.open_tcp(sc.path, err)
                 : l->sock.open_unix(sc.path, sc.mode, err, sc.uid, sc.gid))) {
      *err = "-S '" + spec + "': " + *err;
      return false;
    }
    set_nonblocking(l->sock.fd());
    l->level = parse_cli_level(m.level);
    listeners_.push_back(std::move(l));
  }
  return true;
}

void MasterCli::close_in_child() {
  for (auto& l : listeners_) close(l->sock.fd());
  for (auto& s : sessions_) {
    close(s->fd);
    if (s->fwd >= 0) close(s->fwd);
  }
}

void MasterCli::add_pollfds(std::vector<pollfd>* fds, int* timeout_ms) {
  for (auto& l : listeners_) fds->push_back({l->sock.fd(), POLLIN, 0});
  const int64_t now = now_ms();
  polled_sessions_ = sessions_.size();
  for (auto& s : sessions_) {
    short ev = 0;
    if (!s->out.empty()) ev |= POLLOUT;
    if (s->fwd < 0 && !s->eof && !s->closing) ev |= POLLIN;
    fds->push_back({s->fd, ev, 0});
    const bool reading_worker = s->fwd >= 0 && s->out.size() < kOutHighWater;
    fds->push_back({reading_worker ? s->fwd : -1, POLLIN, 0});
    if (s->deadline == kNoDeadline) continue;
    const int64_t left = std::clamp<int64_t>(s->deadline - now, 0, kIdleTimeoutMs);
    if (*timeout_ms < 0 || left < *timeout_ms) *timeout_ms = int(left);
  }
}

void MasterCli::accept_clients(Listener& l) {
  for (;;) {
    const int c = accept4(l.sock.fd(), nullptr, nullptr, SOCK_CLOEXEC | SOCK_NONBLOCK);
    if (c < 0) return;
    if (sessions_.size() >= kMaxSessions) {
      close(c);
      continue;
    }
    auto s = std::make_unique<Session>();
    s->fd = c;
    s->ctx.level = l.level;
    s->deadline = now_ms() + kIdleTimeoutMs;
    sessions_.push_back(std::move(s));
  }
}

namespace {

int64_t idle_deadline(const MasterCli::Session& s, int64_t now) {
  return s.ctx.prompt ? kNoDeadline : now + kIdleTimeoutMs;
}

// Returns: false when the client is gone.
bool read_client(MasterCli::Session& s) {
  char buf[4096];
  for (;;) {
    const ssize_t n = recv(s.fd, buf, sizeof buf, 0);
    if (n > 0) {
      s.in.append(buf, size_t(n));
      if (s.in.size() > kMaxLine) return false;
      continue;
    }
    if (n == 0) s.eof = true;
    return n == 0 || errno == EAGAIN || errno == EWOULDBLOCK || errno == EINTR;
  }
}

// Returns: false when the client is gone.
bool write_client(MasterCli::Session& s) {
  while (!s.out.empty()) {
    const ssize_t n = send(s.fd, s.out.data(), s.out.size(), MSG_NOSIGNAL);
    if (n < 0) return errno == EAGAIN || errno == EWOULDBLOCK || errno == EINTR;
    s.out.erase(0, size_t(n));
  }
  return true;
}

// Reads what the worker answered. Returns: true once it closed (or failed).
bool read_worker(MasterCli::Session& s) {
  char buf[16384];
  while (s.out.size() < kOutHighWater) {
    const ssize_t n = recv(s.fwd, buf, sizeof buf, 0);
    if (n > 0) {
      s.out.append(buf, size_t(n));
      continue;
    }
    return n == 0 || (errno != EAGAIN && errno != EWOULDBLOCK && errno != EINTR);
  }
  return false;
}

// Opens a connection to the runtime API of the worker behind `channel` and
// sends it `command`. Returns: the master's end, or -1.
int forward(int channel, const std::string& command, const std::string& payload, CliLevel level) {
  int sp[2];
  if (socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, sp) != 0) return -1;
  set_nonblocking(channel);  // a worker that reads nothing must not block the master
  const std::string hello = std::string("cli ") + cli_level_name(level);
  const bool sent = net::channel_send(channel, hello, &sp[1], 1);
  close(sp[1]);
  // "CMD <<", the payload lines, the empty line that ends them.
  const std::string line = payload.empty() ? command + "\n" : command + " <<\n" + payload + "\n";
  // A fresh socket's buffer takes a command line whole.
  if (!sent || send(sp[0], line.data(), line.size(), MSG_NOSIGNAL) != ssize_t(line.size())) {
    close(sp[0]);
    return -1;
  }
  shutdown(sp[0], SHUT_WR);  // one command: the worker answers, then closes
  set_nonblocking(sp[0]);
  return sp[0];
}

// Takes the next whole line of s.in (the rest at EOF), and its payload when it
// ends with "<<" (the lines up to an empty one, or to EOF).
// Returns: false if it is not all there yet.
bool take_line(MasterCli::Session& s, std::string* line) {
  size_t nl = s.in.find('\n');
  if (nl == std::string::npos && !(s.eof && !s.in.empty())) return false;
  if (nl == std::string::npos) nl = s.in.size();
  *line = s.in.substr(0, nl);
  if (!line->empty() && line->back() == '\r') line->pop_back();
  size_t next = std::min(s.in.size(), nl + 1);
  s.payload.clear();
  if (line->size() >= 2 && line->compare(line->size() - 2, 2, "<<") == 0) {
    size_t end = s.in.find("\n\n", nl);
    if (end == std::string::npos && !s.eof) return false;
    if (end == std::string::npos) end = s.in.size();
    if (end + 1 > next) s.payload = s.in.substr(next, end + 1 - next);
    next = std::min(s.in.size(), end + 2);
    line->resize(line->size() - 2);
  }
  s.in.erase(0, next);
  return true;
}

}  // namespace

void MasterCli::advance(Session& s) {
  while (!s.closing && s.fwd < 0) {
    if (!s.pending.empty()) {
      const std::string cmd = s.pending.front();
      s.pending.pop_front();
      const std::string payload = s.pending.empty() ? s.payload : "";
      const MasterState st = state_();
      CliAction a = run_master_command(cmd, st, &s.ctx, &s.out);
      if (a.kind == CliAction::kForward) {
        s.fwd = forward(a.channel, a.command, payload, s.ctx.level);
        if (s.fwd < 0) s.out += "The worker cannot be reached.\n";
        s.deadline = now_ms() + kWorkerTimeoutMs;
      } else if (a.kind == CliAction::kFail || a.kind == CliAction::kQuit) {
        s.closing = true;
      } else if (a.kind == CliAction::kReload) {
        s.closing = true;  // as HAProxy 2.6: a reload closes the connection
        reload_();
      }
      continue;
    }
    if (s.line_running) {  // the line is done
      s.line_running = false;
      if (!s.ctx.prompt)
        s.closing = true;  // one line per connection without a prompt
      else
        s.out += prompt(state_(), s.ctx);
      continue;
    }
    std::string line;
    if (!take_line(s, &line)) {
      if (s.eof) s.closing = true;
      return;
    }
    for (std::string& c : admin::split_commands(line)) {
      while (!c.empty() && (c.front() == ' ' || c.front() == '\t')) c.erase(0, 1);
      while (!c.empty() && (c.back() == ' ' || c.back() == '\t')) c.pop_back();
      if (!c.empty()) s.pending.push_back(c);
    }
    s.line_running = true;
  }
}

void MasterCli::on_events(const std::vector<pollfd>& fds, size_t first) {
  size_t i = first + listeners_.size();
  const int64_t now = now_ms();
  for (size_t k = 0; k < polled_sessions_; ++k, i += 2) {
    Session& s = *sessions_[k];
    bool alive = true;
    bool active = false;  // the client spoke, or the worker finished its answer
    if (fds[i].revents & (POLLIN | POLLHUP | POLLERR)) {
      alive = read_client(s);
      active = true;
    }
    if (alive && s.fwd >= 0 && fds[i + 1].fd == s.fwd && fds[i + 1].revents && read_worker(s)) {
      close(s.fwd);
      s.fwd = -1;
      active = true;
    }
    if (alive && s.fwd >= 0 && now >= s.deadline) {
      close(s.fwd);
      s.fwd = -1;
      s.out += "The worker did not answer in time.\n";
      active = true;
    } else if (alive && s.fwd < 0 && now >= s.deadline && s.out.empty()) {
      s.closing = true;  // idle
    }
    if (alive) advance(s);
    if (alive && active && s.fwd < 0) s.deadline = idle_deadline(s, now);
    alive = alive && write_client(s);
    if (alive && s.closing && s.out.empty()) alive = false;
    if (!alive) {
      close(s.fd);
      if (s.fwd >= 0) close(s.fwd);
      s.fd = -1;
    }
  }
  std::erase_if(sessions_, [](const std::unique_ptr<Session>& s) { return s->fd < 0; });
  i = first;
  for (auto& l : listeners_)
    if (fds[i++].revents) accept_clients(*l);
}

}  // namespace hearth::app
