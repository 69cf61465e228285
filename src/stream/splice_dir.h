#pragma once
// One direction of a stream forwarded with splice(2): option splice-request
// (client to server), splice-response (server to client), splice-auto (both,
// once the direction streams: a read filled the buffer). The bytes go
// socket -> pipe -> socket without a copy through user space.
//
// TCP (pump): the direction's buffer and its pipe never both hold bytes: the
// pipe is used only once the buffer is empty (bytes that tcp-request rules
// inspected, for instance, leave through the buffer first), and the buffer is
// not read into while the pipe holds bytes, so the order of the bytes is kept.
// HTTP (pump_payload): the same order, with the HTTP muxes saying when their
// payload may go through a pipe (HttpMux::rx_splice / tx_splice).
#include <cstddef>
#include <cstdint>

#include "core/buffer.h"
#include "mux/stream_connector.h"
#include "net/pipe_pool.h"

namespace hearth::stream {

class SpliceDir {
 public:
  enum class Mode : uint8_t { kOff, kOn, kAuto };

  SpliceDir() = default;
  SpliceDir(const SpliceDir&) = delete;
  SpliceDir& operator=(const SpliceDir&) = delete;
  ~SpliceDir() { release(); }

  // The mode of direction `dir` (config::kSpliceRequest or kSpliceResponse)
  // under the config::SpliceBits `bits` of the frontend and the backend.
  static Mode mode_for(uint8_t bits, uint8_t dir);
  void set_mode(Mode m) { mode_ = m; }
  // Bytes waiting in the pipe.
  size_t pending() const { return pipe_ ? pipe_->data : 0; }
  // Returns: true while the pipe carries the direction (the caller leaves
  // its buffer alone).
  bool active() const { return pipe_ != nullptr; }
  // Returns: true if the pipe has room for more bytes.
  bool has_room() const { return pipe_ && pipe_->data < pipe_->capacity; }
  // Returns: false only while a full pipe carries the direction: its sender
  // is held back, as by a full buffer.
  bool may_read() const { return !pipe_ || has_room(); }
  // A read into the buffer filled it: splice-auto starts splicing.
  void note_full_read() { streaming_ = true; }
  // HTTP: `n` payload bytes went through a buffer of `size` in one run. A
  // full buffer, or kStreamBuffers buffers' worth of this direction's
  // payload (reads that rarely fill a buffer, from a fast peer drained as
  // fast), make the direction a stream (splice-auto).
  void note_buffered(size_t n, size_t size) {
    buffered_ += n;
    if (n >= size || buffered_ >= kStreamBuffers * size) streaming_ = true;
  }
  // Returns: true if the mode asks for a pipe now (splice-request or
  // splice-response, or splice-auto once the direction streams).
  bool wanted() const { return mode_ == Mode::kOn || (mode_ == Mode::kAuto && streaming_); }

  // Moves bytes from `from` through the pipe to `to` when the direction may
  // splice. Returns: false if it did nothing and the buffer path applies;
  // true otherwise, with *in the bytes read (also added to *counter) and
  // *out the bytes written.
  bool pump(mux::StreamConnector* from, mux::StreamConnector* to, const Buffer& buf,
            uint64_t* counter, size_t* in, size_t* out);
  // HTTP payload: moves bytes from `from` through the pipe to `to` while the
  // receiving mux has payload it lets go through a pipe. A pipe is taken only
  // when the mode wants one, `may_start` (the caller's buffer is empty and
  // nothing needs to see the bytes) and both muxes can splice now. The pipe
  // is given back once it is empty and the payload (or its input) ended.
  // Returns: true while the pipe carries the payload (the caller's buffered
  // path must not read), with *in / *out the bytes read / written.
  bool pump_payload(mux::StreamConnector* from, mux::StreamConnector* to, bool may_start,
                    size_t* in, size_t* out);
  // Returns the pipe (kept for reuse when empty).
  void release();

 private:
  // Takes a pipe if the mode wants one now. Returns: false if none.
  bool take_pipe(mux::StreamConnector* from, mux::StreamConnector* to);
  // One round: from's socket into the pipe (as much as it has room for), the
  // pipe to to's socket.
  void move(mux::StreamConnector* from, mux::StreamConnector* to, size_t* in, size_t* out);

  static constexpr size_t kStreamBuffers = 4;

  Mode mode_ = Mode::kOff;
  bool streaming_ = false;
  uint64_t buffered_ = 0;  // payload bytes note_buffered() saw
  net::Pipe* pipe_ = nullptr;
};

}  // namespace hearth::stream
