#include "stream/splice_dir.h"

#include "config/enums.h"
#include "mux/http_mux.h"

namespace hearth::stream {

SpliceDir::Mode SpliceDir::mode_for(uint8_t bits, uint8_t dir) {
  return (bits & dir) ? Mode::kOn : (bits & config::kSpliceAuto) ? Mode::kAuto : Mode::kOff;
}

bool SpliceDir::take_pipe(mux::StreamConnector* from, mux::StreamConnector* to) {
  if (!wanted() || !net::splice_enabled() || !from->mux->can_splice(from) ||
      !to->mux->can_splice(to))
    return false;
  pipe_ = net::get_pipe();
  return pipe_ != nullptr;  // none (maxpipes reached): the buffer carries it
}

void SpliceDir::move(mux::StreamConnector* from, mux::StreamConnector* to, size_t* in,
                     size_t* out) {
  *in = *out = 0;
  if (!(from->flags & (mux::kScEos | mux::kScError)) && pipe_->data < pipe_->capacity)
    *in = from->mux->rcv_pipe(from, pipe_, pipe_->capacity - pipe_->data);
  if (pipe_->data && !(to->flags & (mux::kScShutW | mux::kScError)))
    *out = to->mux->snd_pipe(to, pipe_);
}

bool SpliceDir::pump(mux::StreamConnector* from, mux::StreamConnector* to, const Buffer& buf,
                     uint64_t* counter, size_t* in, size_t* out) {
  *in = *out = 0;
  if (!pipe_ && (!buf.empty() || !take_pipe(from, to))) return false;
  if (pipe_->data == 0 && !buf.empty()) return false;  // the buffer's bytes go first
  move(from, to, in, out);
  *counter += *in;
  return true;
}

bool SpliceDir::pump_payload(mux::StreamConnector* from, mux::StreamConnector* to, bool may_start,
                             size_t* in, size_t* out) {
  *in = *out = 0;
  mux::HttpMux* rx = mux::http_mux(from);
  if (!pipe_) {
    if (!may_start || rx->rx_splice(from) == 0 || !mux::http_mux(to)->tx_splice(to)) return false;
    if (!take_pipe(from, to)) return false;
  }
  move(from, to, in, out);
  if (pipe_->data > 0 || rx->rx_splice(from) > 0) return true;
  release();  // the payload (or its input) ended: the buffered path finishes the message
  return false;
}

void SpliceDir::release() {
  net::put_pipe(pipe_);
  pipe_ = nullptr;
}

}  // namespace hearth::stream
