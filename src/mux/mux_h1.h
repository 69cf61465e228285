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
  bool detach(StreamConnector* sc, bool keep_idle) override;
  StreamConnector* first_sc() const override { return sc_; }
  void shutr(StreamConnector* sc) override;
  void shutw(StreamConnector* sc) override;
  // Moves bytes from the input buffer (filling it first if empty) into `buf`.
  size_t rcv_buf(StreamConnector* sc, Buffer& buf, size_t max) override;
  size_t snd_buf(StreamConnector* sc, Buffer& buf, size_t count) override;
  void subscribe(StreamConnector* sc, uint32_t events, WaitEvent* w) override;
  void unsubscribe(StreamConnector* sc, uint32_t events, WaitEvent* w) override;
  int avail_streams() const override { return sc_ ? 0 : 1; }
  int nb_streams() const override { return sc_ ? 1 : 0; }
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
  void update_sc_flags();
  void go_idle();

  net::Connection* conn_ = nullptr;
  StreamConnector* sc_ = nullptr;
  StreamFactory factory_ = nullptr;
  void* factory_ctx_ = nullptr;
  bool outgoing_ = false;
  int64_t idle_timeout_ms_ = 0;
  Buffer ibuf_;
  ListHook idle_hook_;  // in the thread's idle client list while idle (incoming)
  Tasklet tasklet_;
  WaitEvent wait_;
  Timer timer_;
};

void register_mux_h1();

}  // namespace hearth::mux
