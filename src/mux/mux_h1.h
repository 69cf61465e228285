#pragma once
// The HTTP/1.1 mux. It carries one stream at a time, follows the idle contract
// of every mux, and frames HTTP/1.1: it parses heads into neutral heads
// (http::MsgHead), turns body framing (Content-Length, chunked, close) into
// DATA and an end of message, and writes neutral messages back as HTTP/1.1
// with the framing its peer needs. It owns the connection's input buffer, so
// bytes past the end of one message (a pipelined request, a stray byte from a
// server) stay with the connection, not with the stream that is finishing.
// Parsing and writing heads: h1_rx.cc, h1_tx.cc, h1_head_writer.cc.
//
// Incoming side: a stream is created at once; when it detaches with keep_idle,
// the mux waits (http-keep-alive timeout) for the next request and creates the
// next stream when bytes arrive. Outgoing side: after detach with keep_idle the
// connection sits in its server's idle pool, read-subscribed; anything readable
// (EOF, reset, stray bytes) retires it.
#include <cstdint>
#include <string>
#include <string_view>

#include "core/buffer.h"
#include "core/list.h"
#include "core/tasklet.h"
#include "core/timer.h"
#include "http/body_reader.h"
#include "http/method.h"
#include "mux/h1_head_reader.h"
#include "mux/http_mux.h"

namespace hearth::mux {

class MuxH1 final : public HttpMux {
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
  size_t rcv_buf(StreamConnector* sc, Buffer& buf, size_t max) override;
  size_t snd_buf(StreamConnector* sc, Buffer& buf, size_t count) override;
  void subscribe(StreamConnector* sc, uint32_t events, WaitEvent* w) override;
  void unsubscribe(StreamConnector* sc, uint32_t events, WaitEvent* w) override;
  int avail_streams() const override { return sc_ ? 0 : 1; }
  int nb_streams() const override { return sc_ ? 1 : 0; }
  void destroy() override;
  std::string dump() const override;

  // HttpMux (h1_rx.cc, h1_tx.cc).
  RxHeadResult rcv_head(StreamConnector* sc, http::MsgHead& out, size_t extra_fields,
                        bool borrow) override;
  RxData rcv_data(StreamConnector* sc) override;
  void consume_data(StreamConnector* sc, size_t n) override;
  bool rcv_trailers(StreamConnector* sc, http::MsgHead& out) override;
  bool snd_head(StreamConnector* sc, const http::MsgHead& head) override;
  size_t snd_data(StreamConnector* sc, std::string_view data) override;
  bool snd_eom(StreamConnector* sc, const http::MsgHead* trailers) override;
  bool flush(StreamConnector* sc) override;
  // Reads nothing while rx_blocked: a payload view handed out stays valid.
  void watch_input(StreamConnector* sc) override {
    if (!rx_blocked(sc) && !(sc->flags & (kScEos | kScError))) fill();
  }
  // Full, or payload handed out and not yet consumed: nothing is read then.
  bool rx_blocked(StreamConnector*) const override { return ibuf_.full() || pending_ > 0; }
  bool tx_blocked(StreamConnector*) const override { return !obuf_.empty() || tx_short_; }
  bool has_input(StreamConnector*) const override { return !ibuf_.empty(); }
  uint64_t rx_bytes(StreamConnector*) const override { return rx_bytes_; }
  uint64_t tx_bytes(StreamConnector*) const override { return tx_bytes_; }
  void set_idle_timeout(int64_t ms) override { idle_timeout_ms_ = ms; }
  // Splicing (h1_splice.cc).
  bool can_splice(const StreamConnector* sc) const override;
  uint64_t rx_splice(const StreamConnector* sc) const override;
  bool tx_splice(const StreamConnector* sc) const override;
  size_t rcv_pipe(StreamConnector* sc, net::Pipe* p, size_t max) override;
  size_t snd_pipe(StreamConnector* sc, net::Pipe* p) override;

  net::Connection* conn() const { return conn_; }
  bool outgoing() const { return outgoing_; }
  // tune.http.maxhdr: field lines a received head may have (set at startup).
  static void set_max_headers(size_t n);

  static Mux* create();
  // Closes every idle client connection of the calling thread (those waiting
  // for their next request). For a graceful stop: nothing is in flight on
  // them. `spare_arrived`: keep those whose next request already arrived (it
  // is served, with "connection: close" during a soft stop), since closing a
  // socket with unread bytes resets it and the client loses that request.
  // Returns: how many were closed.
  static int close_idle_incoming(bool spare_arrived = false);
  // Returns: the idle client connections of this thread (after a close that
  // spared those whose request arrived: that many streams are to start).
  static int idle_incoming_count();

 private:
  // Where the message being received is.
  enum class Rx : uint8_t {
    kHead,    // waiting for a head
    kBody,    // a payload is being read
    kDone,    // the message ended (bytes after it belong to the next one)
    kTunnel,  // opaque bytes until the peer closes
  };

  static void io_cb(Tasklet* t, void* ctx, uint32_t state);
  static void timer_cb(Timer* t, void* ctx);
  void idle_event();
  void idle_outgoing();
  void idle_incoming();
  bool new_stream();
  void update_sc_flags();
  void go_idle();
  // Forgets the previous message's state (a new stream begins).
  void reset_messages();
  // Reads what the socket has into ibuf (up to its room). Returns: bytes read.
  size_t fill();
  // Sends raw bytes. Returns: bytes sent.
  size_t send(const char* p, size_t n);
  RxHeadResult rcv_request_head(http::HeadParser& p, const BufferedHead& head,
                                const http::RequestHead& req, http::MsgHead& out, size_t extra);
  RxHeadResult rcv_response_head(const BufferedHead& head, const http::ResponseHead& res,
                                 http::MsgHead& out, size_t extra, bool borrow);
  // Exposes the next run of payload at the head of ibuf (pending_).
  // Returns: false on invalid framing.
  bool next_payload();
  // Where a received head's payload is delimited (rx_ after the head).
  void start_body(const http::BodyFraming& framing);

  net::Connection* conn_ = nullptr;
  StreamConnector* sc_ = nullptr;
  StreamFactory factory_ = nullptr;
  void* factory_ctx_ = nullptr;
  bool outgoing_ = false;
  int64_t idle_timeout_ms_ = 0;
  Buffer ibuf_;
  Buffer obuf_;  // written heads and framing not yet sent (released when empty)

  // Receiving.
  Rx rx_ = Rx::kHead;
  size_t scan_pos_ = 0;  // where the search for the end of a head resumes
  size_t pending_ = 0;   // payload bytes at the head of ibuf_ handed out as DATA
  http::BodyReader body_;
  std::string trailers_;  // trailer lines of a chunked payload, as received
  uint64_t rx_bytes_ = 0;
  // Incoming: the request's HTTP/1.<minor>, for the response. Outgoing: the
  // method sent, which decides how the response is delimited.
  int peer_minor_ = 1;
  http::Method req_method_ = http::Method::kGet;

  // Sending.
  bool tx_chunked_ = false;   // the payload being sent is chunk-encoded
  bool tx_short_ = false;     // the last write could not take everything
  bool close_after_ = false;  // the peer reads this message up to the close
  uint64_t tx_bytes_ = 0;

  ListHook idle_hook_;  // in the thread's idle client list while idle (incoming)
  Tasklet tasklet_;
  WaitEvent wait_;
  Timer timer_;
};

void register_mux_h1();

}  // namespace hearth::mux
