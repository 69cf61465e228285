#pragma once
// The contract between an HTTP mux and the stream on one of its stream
// connectors: protocol-neutral messages (http::MsgHead, DATA, end of message,
// trailers) both ways. mux_h1 implements it over HTTP/1.1 bytes; an HTTP/2
// mux would implement it over frames; tests implement it with no bytes at all.
//
// Receiving: rcv_head() until a head arrives (interim responses come as heads
// of their own), then rcv_data()/consume_data() until eom, then
// rcv_trailers(). Sending: snd_head(), snd_data() (as much as it accepts),
// snd_eom(), and flush() to push what the mux buffered. Once a head with
// BodyKind::kTunnel has gone (or come) through, DATA is opaque both ways and a
// side's end is its eof.
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "http/msg.h"
#include "mux/mux.h"

namespace hearth::mux {

enum class RxHead : uint8_t {
  kMore,   // no whole head yet
  kHead,   // *out holds the next head
  kError,  // the head is invalid or too large: answer `status`, close
  kEnd,    // the input ended (or failed) before a whole head
};

struct RxHeadResult {
  RxHead what = RxHead::kMore;
  int status = 0;  // kError: 400, 414, 431, 501, 505 (requests) or 502 (responses)
  // kError: the bytes the parser was given (a view into the mux's buffer,
  // valid until the next call on this connector), the offset of the byte it
  // found wrong, and its reason ("show errors").
  std::string_view raw;
  size_t error_at = 0;
  const char* reason = "";
};

// The payload at hand: a contiguous view into the mux's memory, valid until
// the next call on this connector.
struct RxData {
  std::string_view data;
  bool eom = false;    // the message ends once `data` is consumed
  bool eof = false;    // the input ended with no eom (a tunnel's end; else: truncated)
  bool error = false;  // invalid framing: the message cannot be read further
};

class HttpMux : public Mux {
 public:
  // A new head for this connector. Fields: as many as the head has, plus room
  // for `extra_fields` more (what rules may add). borrow: the caller forwards
  // the head before it returns to the event loop and releases it then, so the
  // mux may leave its text where it arrived and use MsgHead::init_borrowed()
  // (no copy, no block); otherwise the head is owned.
  virtual RxHeadResult rcv_head(StreamConnector* sc, http::MsgHead& out, size_t extra_fields,
                                bool borrow) = 0;
  virtual RxData rcv_data(StreamConnector* sc) = 0;
  // Requires: n <= the size of the data rcv_data() returned last.
  virtual void consume_data(StreamConnector* sc, size_t n) = 0;
  // After eom: the trailer fields, if any, copied into *out (initialised by
  // the call). Returns: false if there were none.
  virtual bool rcv_trailers(StreamConnector* sc, http::MsgHead& out) = 0;

  // Returns: false if the head cannot be sent (it does not fit): nothing of
  // it is sent.
  virtual bool snd_head(StreamConnector* sc, const http::MsgHead& head) = 0;
  // Returns: how many bytes of `data` were taken (sent or buffered).
  virtual size_t snd_data(StreamConnector* sc, std::string_view data) = 0;
  // Ends the message, with trailers when the protocol can carry them.
  // Returns: false if the mux has no room for it yet (call again later).
  virtual bool snd_eom(StreamConnector* sc, const http::MsgHead* trailers) = 0;
  // Writes what the mux holds. Returns: true if nothing is left to write.
  virtual bool flush(StreamConnector* sc) = 0;

  // The mux cannot take more input until some is consumed (do not wait for
  // reads), and it cannot write what it holds or was offered (wait for sends).
  virtual bool rx_blocked(StreamConnector* sc) const = 0;
  virtual bool tx_blocked(StreamConnector* sc) const = 0;
  // Input received and not yet delivered as heads or data.
  virtual bool has_input(StreamConnector* sc) const = 0;
  // Reads what the peer sent into the mux's input, delivering nothing, so
  // that its close shows in sc's flags (option abortonclose while the
  // request waits for a server).
  virtual void watch_input(StreamConnector*) {}
  // Bytes received from / written to the peer since this connector attached
  // (the wire's bytes, framing included: the log's and the retry's measure).
  virtual uint64_t rx_bytes(StreamConnector* sc) const = 0;
  virtual uint64_t tx_bytes(StreamConnector* sc) const = 0;
  // Incoming side: how long to wait for the next request once idle (0: forever).
  virtual void set_idle_timeout(int64_t ms) = 0;

  // Splicing the payload (option splice-*): payload bytes that need no
  // framing move socket -> pipe -> socket with Mux::rcv_pipe / snd_pipe,
  // never through the mux's buffers. rx_splice: how many payload bytes
  // rcv_pipe may take now (0: none: no payload being received, framing the
  // mux must decode (chunked), bytes already buffered (rcv_data delivers them
  // first), the input ended, or a transport that cannot splice; UINT64_MAX: up
  // to the close, for a close-delimited payload or a tunnel). rcv_pipe never
  // takes more, and ends the message once the last byte is in the pipe.
  // tx_splice: snd_pipe may write payload now (nothing buffered ahead of it,
  // no framing to add). Requires: the head was received / sent.
  virtual uint64_t rx_splice(const StreamConnector*) const { return 0; }
  virtual bool tx_splice(const StreamConnector*) const { return false; }
};

inline HttpMux* http_mux(StreamConnector* sc) { return static_cast<HttpMux*>(sc->mux); }

}  // namespace hearth::mux
