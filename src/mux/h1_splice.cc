// MuxH1's splicing of payload (option splice-* in mode http): the bytes of a
// payload that needs no framing work — a Content-Length body, a
// close-delimited response, a tunnel — go socket -> pipe -> socket through
// the transport's splice primitives, past ibuf_ and obuf_. A chunked payload
// is never spliced: its framing is decoded on receipt and re-encoded on
// sending, which needs the bytes. Receiving stops at the end of the payload
// (the Content-Length counts down), so bytes after it (a pipelined request, a
// server's stray byte) stay on the socket for the buffered path.
#include <cstdint>

#include "mux/mux_h1.h"
#include "net/connection.h"
#include "net/pipe_pool.h"
#include "net/transport.h"

namespace hearth::mux {

bool MuxH1::can_splice(const StreamConnector*) const { return conn_ && conn_->xprt->can_splice(); }

uint64_t MuxH1::rx_splice(const StreamConnector* sc) const {
  if (!can_splice(sc) || !ibuf_.empty() || (sc->flags & (kScEos | kScError))) return 0;
  if (rx_ == Rx::kTunnel) return UINT64_MAX;
  if (rx_ != Rx::kBody || pending_ > 0) return 0;
  switch (body_.framing().kind) {
    case http::BodyFraming::Kind::kContentLength:
      return body_.remaining();
    case http::BodyFraming::Kind::kCloseDelimited:
      return UINT64_MAX;
    default:
      return 0;
  }
}

bool MuxH1::tx_splice(const StreamConnector* sc) const {
  return can_splice(sc) && obuf_.empty() && !tx_chunked_ && !(sc->flags & (kScShutW | kScError));
}

size_t MuxH1::rcv_pipe(StreamConnector* sc, net::Pipe* p, size_t max) {
  const uint64_t allowed = rx_splice(sc);
  if (allowed == 0) return 0;
  if (max > allowed) max = size_t(allowed);
  const size_t n = conn_->xprt->rcv_pipe(conn_, p, max);
  rx_bytes_ += n;
  if (rx_ == Rx::kBody) {
    http::BodyStatus st;
    body_.feed(nullptr, n, &st);  // counts a Content-Length down; reads no byte
    if (body_.done()) rx_ = Rx::kDone;
  }
  update_sc_flags();
  return n;
}

size_t MuxH1::snd_pipe(StreamConnector*, net::Pipe* p) {
  const size_t n = conn_->xprt->snd_pipe(conn_, p);
  tx_bytes_ += n;
  // What stays in the pipe is output not yet written, as tx_blocked() tells.
  tx_short_ = p->data > 0;
  update_sc_flags();
  return n;
}

}  // namespace hearth::mux
