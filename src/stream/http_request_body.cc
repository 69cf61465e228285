// HttpStream: waiting for the request payload before the request rules go
// on (option http-buffer-request, http-request wait-for-body). The payload
// moves into req_.data as it arrives, never beyond that buffer (tune.bufsize);
// the rules then read it through req.body & co. A wait ends once the payload
// is whole, `at-least` bytes are in, the buffer is full, or the client's
// input ended (the exchange then sees the abort); its deadline, or the
// client's inactivity, answers 408 (cR), as HAProxy. The event loop is never
// blocked: the stream sits in phase kReqBody, subscribed to the client's
// reads, with its timer armed.
#include "stream/http_stream.h"

namespace hearth::stream {

bool HttpStream::body_ready(int64_t at_least) const {
  if (req_.done || (scf_->flags & kEnd)) return true;
  if (req_.data.allocated() && req_.data.room() == 0) return true;
  return at_least > 0 && int64_t(req_.data.len()) >= at_least;
}

bool HttpStream::wait_body(int64_t timeout, int64_t at_least) {
  req_.body_seen = true;
  if (!req_an_.waiting) req_an_.at_least = at_least;
  read_request_body();
  if (phase_ == Phase::kDone || phase_ == Phase::kLocalReply) return false;
  if (body_ready(req_an_.at_least)) {
    if (req_an_.waiting) log_.req_ready_ms = now();
    req_an_.waiting = false;
    phase_ = Phase::kReqHead;
    return true;
  }
  if (!req_an_.waiting) {
    req_an_.waiting = true;
    req_an_.until = deadline(timeout);
    exp_.cli = deadline(fe_->timeouts.client);
    log_.req_ready_ms = -1;
    send_continue();
    if (phase_ == Phase::kDone || phase_ == Phase::kLocalReply) return false;
  }
  phase_ = Phase::kReqBody;
  return false;
}

// Woken while waiting: more payload, the client's end, or the timer (the
// deadlines are checked by check_timeouts).
void HttpStream::resume_request() {
  const size_t before = req_.data.len();
  if (analyse_request()) return to_server();
  if (phase_ == Phase::kReqBody && req_.data.len() != before)
    exp_.cli = deadline(fe_->timeouts.client);
}

// A client that asked "Expect: 100-continue" sends its payload only once
// told to: Hearth answers the interim 100 itself before waiting for it, and
// drops the field so that the server does not answer it again (as HAProxy).
void HttpStream::send_continue() {
  http::MsgHead& req = req_.head;
  if (!(req.flags & http::kMsgExpectContinue)) return;
  req.flags &= uint16_t(~http::kMsgExpectContinue);
  req.fields().del("expect");
  http::MsgHead& h = res_.head;
  if (!h.init(0)) return;
  h.status = 100;
  h.reason = "Continue";
  h.version_major = 1;
  h.version_minor = 1;
  fmux()->snd_head(scf_, h);  // an empty buffer takes a head this small
  h.release();
  fmux()->flush(scf_);
}

}  // namespace hearth::stream
