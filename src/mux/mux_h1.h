#pragma once
// The HTTP/1.1 mux. Like mux_pt it carries one stream at a time and follows the
// same idle contract, but it owns the connection's input buffer so that bytes
// past the end of one message (a pipelined request, a stray byte from a server)
// stay with the connection, not with the stream that is finishing.
//
// Incoming side: a stream is created at once; when it detaches with keep_idle,
// the mux waits (http-keep-alive timeout) for the next request and creates the
// next stream when bytes arrive. Outgoing side: after detach with keep_idle the
// connection sits in its server's idle pool, read-subscribed; anything readable
// (EOF, reset, stray bytes) retires it.
#include <cstdint>
#include <string>

#include "core/buffer.h"
#include "core/list.h"
#include "core/tasklet.h"
#include "core/timer.h"
#include "mux/mux.h"

namespace hearth::mux {

class MuxH1 final : public Mux {
 public:
  MuxH1();
  ~MuxH1() override;
  const char* name() const override { return "h1"; }

  bool init(net::Connection* conn, StreamConnector* sc, StreamFactory f, void* f_ctx) override;
  void wake() override;
  bool attach(StreamConnector* sc) override;
  void detach(StreamConnector* sc, bool keep_idle) override;
  StreamConnector* first_sc() const override { return sc_; }
  void shutr(StreamConnector* sc) override;
  void shutw(StreamConnector* sc) override;
  // Moves bytes from the input buffer (filling it first if empty) into `buf`.
  size_t rcv_buf(StreamConnector* sc, Buffer& buf, size_t max) override;
  size_t snd_buf(StreamConnector* sc, Buffer& buf, size_t count) override;
  void subscribe(StreamConnector* sc, uint32_t events, WaitEvent* w) override;
  void unsubscribe(StreamConnector* sc, uint32_t events, WaitEvent* w) override;
  int avail_streams() const override { return sc_ ? 0 : 1; }
  void destroy() override;
  std::string dump() const override;

  // HTTP-specific access used by the HTTP stream.
  // The connection's input buffer; the stream parses and consumes from it.
  Buffer& ibuf() { return ibuf_; }
  // Reads what the socket has into ibuf (up to its room). Returns: bytes read.
  // EOF and errors show in the attached connector's flags.
  size_t fill();
  // Sends raw bytes. Returns: bytes sent.
  size_t send(const char* p, size_t n);
  net::Connection* conn() const { return conn_; }
  bool outgoing() const { return outgoing_; }
  // Incoming side: how long to wait for the next request once idle (0: forever).
  void set_idle_timeout(int64_t ms) { idle_timeout_ms_ = ms; }
  // Incoming side: requests fully handled on this connection so far.
  uint32_t transactions() const { return transactions_; }

  // Incoming side, `http-reuse never`: one server connection private to this
  // client connection, idle between its requests (HAProxy's session-private
  // connection). The server connection was detached with keep_idle, so its own
  // mux keeps it read-subscribed and destroys it on EOF, error or stray bytes;
  // that unlinks it from here and calls on_dead(c, owner) first (for stats).
  // owner is what the connection leads to (the stream layer's server).
  using PrivateDeadFn = void (*)(net::Connection* c, void* owner);
  // Parks c (idle_since_ms = now_ms), closing any connection parked before.
  void park_private(net::Connection* c, void* owner, PrivateDeadFn on_dead, int64_t now_ms);
  // Returns: the parked connection if it leads to owner, still parked; else nullptr.
  net::Connection* private_conn(const void* owner) const {
    return private_ && private_owner_ == owner ? private_ : nullptr;
  }
  // Returns: what the parked connection leads to, or nullptr if none is parked.
  void* private_owner() const { return private_ ? private_owner_ : nullptr; }
  // Unlinks the parked connection and hands it over (the caller attaches a
  // stream or destroys it). Returns: it, or nullptr if none is parked.
  net::Connection* take_private();
  // Closes the parked connection, if any (not a death: on_dead is not called).
  void close_private();

  static Mux* create();
  // Closes every idle client connection of the calling thread (those waiting
  // for their next request). For a graceful stop: nothing is in flight on
  // them. Returns: how many were closed.
  static int close_idle_incoming();

 private:
  static void io_cb(Tasklet* t, void* ctx, uint32_t state);
  static void timer_cb(Timer* t, void* ctx);
  void idle_event();
  void idle_outgoing();
  void idle_incoming();
  bool new_stream();
  static void private_unlink(net::Connection* c);
  void update_sc_flags();
  void go_idle();

  net::Connection* conn_ = nullptr;
  StreamConnector* sc_ = nullptr;
  StreamFactory factory_ = nullptr;
  void* factory_ctx_ = nullptr;
  bool outgoing_ = false;
  uint32_t transactions_ = 0;
  int64_t idle_timeout_ms_ = 0;
  Buffer ibuf_;
  net::Connection* private_ = nullptr;  // see park_private()
  void* private_owner_ = nullptr;
  PrivateDeadFn private_dead_ = nullptr;
  ListHook idle_hook_;  // in the thread's idle client list while idle (incoming)
  Tasklet tasklet_;
  WaitEvent wait_;
  Timer timer_;
};

void register_mux_h1();

}  // namespace hearth::mux
