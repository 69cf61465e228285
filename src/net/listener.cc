#include "net/listener.h"

#include <sys/epoll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cerrno>

#include "net/socket.h"
#include "net/socket_match.h"
#include "net/transport.h"

namespace hearth::net {

Listener::Listener(EventLoop* loop, int fd, bool owns_fd, AcceptFn on_accept, AcceptGate gate,
                   void* ctx)
    : loop_(loop),
      fd_(fd),
      owns_fd_(owns_fd),
      on_accept_(on_accept),
      gate_(gate),
      ctx_(ctx),
      xprt_(raw_transport()),
      retry_(&Listener::retry_cb, this),
      resume_task_([](Tasklet*, void* self, uint32_t) { static_cast<Listener*>(self)->maybe_resume(); },
                   this) {
  set_nonblock(fd_);
}

Listener::~Listener() { stop(); }

bool Listener::start(bool exclusive) {
  exclusive_ = exclusive;
  registered_ = loop_->add_fd(fd_, EPOLLIN | (exclusive ? uint32_t(EPOLLEXCLUSIVE) : 0u), this);
  return registered_;
}

void Listener::stop() {
  loop_->timers().cancel(&retry_);
  resume_task_.cancel();
  if (fd_ < 0) return;
  if (registered_) loop_->del_fd(fd_);
  registered_ = false;
  if (owns_fd_) close(fd_);
  fd_ = -1;
}

void Listener::pause() {
  if (!paused_ && registered_) {
    loop_->del_fd(fd_);
    registered_ = false;
    paused_ = true;
  }
  arm_retry();
}

// A gate that reopens by itself (a rate limit): look again then; the other
// pauses end with a connection (maybe_resume from its owner).
void Listener::arm_retry() {
  if (!paused_ || !delay_) return;
  const int64_t d = delay_(ctx_);
  if (d > 0) loop_->timers().arm(&retry_, loop_->now_ms() + d);
}

void Listener::retry_cb(Timer*, void* ctx) { static_cast<Listener*>(ctx)->maybe_resume(); }

void Listener::suspend() {
  suspended_ = true;
  if (registered_) loop_->del_fd(fd_);
  registered_ = false;
}

void Listener::resume() {
  if (!suspended_) return;
  suspended_ = false;
  if (fd_ < 0 || paused_ || disabled_) return;  // maybe_resume() takes over the maxconn pause
  registered_ = loop_->add_fd(fd_, EPOLLIN | (exclusive_ ? uint32_t(EPOLLEXCLUSIVE) : 0u), this);
  accept_some();
}

void Listener::disable() {
  if (disabled_ || fd_ < 0) return;
  disabled_ = true;
  if (registered_) loop_->del_fd(fd_);
  registered_ = false;
  // A listening socket shut down for reading leaves the listening state: the
  // kernel refuses new connections and resets those of the backlog.
  shutdown(fd_, SHUT_RD);
}

bool Listener::enable() {
  if (!disabled_ || fd_ < 0) return true;
  if (!relisten(fd_, listen_opts_)) return false;
  disabled_ = false;
  if (suspended_ || paused_) return true;  // resume() / maybe_resume() take over
  registered_ = loop_->add_fd(fd_, EPOLLIN | (exclusive_ ? uint32_t(EPOLLEXCLUSIVE) : 0u), this);
  accept_some();
  return true;
}

void Listener::maybe_resume() {
  if (!paused_ || fd_ < 0 || suspended_ || disabled_) return;
  if ((gate_ && !gate_(ctx_)) || (bind_ && bind_->full())) return arm_retry();
  paused_ = false;
  registered_ = loop_->add_fd(fd_, EPOLLIN | (exclusive_ ? uint32_t(EPOLLEXCLUSIVE) : 0u), this);
  accept_some();  // connections may have queued in the backlog meanwhile
}

void Listener::on_fd_event(uint32_t) { accept_some(); }

void Listener::accept_some() {
  // Bounded batch so one busy listener cannot starve established sessions.
  for (int i = 0; (max_accept_ < 0 || i < max_accept_) && fd_ >= 0; ++i) {
    if ((gate_ && !gate_(ctx_)) || (bind_ && bind_->full())) {
      pause();
      return;
    }
    sockaddr_storage ss;
    socklen_t len = sizeof ss;
    int cfd = accept4(fd_, reinterpret_cast<sockaddr*>(&ss), &len, SOCK_NONBLOCK | SOCK_CLOEXEC);
    if (cfd < 0) {
      if (errno == EINTR || errno == ECONNABORTED) continue;
      if (errno == EMFILE || errno == ENFILE || errno == ENOBUFS || errno == ENOMEM) {
        // Resource exhaustion: stop accepting until a connection ends (or
        // the owner's housekeeping looks again); the connection waits in the
        // backlog meanwhile.
        const int err = errno;
        pause();
        if (on_exhausted_) on_exhausted_(this, err, ctx_);
      }
      return;
    }
    ++accepted_;
    loop_->activity().accepted.add();
    set_nodelay(cfd);
    net::set_buffers(cfd, sndbuf_, rcvbuf_);
    on_accept_(this, cfd, Address::from(reinterpret_cast<sockaddr*>(&ss), len), ctx_);
  }
}

}  // namespace hearth::net
