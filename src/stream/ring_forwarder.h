#pragma once
// Forwards a ring's events to one of its "server" lines over TCP, framed as
// RFC 6587 says: "legacy" (each event followed by LF, the default) or
// "octet-count" (each event preceded by its length and a space). One per
// ring server, on one worker's event loop; nothing blocks that loop.
//
//   IDLE --timer--> CONNECTING --connected--> SENDING
//   SENDING: takes what the ring holds for it, writes it; waits for room
//            (send subscription, `timeout server` without progress) or
//            for new events (the ring posts a wake-up), read-subscribed
//            to notice the server's close
//   CONNECTING: refused, reset, `timeout connect` --> IDLE (retry in 1 s)
//   SENDING: the server closes, an error, `timeout server` --> IDLE
// While not SENDING the ring's reader is disconnected: the ring may overwrite
// the events it had not sent, and counts them as dropped.
#include <memory>
#include <string>
#include <string_view>

#include "core/event_loop.h"
#include "net/address.h"
#include "stream/log_ring.h"

namespace hearth::net {
class Connection;
}

namespace hearth::stream {

class RingForwarder {
 public:
  // Requires: `index` is a server of `ring`. `thread`: the worker that runs it.
  RingForwarder(std::shared_ptr<LogRing> ring, size_t index, net::Address addr, int thread);
  ~RingForwarder();
  RingForwarder(const RingForwarder&) = delete;
  RingForwarder& operator=(const RingForwarder&) = delete;

  int thread() const { return thread_; }
  // On the worker's thread, with `loop` running there: connects at once.
  void start(EventLoop* loop);
  // On the worker's thread, before its loop goes away.
  void stop();

  // The framing of one event (appended to `out`).
  static void frame_legacy(std::string_view event, std::string* out);
  static void frame_octet_count(std::string_view event, std::string* out);

  // How long a failed or closed connection waits before the next attempt.
  static constexpr int64_t kRetryMs = 1000;

 private:
  enum class Phase { kIdle, kConnecting, kSending };

  static void timer_cb(Timer* t, void* ctx);
  static void io_cb(Tasklet* t, void* ctx, uint32_t state);
  static void wake_cb(void* ctx);
  void connect();
  void on_connect();
  void pump();
  void fail();
  void close_conn();

  std::shared_ptr<LogRing> ring_;
  LogRing::Reader& reader_;
  const config::RingServerConfig& server_;
  net::Address addr_;
  int thread_;
  EventLoop* loop_ = nullptr;
  Phase phase_ = Phase::kIdle;
  Timer timer_;
  Tasklet tasklet_;
  WaitEvent wait_;
  net::Connection* conn_ = nullptr;
  std::string out_;  // framed events taken from the ring, not all sent yet
  size_t sent_ = 0;
  bool deadline_set_ = false;  // timeout server is armed for the output pending
};

}  // namespace hearth::stream
