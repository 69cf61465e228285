#include "support/fake_server.h"

#include <fcntl.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <sys/epoll.h>
#include <sys/eventfd.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cerrno>

#include "support/fatal.h"
#include "support/ports.h"
#include "support/wait.h"

namespace hearth::test {

namespace {

constexpr size_t kHighWater = size_t{1} << 20;   // pause reading above this backlog
constexpr size_t kReadBudget = size_t{1} << 20;  // per event, so one client cannot starve others
constexpr uint64_t kListenerId = 0;
constexpr uint64_t kWakeId = 1;

void epoll_set(int epoll_fd, int op, int fd, uint32_t events, uint64_t id) {
  epoll_event ev{};
  ev.events = events;
  ev.data.u64 = id;
  epoll_ctl(epoll_fd, op, fd, &ev);
}

}  // namespace

bool FakeBackend::wait_accepted(uint64_t n, std::chrono::milliseconds timeout) const {
  return wait_until([&] { return accepted() >= n; }, timeout);
}

bool FakeBackend::wait_active(int n, std::chrono::milliseconds timeout) const {
  return wait_until([&] { return active() == n; }, timeout);
}

void ConnIo::write(std::string_view data) {
  if (out_pos_ == out_.size()) {
    out_.clear();
    out_pos_ = 0;
  } else if (out_pos_ > (size_t{1} << 16) && out_pos_ > out_.size() / 2) {
    out_.erase(0, out_pos_);
    out_pos_ = 0;
  }
  out_.append(data);
}

struct FakeServer::Conn : ConnIo {
  uint64_t id = 0;
  int fd = -1;
  std::unique_ptr<Session> session;
  bool read_closed = false;  // EOF seen
  bool shut_done = false;    // our FIN sent
  uint32_t interest = 0;     // current epoll events
};

FakeServer::FakeServer(SessionFactory factory) : factory_(std::move(factory)) {
  listen_fd_ = listen_loopback(0, &port_);
  if (listen_fd_ < 0) fatal_errno("FakeServer: listen on 127.0.0.1:0");
  fcntl(listen_fd_, F_SETFL, fcntl(listen_fd_, F_GETFL) | O_NONBLOCK);
  epoll_fd_ = epoll_create1(EPOLL_CLOEXEC);
  wake_fd_ = eventfd(0, EFD_CLOEXEC | EFD_NONBLOCK);
  if (epoll_fd_ < 0 || wake_fd_ < 0) fatal_errno("FakeServer: epoll/eventfd");
  epoll_set(epoll_fd_, EPOLL_CTL_ADD, listen_fd_, EPOLLIN, kListenerId);
  epoll_set(epoll_fd_, EPOLL_CTL_ADD, wake_fd_, EPOLLIN, kWakeId);
  thread_ = std::thread([this] { run(); });
}

FakeServer::~FakeServer() { stop(); }

void FakeServer::stop() {
  if (!thread_.joinable()) return;
  uint64_t one = 1;
  ssize_t ignored = write(wake_fd_, &one, sizeof one);
  (void)ignored;
  thread_.join();
  close(epoll_fd_);
  close(wake_fd_);
  epoll_fd_ = wake_fd_ = -1;
}

void FakeServer::run() {
  epoll_event events[64];
  bool stopping = false;
  while (!stopping) {
    int n = epoll_wait(epoll_fd_, events, 64, -1);
    if (n < 0 && errno != EINTR) break;
    for (int i = 0; i < n; ++i) {
      uint64_t id = events[i].data.u64;
      if (id == kWakeId) {
        stopping = true;
      } else if (id == kListenerId) {
        accept_ready();
      } else if (auto it = conns_.find(id); it != conns_.end()) {
        handle(*it->second, events[i].events);
      }
    }
  }
  close(listen_fd_);  // refuse new connections from here on
  listen_fd_ = -1;
  while (!conns_.empty()) destroy(*conns_.begin()->second);
}

void FakeServer::accept_ready() {
  for (;;) {
    int fd = accept4(listen_fd_, nullptr, nullptr, SOCK_NONBLOCK | SOCK_CLOEXEC);
    if (fd < 0 && errno == EINTR) continue;
    if (fd < 0) return;  // EAGAIN, or out of fds: retried on the next event
    int one = 1;
    setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
    auto owned = std::make_unique<Conn>();
    Conn& c = *owned;
    c.id = next_id_++;
    c.fd = fd;
    c.session = factory_();
    c.interest = EPOLLIN;
    conns_.emplace(c.id, std::move(owned));
    epoll_set(epoll_fd_, EPOLL_CTL_ADD, fd, EPOLLIN, c.id);
    accepted_.fetch_add(1);
    active_.fetch_add(1);
    c.session->on_open(c);
    if (flush(c)) {
      settle(c);
    } else {
      destroy(c);
    }
  }
}

void FakeServer::handle(Conn& c, uint32_t events) {
  if (events & EPOLLERR) return destroy(c);
  bool can_read = !c.read_closed && c.pending() < kHighWater;
  if ((events & (EPOLLIN | EPOLLHUP)) && can_read && !read_some(c)) return destroy(c);
  if (!flush(c)) return destroy(c);
  // Hung up both ways with nothing left to do: nothing will ever wake it again.
  if ((events & EPOLLHUP) && c.read_closed && c.pending() == 0) return destroy(c);
  settle(c);
}

bool FakeServer::read_some(Conn& c) {
  char buf[65536];
  size_t budget = kReadBudget;
  while (budget > 0 && !c.read_closed && !c.want_reset_ && c.pending() < kHighWater) {
    ssize_t n = recv(c.fd, buf, sizeof buf, 0);
    if (n > 0) {
      bytes_in_.fetch_add(static_cast<uint64_t>(n));
      budget -= static_cast<size_t>(n) < budget ? static_cast<size_t>(n) : budget;
      c.session->on_data(c, std::string_view(buf, static_cast<size_t>(n)));
    } else if (n == 0) {
      c.read_closed = true;
      c.session->on_eof(c);
    } else if (errno != EINTR) {
      return errno == EAGAIN || errno == EWOULDBLOCK;
    }
  }
  return true;
}

bool FakeServer::flush(Conn& c) {
  if (c.want_reset_) return true;
  for (;;) {
    while (c.pending() > 0) {
      ssize_t n = send(c.fd, c.out_.data() + c.out_pos_, c.pending(), MSG_NOSIGNAL);
      if (n > 0) {
        c.out_pos_ += static_cast<size_t>(n);
        bytes_out_.fetch_add(static_cast<uint64_t>(n));
      } else if (n < 0 && errno == EINTR) {
        continue;
      } else {
        return n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK);
      }
    }
    c.out_.clear();
    c.out_pos_ = 0;
    if (c.want_close_ || c.want_shutw_ || c.want_reset_) break;
    c.session->on_drained(c);
    if (c.pending() == 0) break;
  }
  if (c.want_shutw_ && !c.shut_done && c.pending() == 0) {
    shutdown(c.fd, SHUT_WR);
    c.shut_done = true;
  }
  return true;
}

bool FakeServer::settle(Conn& c) {
  bool done =
      c.want_reset_ || (c.want_close_ && c.pending() == 0) || (c.read_closed && c.shut_done);
  if (done) {
    destroy(c);
    return false;
  }
  uint32_t want = 0;
  if (!c.read_closed && c.pending() < kHighWater) want |= EPOLLIN;
  if (c.pending() > 0) want |= EPOLLOUT;
  if (want != c.interest) {
    epoll_set(epoll_fd_, EPOLL_CTL_MOD, c.fd, want, c.id);
    c.interest = want;
  }
  return true;
}

void FakeServer::destroy(Conn& c) {
  if (c.want_reset_) {
    linger lg{1, 0};
    setsockopt(c.fd, SOL_SOCKET, SO_LINGER, &lg, sizeof lg);
  }
  epoll_ctl(epoll_fd_, EPOLL_CTL_DEL, c.fd, nullptr);
  close(c.fd);
  conns_.erase(c.id);  // destroys c and its session
  active_.fetch_sub(1);
}

}  // namespace hearth::test
