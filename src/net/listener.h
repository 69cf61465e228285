#pragma once
// A listening socket registered with one loop. Accepting pauses while the owner's
// connection limit is reached and resumes when a connection ends.
#include <atomic>
#include <cstdint>
#include <string>

#include "core/event_loop.h"
#include "net/address.h"
#include "net/socket.h"

namespace hearth::net {

class Listener;
class Transport;

// Decides whether another connection may be accepted now (maxconn, rates).
using AcceptGate = bool (*)(void* ctx);
// After the gate refused: the ms until it may open by itself (a rate limit
// whose window moves on); 0: only a connection's end opens it.
using AcceptDelay = int64_t (*)(void* ctx);
// accept() failed for want of a resource (EMFILE, ENFILE, ENOBUFS, ENOMEM:
// `err`); accepting is paused until a connection ends or the owner's next
// housekeeping tick (maybe_resume()), so this runs at most once per pause.
using AcceptExhausted = void (*)(Listener* l, int err, void* ctx);
// Takes ownership of an accepted, non-blocking fd.
using AcceptFn = void (*)(Listener* l, int fd, const Address& peer, void* ctx);

// What a bind line gives every socket it opens (one per thread): its name and
// id (so_name, so_id) and its connection limit, counted across those sockets.
struct BindInfo {
  std::string name;
  int id = 0;
  int maxconn = 0;  // 0: no limit of its own
  // "option socket-stats": the position of its counters in its frontend's
  // bind_stats (-1: none kept).
  int stats_slot = -1;
  bool accept_proxy = false;  // accept-proxy: a PROXY header comes first
  // Connections accepted on this line and not closed yet; whoever owns an
  // accepted connection gives its count back (Session).
  std::atomic<int> cur{0};

  bool full() const { return maxconn > 0 && cur.load(std::memory_order_relaxed) >= maxconn; }
};

class Listener final : public FdHandler {
 public:
  // Requires: fd is a listening socket (made non-blocking here).
  Listener(EventLoop* loop, int fd, bool owns_fd, AcceptFn on_accept, AcceptGate gate, void* ctx);
  ~Listener() override;

  // Returns: false if epoll refused the fd.
  bool start(bool exclusive);
  // Stops accepting for good (graceful stop) and closes the socket if owned.
  void stop();
  void set_exhausted_hook(AcceptExhausted fn) { on_exhausted_ = fn; }
  // Resumes if paused and the gate allows (the owner's housekeeping, admin).
  void maybe_resume();
  // Called by the owner when a connection ended: if paused, maybe_resume()
  // runs from the loop's run queue, after the teardown that called this has
  // finished and closed its socket (so an EMFILE pause sees the freed
  // descriptor, and no accept runs inside another connection's teardown).
  void resume_soon() {
    if (paused_) loop_->wake(&resume_task_, kWakeOther);
  }
  // SIGTTOU: stops polling the socket until resume() (SIGTTIN); the kernel
  // keeps queuing connections meanwhile. Independent of the maxconn pause.
  void suspend();
  void resume();
  bool suspended() const { return suspended_; }
  // "disable frontend": stops accepting and stops listening, so that new
  // connections are refused as if the port were free (it stays bound), until
  // enable() listens again with the options of set_listen_options().
  // Independent of suspend() and of the maxconn pause.
  void disable();
  // Returns: false if the socket could not listen again (it stays disabled).
  bool enable();
  bool disabled() const { return disabled_; }
  void set_listen_options(const ListenOptions& o) { listen_opts_ = o; }
  bool paused() const { return paused_; }
  int fd() const { return fd_; }
  // The transport of the connections it accepts (raw unless set).
  Transport* transport() const { return xprt_; }
  void set_transport(Transport* t) { xprt_ = t; }
  uint64_t accepted() const { return accepted_; }
  // The bind line this socket belongs to (null when none was given).
  BindInfo* bind() const { return bind_; }
  void set_bind(BindInfo* b) { bind_ = b; }
  // tune.maxaccept: connections taken per readiness event (-1: until the
  // backlog is empty); the rest wait for the next turn of the loop, so a busy
  // listener cannot starve the established sessions.
  void set_max_accept(int n) { max_accept_ = n; }
  // Where the gate's own reopening time comes from (null: none).
  void set_accept_delay(AcceptDelay d) { delay_ = d; }
  // tune.sndbuf.client / tune.rcvbuf.client: set on every accepted socket (0: not).
  void set_buffers(int sndbuf, int rcvbuf) {
    sndbuf_ = sndbuf;
    rcvbuf_ = rcvbuf;
  }

  void on_fd_event(uint32_t events) override;
  const char* fd_kind() const override { return "listener_accept"; }
  // The loop the socket is registered with.
  EventLoop* loop() const { return loop_; }

 private:
  void accept_some();
  static void retry_cb(Timer* t, void* ctx);
  void arm_retry();
  int max_accept_ = 64;
  AcceptDelay delay_ = nullptr;
  int sndbuf_ = 0, rcvbuf_ = 0;
  void pause();

  AcceptExhausted on_exhausted_ = nullptr;
  EventLoop* loop_;
  int fd_;
  bool owns_fd_;
  AcceptFn on_accept_;
  AcceptGate gate_;
  void* ctx_;
  Transport* xprt_;
  bool registered_ = false;
  bool paused_ = false;
  bool suspended_ = false;
  bool disabled_ = false;
  bool exclusive_ = false;
  ListenOptions listen_opts_;
  uint64_t accepted_ = 0;
  BindInfo* bind_ = nullptr;
  Timer retry_;  // a rate-limited pause: looks again when the rate allows
  Tasklet resume_task_;  // resume_soon()
};

}  // namespace hearth::net
