// HttpStream: payload through kernel pipes (option splice-request,
// splice-response, splice-auto in mode http). A direction splices when its
// mode wants it (splice-auto: once a read filled a buffer), nothing of the
// payload is left in Hearth's buffers (what came with the head, what the
// rules saw, leaves first), no rule needs the bytes (a request whose rules
// waited for or read its payload keeps the buffered path), and both muxes
// allow it: a payload of known length, a close-delimited response or a
// tunnel, over transports that can splice (HttpMux::rx_splice / tx_splice).
// A chunked payload is never spliced. The muxes count the bytes (the log's
// %U / %B) and end the message once the last byte went into the pipe; the
// buffered path then sees the end of the message as usual, so keep-alive and
// the server connection's return to its pool are the same either way.
#include "stream/http_stream.h"

namespace hearth::stream {

void HttpStream::set_splice_modes() {
  const uint8_t bits = fe_->splice | bs().splice;
  splice_req_.set_mode(SpliceDir::mode_for(bits, config::kSpliceRequest));
  splice_res_.set_mode(SpliceDir::mode_for(bits, config::kSpliceResponse));
}

bool HttpStream::splice_request(bool* progress) {
  if (!scb() || req_.done) return false;
  // The head went to the server and every buffered payload byte after it.
  const bool may_start =
      !splice_req_.active() && req_.head_sent && !req_.body_seen && req_.sent == req_.data.len();
  size_t in = 0, out = 0;
  const bool carried = splice_req_.pump_payload(scf_, scb(), may_start, &in, &out);
  if (in || out) {
    *progress = true;
    // Spliced bytes are gone: the request can no longer be replayed.
    req_.replayable = false;
    req_.data.consume(req_.sent);
    req_.sent = 0;
    req_.data.release_if_empty();
  }
  count_spliced(in, out, true);
  if (in) exp_.cli = deadline(fe_->timeouts.client);
  if (out) sent_to_server();
  return carried;
}

bool HttpStream::splice_response(bool* progress) {
  if (res_.done) return false;
  mux::HttpMux* fm = fmux();
  // The head waits in the client's mux for the first payload bytes: it leaves
  // alone when the payload is to go through the pipe.
  if (!splice_res_.active() && splice_res_.wanted() && fm->tx_blocked(scf_) &&
      bmux()->rx_splice(scb()) > 0) {
    fm->flush(scf_);
    if (fm->tx_blocked(scf_)) return false;
  }
  size_t in = 0, out = 0;
  const bool carried = splice_res_.pump_payload(scb(), scf_, res_.head_done, &in, &out);
  count_spliced(in, out, false);
  if (in || out) *progress = true;
  if (out) sent_to_client();
  return carried;
}

bool HttpStream::splice_tunnel(SpliceDir& sp, mux::StreamConnector* from, mux::StreamConnector* to,
                               bool* progress) {
  size_t in = 0, out = 0;
  const bool carried = sp.pump_payload(from, to, true, &in, &out);
  count_spliced(in, out, from == scf_);
  if (in || out) *progress = true;
  return carried;
}

// The h1_spliced_bytes_* counters: a request's payload comes in on the
// client's connection and goes out on the server's, a response's the other way.
void HttpStream::count_spliced(size_t in, size_t out, bool request) {
  if (!in && !out) return;
  FrontendTallies& f = fe_->counters.local();
  backend::BackendTallies* b = be_ ? &be_->counters.local() : nullptr;
  if (request) {
    f.spliced_in.add(in);
    if (b) b->spliced_out.add(out);
  } else {
    f.spliced_out.add(out);
    if (b) b->spliced_in.add(in);
  }
}

}  // namespace hearth::stream
