#pragma once
// A listening socket registered with one loop. Accepting pauses while the owner's
// connection limit is reached and resumes when a connection ends.
#include <cstdint>
#include <string>

#include "core/event_loop.h"
#include "net/address.h"

namespace hearth::net {

class Listener;
class Transport;

// Decides whether another connection may be accepted now (maxconn).
using AcceptGate = bool (*)(void* ctx);
// Takes ownership of an accepted, non-blocking fd.
using AcceptFn = void (*)(Listener* l, int fd, const Address& peer, void* ctx);

class Listener final : public FdHandler {
 public:
  // Requires: fd is a listening socket (made non-blocking here).
  Listener(EventLoop* loop, int fd, bool owns_fd, AcceptFn on_accept, AcceptGate gate, void* ctx);
  ~Listener() override;

  // Returns: false if epoll refused the fd.
  bool start(bool exclusive);
  // Stops accepting for good (graceful stop) and closes the socket if owned.
  void stop();
  // Called by the owner when a connection ended: resumes if paused.
  void maybe_resume();
  bool paused() const { return paused_; }
  int fd() const { return fd_; }
  // The transport of the connections it accepts (raw unless set).
  Transport* transport() const { return xprt_; }
  void set_transport(Transport* t) { xprt_ = t; }
  uint64_t accepted() const { return accepted_; }

  void on_fd_event(uint32_t events) override;

 private:
  void accept_some();
  void pause();

  EventLoop* loop_;
  int fd_;
  bool owns_fd_;
  AcceptFn on_accept_;
  AcceptGate gate_;
  void* ctx_;
  Transport* xprt_;
  bool registered_ = false;
  bool paused_ = false;
  bool exclusive_ = false;
  uint64_t accepted_ = 0;
};

}  // namespace hearth::net
