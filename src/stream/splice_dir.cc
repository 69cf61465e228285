#include "stream/splice_dir.h"

#include "mux/mux.h"

namespace hearth::stream {

bool SpliceDir::pump(mux::StreamConnector* from, mux::StreamConnector* to, const Buffer& buf,
                     uint64_t* counter, size_t* in, size_t* out) {
  *in = *out = 0;
  if (!pipe_) {
    if (mode_ == Mode::kOff || (mode_ == Mode::kAuto && !streaming_) || !buf.empty()) return false;
    if (!net::splice_enabled() || !from->mux->can_splice(from) || !to->mux->can_splice(to))
      return false;
    pipe_ = net::get_pipe();
    if (!pipe_) return false;  // maxpipes reached: the buffer carries it
  }
  if (pipe_->data == 0 && !buf.empty()) return false;  // the buffer's bytes go first
  if (!(from->flags & (mux::kScEos | mux::kScError)) && pipe_->data < pipe_->capacity) {
    *in = from->mux->rcv_pipe(from, pipe_, pipe_->capacity - pipe_->data);
    *counter += *in;
  }
  if (pipe_->data && !(to->flags & (mux::kScShutW | mux::kScError)))
    *out = to->mux->snd_pipe(to, pipe_);
  return true;
}

void SpliceDir::release() {
  net::put_pipe(pipe_);
  pipe_ = nullptr;
}

}  // namespace hearth::stream
