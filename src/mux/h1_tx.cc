// MuxH1's sending half: neutral heads, DATA and the end of message written as
// HTTP/1.1, with the framing the peer needs. A head waits in obuf_ for the
// payload that follows it, so a small message leaves in one write; payload
// that finds obuf_ empty goes straight from the caller's memory to the socket.
#include <cstdio>

#include "mux/h1_head_writer.h"
#include "mux/mux_h1.h"
#include "net/connection.h"

namespace hearth::mux {

bool MuxH1::snd_head(StreamConnector*, const http::MsgHead& head) {
  H1Written how;
  const bool ok = outgoing_ ? h1_write_request(head, obuf_, &how)
                            : h1_write_response(head, peer_minor_, obuf_, &how);
  if (!ok) {
    obuf_.release_if_empty();
    return false;
  }
  if (outgoing_) {
    req_method_ = head.method;
  } else if (!head.interim()) {
    close_after_ = how.close;
    // After a 101 or a CONNECT's 2xx the client's bytes are the tunnel's.
    if (head.body == http::BodyKind::kTunnel) rx_ = Rx::kTunnel;
  }
  tx_chunked_ = how.framing == H1Framing::kChunked;
  return true;
}

size_t MuxH1::snd_data(StreamConnector*, std::string_view data) {
  if (data.empty()) return 0;
  if (!tx_chunked_) {
    if (obuf_.empty()) return send(data.data(), data.size());
    // Behind a head (or earlier bytes) still here: join them, then write.
    const size_t n = obuf_.append(data.data(), data.size());
    flush(nullptr);
    if (n < data.size()) tx_short_ = true;
    return n;
  }
  // Chunked: "<hex size> CRLF payload CRLF" for as much as fits in obuf_.
  constexpr size_t kOverhead = 16 + 2 + 2;
  if (!obuf_.allocate()) return 0;
  const size_t room = obuf_.contiguous_room();
  if (room <= kOverhead) {
    flush(nullptr);
    tx_short_ = true;
    return 0;
  }
  const size_t take = data.size() < room - kOverhead ? data.size() : room - kOverhead;
  char line[24];
  const int len = snprintf(line, sizeof line, "%zx\r\n", take);
  obuf_.append(line, size_t(len));
  obuf_.append(data.data(), take);
  obuf_.append("\r\n", 2);
  flush(nullptr);
  if (take < data.size()) tx_short_ = true;
  return take;
}

bool MuxH1::snd_eom(StreamConnector*, const http::MsgHead* trailers) {
  if (tx_chunked_) {
    if (!h1_write_last_chunk(trailers, obuf_)) {
      flush(nullptr);
      return false;
    }
    tx_chunked_ = false;
  }
  flush(nullptr);
  return true;
}

bool MuxH1::flush(StreamConnector*) {
  if (!obuf_.empty()) obuf_.consume(send(obuf_.head(), obuf_.len()));
  obuf_.release_if_empty();
  return obuf_.empty();
}

}  // namespace hearth::mux
