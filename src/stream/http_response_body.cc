// HttpStream: waiting for the response payload before the response rules go
// on (http-response wait-for-body time T [at-least N]). As HAProxy 2.6:
// the payload moves into res_.data as it arrives, up to what HAProxy's
// buffer would hold beside the head (tune.bufsize less tune.maxrewrite and
// the head); the rules then read it through res.body & co, and it is
// forwarded first once the head went out. A wait ends once the payload is
// whole, `at-least` bytes are in, that limit is reached, or the server's
// input ended or broke; its deadline, or the server's inactivity, answers
// 504 (sR) and closes the server connection. A response without payload
// (HEAD, 204, 304) never waits. The stream sits in phase kResBody meanwhile,
// subscribed to the server's reads, with its timer armed. Rules that read
// res.body without a wait see what arrived with the head, as HAProxy's.
#include <algorithm>

#include "stream/http_stream.h"
#include "stream/rewrite_budget.h"

namespace hearth::stream {

namespace {
bool reads_body(const std::vector<config::HttpRule>& rules) {
  for (const config::HttpRule& r : rules)
    if (r.action == config::HttpRule::Action::kWaitForBody || r.reads_res_body) return true;
  return false;
}
}  // namespace

bool HttpStream::rules_read_body() const {
  const bool own = fe_->owns(be_);
  return reads_body(bs().response_rules) || reads_body(fe_->http.after_response_rules) ||
         (!own && (reads_body(fe_->http.response_rules) || reads_body(bs().after_response_rules)));
}

void HttpStream::set_response_body(TxnFetch& fetch) const {
  const http::MsgHead& res = res_.head;
  const int64_t declared = res.body == http::BodyKind::kLength ? int64_t(res.length)
                           : res.body == http::BodyKind::kNone ? 0
                                                               : -1;
  const std::string_view data =
      res_.data.empty() ? std::string_view() : std::string_view(res_.data.head(), res_.data.len());
  fetch.set_body(data, declared);
}

size_t HttpStream::response_body_limit() const {
  const size_t reserved = max_rewrite() + head_wire_size(res_.head);
  const size_t size = Buffer::configured_size();
  return size > reserved ? size - reserved : 0;
}

void HttpStream::pull_response_body() {
  const http::BodyKind kind = res_.head.body;
  if (kind == http::BodyKind::kNone || kind == http::BodyKind::kTunnel) {
    res_.data_eom = kind == http::BodyKind::kNone;
    return;
  }
  mux::HttpMux* bm = bmux();
  const size_t limit = response_body_limit();
  while (!res_.data_eom && !res_.data_broken && res_.data.len() < limit) {
    const mux::RxData d = bm->rcv_data(scb());
    if (d.error || d.eof) {
      res_.data_broken = true;  // forward_response_body() reports it
      break;
    }
    size_t n = 0;
    if (!d.data.empty()) {
      if (!res_.data.allocate()) break;
      n = res_.data.append(d.data.data(), std::min(d.data.size(), limit - res_.data.len()));
      bm->consume_data(scb(), n);
    }
    if (d.eom && n == d.data.size()) {
      res_.data_eom = true;
      break;
    }
    if (n == 0 || n < d.data.size()) break;
  }
  res_.data.release_if_empty();
}

bool HttpStream::response_body_ready() const {
  if (res_.data_eom || res_.data_broken) return true;
  const size_t len = res_.data.len();
  if (len >= response_body_limit()) return true;
  return res_an_.at_least > 0 && int64_t(len) >= res_an_.at_least;
}

bool HttpStream::wait_response_body(int64_t timeout, int64_t at_least) {
  if (!res_an_.waiting) res_an_.at_least = at_least;
  pull_response_body();
  if (response_body_ready()) {
    res_an_.waiting = false;
    phase_ = Phase::kExchange;
    return true;
  }
  if (!res_an_.waiting) {
    res_an_.waiting = true;
    res_an_.until = deadline(timeout);
  }
  phase_ = Phase::kResBody;
  return false;
}

// Woken while waiting: more payload, the server's end, or the timer (the
// deadlines are checked by check_timeouts).
void HttpStream::resume_response() {
  const uint64_t before = bmux()->rx_bytes(scb());
  if (run_response_rules()) {
    response_head_sent();
    if (phase_ == Phase::kExchange) exchange();
    return;
  }
  if (phase_ == Phase::kResBody && bmux()->rx_bytes(scb()) != before)
    exp_.srv = deadline(server_timeout());
}

bool HttpStream::forward_pulled_body() {
  if (res_.data.empty()) return false;
  const size_t n = fmux()->snd_data(scf_, std::string_view(res_.data.head(), res_.data.len()));
  res_.data.consume(n);
  res_.data.release_if_empty();
  if (n > 0) sent_to_client();
  return n > 0;
}

}  // namespace hearth::stream
