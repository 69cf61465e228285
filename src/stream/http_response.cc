// HttpStream's response analysers: response heads (interim ones forwarded as
// they come), the response rules, the payload and the server's early close.
#include "backend/conn_evidence.h"
#include "net/connection.h"
#include "net/tls_transport.h"
#include "stream/abort_counts.h"
#include "stream/access_log.h"
#include "stream/http_rules.h"
#include "stream/http_stream.h"
#include "stream/rewrite_budget.h"
#include "stream/sample_fetch.h"
#include "stream/session_log.h"
#include "stream/stick_counters.h"

namespace hearth::stream {

namespace {
struct StatusRetry {
  int status;
  uint32_t bit;
};
constexpr StatusRetry kStatusRetry[] = {{404, config::kRetry404}, {408, config::kRetry408},
                                        {425, config::kRetry425}, {500, config::kRetry500},
                                        {501, config::kRetry501}, {502, config::kRetry502},
                                        {503, config::kRetry503}, {504, config::kRetry504}};
constexpr uint32_t kStatusRetryBits = [] {
  uint32_t bits = 0;
  for (const StatusRetry& sr : kStatusRetry) bits |= sr.bit;
  return bits;
}();
}  // namespace

bool HttpStream::read_response() {
  if (!scb() || res_.done) return false;
  mux::HttpMux* bm = bmux();
  const uint64_t before = bm->rx_bytes(scb());
  // What the client's mux still holds (an interim head) goes first. Progress
  // is bytes written, not an empty buffer (a client that reads nothing must
  // not keep this loop going).
  mux::HttpMux* fm = fmux();
  bool progress = false;
  if (fm->tx_blocked(scf_)) {
    const uint64_t sent = fm->tx_bytes(scf_);
    fm->flush(scf_);
    progress = fm->tx_bytes(scf_) != sent;
  }
  // The next head is taken only once the previous one (an interim 1xx) left
  // the client's mux: a run of interim heads must not pile up there.
  while (!res_.head_done && phase_ == Phase::kExchange && !fm->tx_blocked(scf_)) {
    if (!take_response_head()) break;
    progress = true;
  }
  if (phase_ != Phase::kExchange) return false;
  if (res_.head_done) progress |= forward_response_body();
  if (phase_ != Phase::kExchange) return false;  // bm may be gone
  if (bm->rx_bytes(scb()) != before) {
    progress = true;
    exp_.srv = deadline(server_timeout());
  }
  return progress && phase_ == Phase::kExchange;
}

// Takes one response head from the server's mux. Interim (1xx) heads are
// forwarded and the caller goes on. Returns: true if a head was taken.
bool HttpStream::take_response_head() {
  mux::HttpMux* bm = bmux();
  const bool own = fe_->owns(be_);
  // Cookie persistence may add a Set-Cookie and a Cache-control (insert mode).
  const size_t cookie_fields = bs().cookie.mode == config::CookieConfig::Mode::kInsert ? 2 : 0;
  const size_t extra = cookie_fields + fields_added_by(bs().response_rules) +
                       (own ? 0 : fields_added_by(fe_->http.response_rules)) + fields_added_after();
  // Borrowed: forwarded (or dropped) before this call returns, unless a
  // wait-for-body rule may hold it across wake-ups.
  res_an_.may_wait = rules_read_body();
  const mux::RxHeadResult r = bm->rcv_head(scb(), res_.head, extra, !res_an_.may_wait);
  switch (r.what) {
    case mux::RxHead::kMore:
      return false;
    case mux::RxHead::kEnd:
      on_server_gone();
      return false;
    case mux::RxHead::kError:
      log_.term = "PH";
      if (!r.raw.empty()) capture_invalid(r, /*response=*/true);
      note_passive(backend::PassiveEvent::kHttpHdrRsp);
      if (try_retry(config::kRetryJunkResponse, false)) return false;
      count_failed_response(be_, ss_.server());
      count_stick_event(stick::Event::kHttpFail);
      reply(502, rule_reply_closes());  // the client's connection stays, as in HAProxy
      return false;
    case mux::RxHead::kHead:
      break;
  }
  http::MsgHead& res = res_.head;
  if (res.interim()) {
    note_passive(backend::http_status_event(res.status));
    fmux()->snd_head(scf_, res);  // cannot fail: it fitted in a buffer, the mux's is empty
    res.release();
    fmux()->flush(scf_);
    return true;
  }
  if (bs().retry_on & kStatusRetryBits)
    for (const StatusRetry& sr : kStatusRetry)
      if (res.status == sr.status && try_retry(sr.bit, false)) return false;
  note_passive(backend::http_status_event(res.status));
  const bool tunnel = res.body == http::BodyKind::kTunnel;
  res_.server_keep =
      !tunnel && !(res.flags & http::kMsgClose) && conn_mode() == config::HttpConnMode::kKeepAlive;
  if (res.flags & http::kMsgBindsConnection) scb()->conn->flags |= net::kConnPrivate;
  res_.client_close =
      !tunnel && (!req_.client_keepalive || conn_mode() == config::HttpConnMode::kClose ||
                  soft_stopping() || !req_.done);
  if (!fe_->logs.res_caps.empty()) log_.caps.capture_headers(fe_->logs.res_caps, res, true);
  if (fe_->log && fe_->logs.backend_src && scb() && scb()->conn)
    local_log_addr(scb()->conn->fd(), &log_.be_src);
  res_.from_server = true;
  res_.server_status = res.status;
  // The server's status counts for the entries tracked so far, before the
  // response rules (which may track more: those count it as they start).
  count_status(&trk_, session_trackers(), res.status, stick_now());
  // stick store-response, then the keys stored with the server that answered.
  if (!bs().stick_rules.empty() && ss_.server()) {
    TxnFetch fetch = response_fetch();
    stick_response_rules(bs().stick_rules, fetch, &stick_stores_);
    stick_commit(&stick_stores_, *ss_.server(), stick_now());
  }
  if (!pass_tcp_response() || !run_response_rules()) return false;
  response_head_sent();
  return true;
}

void HttpStream::response_head_sent() {
  http::MsgHead& res = res_.head;
  const bool tunnel = res.body == http::BodyKind::kTunnel;
  log_.status = res.status;
  log_.res_head_ms = now();
  res_.head_done = true;
  if (fe_->log && !log_.skip && fe_->logs.fmt && !fe_->logs.waits_for_end) {
    // option logasap (or a format with nothing known only at the end): the
    // line goes now, as HAProxy writes it after the response analysis; the
    // bytes sent to the client are the head's so far.
    log_.bytes_out = head_wire_size(res);
    log_.bytes_in = fmux()->rx_bytes(scf_);
    log_end();
    log_.logged = true;
  }
  res.release();
  if (ss_.reused()) backend::note_reuse_answered(*ss_.server(), ss_.idle_ms(), now());
  // The response has begun: a replay is no longer possible.
  req_.replayable = false;
  if (req_.sent > 0) {
    req_.data.consume(req_.sent);
    req_.sent = 0;
  }
  if (tunnel) {
    phase_ = Phase::kTunnel;
    exp_.tun = deadline(tunnel_timeout() ? tunnel_timeout() : fe_->timeouts.client);
  }
}

// Response rules in order (the backend's, then the frontend's), then the
// http-after-response rules, then the head to the client's mux (sent with
// the first payload bytes). A wait-for-body rule may stop the analysis in
// phase kResBody; it resumes at the rule after it (res_an_). Returns: false
// if the stream waits, or answered instead: a deny, return or redirect
// rule, a failed rewrite (500), or a head that does not fit (502).
bool HttpStream::run_response_rules() {
  using Stage = ResponseAnalysis::Stage;
  http::MsgHead& res = res_.head;
  bool full = false;
  if (!res_an_.started) {
    res_an_.started = true;
    if (!bs().response_rules.empty() || !fe_->http.response_rules.empty())
      res_an_.wire0 = head_wire_size(res);       // before any rule
    if (res_an_.may_wait) pull_response_body();  // res.body: the payload at hand
  }
  if (res_an_.waiting && !wait_response_body(0, 0)) return false;
  while (res_an_.stage != Stage::kFinish && !full) {
    const bool backend = res_an_.stage == Stage::kBackend;
    if (!backend && fe_->owns(be_)) break;
    const auto& rules = backend ? bs().response_rules : fe_->http.response_rules;
    TxnFetch fetch = response_fetch();
    const config::HttpRule* r = eval_http_rules(rules, res, &full, fetch, &res_an_.rules);
    if (r && r->action == config::HttpRule::Action::kWaitForBody && !full) {
      if (!wait_response_body(r->wait_ms, r->at_least)) return false;
      continue;  // the same list, from the rule after the wait
    }
    if (r && !full) {
      // The server's payload is not forwarded: its connection closes.
      req_.client_keepalive = req_.client_keepalive && req_.done;
      res_.data.release();
      answer_by_rule(*r, fetch);
      return false;
    }
    res_an_.stage = backend ? Stage::kFrontend : Stage::kFinish;
    res_an_.rules = RuleCursor{};
  }
  res_an_.stage = Stage::kFinish;
  // The persistence cookie, after the response rules (HAProxy's order).
  if (!full && !cookie_response(*be_, fe_->logs.cookie_cap, ss_.server(), req_.head.method, res,
                                wall_clock_ms() / 1000, &ck_))
    full = true;
  if (full || !run_after_response_rules(res)) {
    log_.term = "PH";  // a failed rewrite: an internal error, as HAProxy's strict mode
    res.release();
    res_.data.release();
    res_.after_rules_done = true;
    reply(500, true);
    return false;
  }
  res.flags &= uint16_t(~http::kMsgClose);
  if (res_.client_close) res.flags |= http::kMsgClose;
  if (fmux()->snd_head(scf_, res)) return true;
  log_.term = "PH";
  log_.status = res.status;
  res.release();
  res_.data.release();
  reply(502, true);
  return false;
}

// A fetch over the response as it stands: its head, the payload pulled in
// so far, the transaction's variables and captures.
TxnFetch HttpStream::response_fetch() {
  http::MsgHead& res = res_.head;
  TxnFetch fetch(expr::kUseConn | expr::kUseRes | expr::kUseResBody, scf_->conn, fe_, be_,
                 &req_.head, &res);
  fetch.set_vars(&vars_, session());
  fetch.set_stream_trackers(&trk_);
  fetch.set_track_counts(false, res.status);  // a tracker starting here counts the status
  fetch.set_captures(&log_.caps, &log_.unique_id, log_.has_unique_id);
  fetch.set_log_level(&log_.level);
  fetch.set_last_rule(&log_.last_rule);
  fetch.set_server(ss_.server());
  fetch.set_server_conn(scb() ? scb()->conn : nullptr);
  fetch.set_server_error(&ss_.conn_error());
  fetch.set_timeouts(&tmo_);
  fetch.set_priority(&prio_);
  fetch.set_profile(&prof_);
  fetch.set_log_record(&HttpStream::rule_log_record, this);
  // The payload that arrived with the head shares HAProxy's buffer with it
  // (measured only when there are rules to bound).
  if (!bs().response_rules.empty() || !fe_->http.response_rules.empty()) {
    const uint64_t rx = bmux()->rx_bytes(scb());
    const size_t wire0 = res_an_.wire0;
    fetch.set_rewrite_limit(rewrite_limit(wire0, rx > wire0 ? rx - wire0 : 0));
  }
  set_response_body(fetch);
  return fetch;
}

// How many fields the http-after-response rules of this transaction may add.
size_t HttpStream::fields_added_after() const {
  size_t n = fields_added_by(fe_->http.after_response_rules);
  if (be_ && !fe_->owns(be_)) n += fields_added_by(bs().after_response_rules);
  return n;
}

// http-after-response rules on `res` (the server's response or a local
// reply): the backend's, then the frontend's. Returns: false if a rewrite
// failed in strict mode.
bool HttpStream::run_after_response_rules(http::MsgHead& res) {
  res_.after_rules_done = true;
  const bool backend_rules = be_ && !fe_->owns(be_) && !bs().after_response_rules.empty();
  if (!backend_rules && fe_->http.after_response_rules.empty()) return true;
  bool full = false;
  TxnFetch fetch(expr::kUseConn | expr::kUseRes | expr::kUseResBody, scf_->conn, fe_, be_,
                 &req_.head, &res);
  fetch.set_vars(&vars_, session());
  fetch.set_stream_trackers(&trk_);
  fetch.set_captures(&log_.caps, &log_.unique_id, log_.has_unique_id);
  fetch.set_server(ss_.server());
  fetch.set_timeouts(&tmo_);
  fetch.set_log_record(&HttpStream::rule_log_record, this);
  set_response_body(fetch);
  if (backend_rules) eval_http_rules(bs().after_response_rules, res, &full, fetch);
  if (!full) eval_http_rules(fe_->http.after_response_rules, res, &full, fetch);
  return !full;
}

// The server closed (or failed) before a whole head. Before any response byte
// on a reused connection this is the keep-alive race: replay if safe.
// Anything else is an error toward the client.
void HttpStream::on_server_gone() {
  if (bmux()->rx_bytes(scb()) == 0) {
    // A reused connection that died before any response byte was closed by
    // the server after ~idle_ms() of idleness, or after its served_before()th
    // request, or for no reason the estimators know: the same evidence as a
    // close noticed while idle, and the only kind a busy client produces (its
    // requests keep finding connections before their FIN does).
    const bool reused = ss_.reused();
    // A TLS 1.3 server that refused our handshake once we had finished it
    // (our client certificate, say): it read nothing, so as HAProxy this is
    // a connect failure (503 SC, retried like one), whatever the method.
    if (!reused && scb() && scb()->conn && net::tls_refused_after_handshake(scb()->conn)) {
      const bool replay = req_.replayable;
      if (replay) rewind_for_resend();
      return on_server(ss_.refused_after_connect(replay, now()));
    }
    if (reused)
      backend::note_conn_death(*ss_.server(), ss_.served_before(), ss_.idle_ms(),
                               /*in_flight=*/true, now());
    if (reused && try_retry(0, /*reused_race=*/true)) return;
    if (!reused && try_retry(config::kRetryEmptyResponse, false)) return;
  }
  log_.term = "SH";
  count_stick_event(stick::Event::kHttpFail);
  const bool error = scb() && scb()->conn && (scb()->conn->flags & net::kConnError);
  note_passive(error ? backend::PassiveEvent::kHttpReadError
                     : backend::PassiveEvent::kHttpBrokenPipe);
  // HAProxy 2.6 leaves the client's connection open without a word here,
  // then drops it when the next request comes (seen side by side): that
  // request would fail, a POST past any retry. Hearth says it closes.
  reply(502, true);
}

void HttpStream::note_passive(backend::PassiveEvent e) {
  if (backend::Server* s = ss_.server()) backend::note_passive(*s, e);
}

// Moves response payload from the server's mux to the client's, as much as
// the client's takes, then the end of the message. Returns: progress.
bool HttpStream::forward_response_body() {
  mux::HttpMux* bm = bmux();
  mux::HttpMux* fm = fmux();
  bool progress = forward_pulled_body();
  if (!res_.data.empty()) {
    fm->flush(scf_);
    return progress;
  }
  for (;;) {
    if (splice_response(&progress)) return progress;
    const mux::RxData d = bm->rcv_data(scb());
    if (d.data.size() >= Buffer::configured_size()) splice_res_.note_full_read();
    if (d.error || d.eof) {
      // Invalid framing, or a payload cut short: the client must see the
      // connection end.
      if (d.error) note_passive(backend::PassiveEvent::kHttpRsp);
      log_.term = "SD";
      abort_all();
      return false;
    }
    size_t n = 0;
    if (!d.data.empty()) {
      n = fm->snd_data(scf_, d.data);
      bm->consume_data(scb(), n);
      splice_res_.note_buffered(n, Buffer::configured_size());
      progress |= n > 0;
    }
    if (d.eom && n == d.data.size()) {
      if (!res_.trailers.ready() && !bm->rcv_trailers(scb(), res_.trailers))
        res_.trailers.release();
      const http::MsgHead* trailers = res_.trailers.ready() ? &res_.trailers : nullptr;
      if (!fm->snd_eom(scf_, trailers)) break;
      res_.done = true;
      res_.head.release();
      res_.trailers.release();
      // A payload delimited by the close leaves nothing to reuse.
      res_.server_closed_silently = res_.server_keep && (scb()->flags & kEnd);
      if (bm->has_input(scb()) || (scb()->flags & kEnd)) res_.server_keep = false;
      return true;
    }
    if (n == 0 || n < d.data.size()) break;
  }
  fm->flush(scf_);
  if (progress) sent_to_client();
  return progress;
}

}  // namespace hearth::stream
