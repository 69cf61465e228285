#pragma once
// HTTP/1.1 heads to and from neutral heads (http::MsgHead), for mux_h1 only:
// a parsed head becomes a MsgHead (end-to-end fields, framing as a BodyKind,
// connection facts as flags); a MsgHead becomes HTTP/1.1 text with the
// framing and connection fields this hop needs.
#include <cstddef>
#include <cstring>
#include <string_view>

#include "core/buffer.h"
#include "http/message.h"
#include "http/msg.h"

namespace hearth::mux {

// Appends text to a buffer, remembering whether everything fitted. Text goes
// straight to the buffer's free space while it fits there; the first piece that
// does not is left to Buffer::append, and so is everything after it.
class HeadWriter {
 public:
  explicit HeadWriter(Buffer& out) : out_(out) {
    ok_ = out_.allocate();
    if (ok_) {
      avail_ = out_.contiguous_room();
      tail_ = out_.head() + out_.len();
    }
  }
  HeadWriter& put(std::string_view s) {
    if (s.empty()) return *this;  // an empty view may have no data pointer
    if (s.size() > avail_) return put_slow(s);
    std::memcpy(tail_, s.data(), s.size());
    tail_ += s.size();
    avail_ -= s.size();
    out_.commit(s.size());
    return *this;
  }
  HeadWriter& field(std::string_view name, std::string_view value) {
    const size_t n = name.size() + value.size() + 4;
    if (n > avail_ || name.empty()) return put(name).put(": ").put(value).put("\r\n");
    // The common case in one go: two copies and two 2-byte stores.
    std::memcpy(tail_, name.data(), name.size());
    tail_ += name.size();
    std::memcpy(tail_, ": ", 2);
    tail_ += 2;
    if (!value.empty()) std::memcpy(tail_, value.data(), value.size());
    tail_ += value.size();
    std::memcpy(tail_, "\r\n", 2);
    tail_ += 2;
    avail_ -= n;
    out_.commit(n);
    return *this;
  }
  bool ok() const { return ok_; }

 private:
  HeadWriter& put_slow(std::string_view s) {
    avail_ = 0;
    if (ok_ && out_.append(s.data(), s.size()) != s.size()) ok_ = false;
    return *this;
  }

  Buffer& out_;
  bool ok_;
  char* tail_ = nullptr;
  size_t avail_ = 0;  // free bytes at tail_; 0 once put_slow() was needed
};

// A parsed request head (views into `text`, the head's bytes) as a neutral
// head with room for `extra` more fields. Returns: false if it does not fit.
bool h1_request_to_msg(const http::RequestHead& req, std::string_view text, size_t extra,
                       http::MsgHead& out);
// The same for a response, delimited as `framing` (http::response_framing()).
// An empty `text`: the head is borrowed (MsgHead::init_borrowed()), its views
// stay in the caller's buffer.
bool h1_response_to_msg(const http::ResponseHead& res, const http::BodyFraming& framing,
                        std::string_view text, size_t extra, http::MsgHead& out);

// How the payload after a written head is framed on the wire.
enum class H1Framing : uint8_t { kRaw, kChunked };

struct H1Written {
  H1Framing framing = H1Framing::kRaw;
  bool close = false;  // the connection must end after this message
};

// Writes a request head toward a server. Returns: false if it did not fit
// (`out` is then as before).
bool h1_write_request(const http::MsgHead& head, Buffer& out, H1Written* how);
// Writes a response head toward a client that sent an HTTP/1.<peer_minor>
// request. Returns: false if it did not fit (`out` is then as before).
bool h1_write_response(const http::MsgHead& head, int peer_minor, Buffer& out, H1Written* how);
// Writes the end of a chunked body: the last chunk, the trailers, the blank
// line. Returns: false if it did not fit (`out` is then as before).
bool h1_write_last_chunk(const http::MsgHead* trailers, Buffer& out);
// Parses trailer lines as the chunked decoder kept them into `out`.
// Returns: false if none, or they do not fit.
bool h1_trailers_to_msg(std::string_view lines, http::MsgHead& out);

}  // namespace hearth::mux
