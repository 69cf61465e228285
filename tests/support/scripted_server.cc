#include "support/scripted_server.h"

#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <sys/eventfd.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cerrno>

#include "support/fatal.h"
#include "support/ports.h"

namespace hearth::test {

ScriptedServer::ScriptedServer(Handler handler, uint16_t port) : handler_(std::move(handler)) {
  listen_fd_ = listen_loopback(port, &port_);
  if (listen_fd_ < 0)
    fatal_errno(("ScriptedServer: listen on 127.0.0.1:" + std::to_string(port)).c_str());
  wake_fd_ = eventfd(0, EFD_CLOEXEC | EFD_NONBLOCK);
  if (wake_fd_ < 0) fatal_errno("ScriptedServer: eventfd");
  acceptor_ = std::thread([this] { accept_loop(); });
}

ScriptedServer::~ScriptedServer() { stop(); }

void ScriptedServer::stop() {
  if (!acceptor_.joinable()) return;
  stopping_.store(true);
  uint64_t one = 1;
  ssize_t ignored = write(wake_fd_, &one, sizeof one);
  (void)ignored;
  acceptor_.join();
  close(listen_fd_);
  close(wake_fd_);
  listen_fd_ = wake_fd_ = -1;
  std::list<std::unique_ptr<Worker>> workers;
  {
    std::lock_guard<std::mutex> lock(mu_);
    for (auto& w : workers_) {
      if (w->fd >= 0) shutdown(w->fd, SHUT_RDWR);
    }
    workers.swap(workers_);
  }
  for (auto& w : workers) w->thread.join();
}

void ScriptedServer::accept_loop() {
  for (;;) {
    pollfd fds[2] = {{listen_fd_, POLLIN, 0}, {wake_fd_, POLLIN, 0}};
    if (poll(fds, 2, -1) < 0 && errno != EINTR) return;
    if (fds[1].revents != 0) return;
    if (fds[0].revents == 0) continue;
    int fd = accept4(listen_fd_, nullptr, nullptr, SOCK_CLOEXEC);
    if (fd < 0) continue;
    int one = 1;
    setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
    reap_done_workers();
    start_worker(fd);
  }
}

void ScriptedServer::start_worker(int fd) {
  auto owned = std::make_unique<Worker>();
  Worker* w = owned.get();
  w->fd = fd;
  accepted_.fetch_add(1);
  active_.fetch_add(1);
  std::lock_guard<std::mutex> lock(mu_);
  workers_.push_back(std::move(owned));
  w->thread = std::thread([this, w, fd] {
    handler_(fd);
    {
      std::lock_guard<std::mutex> inner(mu_);  // stop() may be shutting fd down
      close(fd);
      w->fd = -1;
    }
    active_.fetch_sub(1);
    w->done.store(true);
  });
}

void ScriptedServer::reap_done_workers() {
  std::list<std::unique_ptr<Worker>> done;
  {
    std::lock_guard<std::mutex> lock(mu_);
    for (auto it = workers_.begin(); it != workers_.end();) {
      auto next = std::next(it);
      if ((*it)->done.load()) done.splice(done.end(), workers_, it);
      it = next;
    }
  }
  for (auto& w : done) w->thread.join();
}

namespace scripted {

namespace {

// Returns: false on EOF, error, or stop().
bool read_some(int fd) {
  char buf[16384];
  for (;;) {
    ssize_t n = recv(fd, buf, sizeof buf, 0);
    if (n < 0 && errno == EINTR) continue;
    return n > 0;
  }
}

void write_all(int fd, std::string_view text) {
  while (!text.empty()) {
    ssize_t n = send(fd, text.data(), text.size(), MSG_NOSIGNAL);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) return;
    text.remove_prefix(static_cast<size_t>(n));
  }
}

void set_reset_on_close(int fd) {
  linger lg{1, 0};
  setsockopt(fd, SOL_SOCKET, SO_LINGER, &lg, sizeof lg);
}

}  // namespace

ScriptedServer::Handler close_immediately() {
  return [](int) {};
}

ScriptedServer::Handler reset_immediately() {
  return [](int fd) { set_reset_on_close(fd); };
}

ScriptedServer::Handler reset_after_request() {
  return [](int fd) {
    read_some(fd);
    set_reset_on_close(fd);
  };
}

ScriptedServer::Handler never_answer() {
  return [](int fd) {
    while (read_some(fd)) {
    }
  };
}

ScriptedServer::Handler send_and_close(std::string text) {
  return [text](int fd) { write_all(fd, text); };
}

ScriptedServer::Handler reply_and_close(std::string text) {
  return [text](int fd) {
    if (read_some(fd)) write_all(fd, text);
  };
}

ScriptedServer::Handler reply_slowly(std::string text, std::chrono::milliseconds gap) {
  return [text, gap](int fd) {
    if (!read_some(fd)) return;
    for (char c : text) {
      std::this_thread::sleep_for(gap);
      if (send(fd, &c, 1, MSG_NOSIGNAL) != 1) return;
    }
  };
}

}  // namespace scripted

}  // namespace hearth::test
