#pragma once
// One direction of a TCP stream forwarded with splice(2): option
// splice-request (client to server), splice-response (server to client),
// splice-auto (both, once the direction streams: a read filled the buffer).
// The bytes go socket -> pipe -> socket without a copy through user space.
// The direction's buffer and its pipe never both hold bytes: the pipe is used
// only once the buffer is empty (bytes that tcp-request rules inspected, for
// instance, leave through the buffer first), and the buffer is not read into
// while the pipe holds bytes, so the order of the bytes is kept.
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

  void set_mode(Mode m) { mode_ = m; }
  // Bytes waiting in the pipe.
  size_t pending() const { return pipe_ ? pipe_->data : 0; }
  // Returns: true while the pipe carries the direction (the caller leaves
  // its buffer alone).
  bool active() const { return pipe_ != nullptr; }
  // Returns: true if the pipe has room for more bytes.
  bool has_room() const { return pipe_ && pipe_->data < pipe_->capacity; }
  // A read into the buffer filled it: splice-auto starts splicing.
  void note_full_read() { streaming_ = true; }

  // Moves bytes from `from` through the pipe to `to` when the direction may
  // splice. Returns: false if it did nothing and the buffer path applies;
  // true otherwise, with *in the bytes read (also added to *counter) and
  // *out the bytes written.
  bool pump(mux::StreamConnector* from, mux::StreamConnector* to, const Buffer& buf,
            uint64_t* counter, size_t* in, size_t* out);
  // Returns the pipe (kept for reuse when empty).
  void release();

 private:
  Mode mode_ = Mode::kOff;
  bool streaming_ = false;
  net::Pipe* pipe_ = nullptr;
};

}  // namespace hearth::stream
