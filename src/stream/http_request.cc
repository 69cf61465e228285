// HttpStream's request analysers: the request head, the rules in order,
// content switching, the request payload and sending the request.
#include "core/buffer.h"
#include "expr/condition.h"
#include "net/connection.h"
#include "net/socket.h"
#include "stream/error_capture.h"
#include "stream/http_rules.h"
#include "stream/http_stream.h"
#include "stream/rewrite_budget.h"
#include "stream/sample_fetch.h"
#include "stream/session.h"
#include "stream/session_log.h"
#include "stream/stick_counters.h"
#include "stream/tcp_rules.h"

namespace hearth::stream {

namespace {
// Fields Hearth itself may add to a request (x-forwarded-for,
// x-original-to, unique-id-header).
constexpr size_t kOwnFields = 3;
}  // namespace

void HttpStream::capture_invalid(const mux::RxHeadResult& r, bool response) {
  ErrorCapture c;
  c.when_ms = wall_clock_ms();
  c.response = response;
  backend::Server* srv = ss_.server();
  if (response && be_) {
    c.proxy = be_->name();
    c.proxy_id = be_->id;
    c.other_proxy = fe_->name;
    c.other_id = fe_->id;
  } else {
    c.proxy = fe_->name;
    c.proxy_id = fe_->id;
  }
  if (response && srv) {
    c.server = srv->name;
    c.server_id = srv->puid;
  }
  c.src = session()->client_addr(scf_->conn).str();
  c.data.assign(r.raw.data(), r.raw.size());
  c.buffer_size = detail::g_buffer_size;
  c.error_at = r.error_at;
  c.reason = r.reason;
  c.status = r.status;
  capture_error(std::move(c));
}

void HttpStream::read_request_head() {
  mux::HttpMux* fm = fmux();
  // Room for every field the frontend's rules may add; the backend's are
  // reserved once it is known.
  const mux::RxHeadResult r =
      fm->rcv_head(scf_, req_.head, fields_added_by(fe_->http.request_rules) + kOwnFields,
                   /*borrow=*/false);
  if (log_.req_first_ms < 0 && (fm->has_input(scf_) || fm->rx_bytes(scf_) > 0))
    log_.req_first_ms = now();
  switch (r.what) {
    case mux::RxHead::kMore:
      return;
    case mux::RxHead::kEnd:
      log_.term = "CR";
      return abort_all();  // the client left before sending a whole request
    case mux::RxHead::kError:
      fe_->counters.local().http_requests.add();
      fe_->count(&FrontendTallies::req_errors, bind_ctrs_);
      log_.term = "PR";
      res_.after_rules_done = true;  // the mux's own error: no http-after-response (HAProxy)
      capture_invalid(r, /*response=*/false);
      return reply_mux_error(r.status);
    case mux::RxHead::kHead:
      break;
  }
  FrontendTallies& fe = fe_->counters.local();
  fe.http_requests.add();
  fe.req_rate.add(now(), fe_->counters.req_rate_max);
  log_.head_ms = log_.req_ready_ms = now();
  http::MsgHead& req = req_.head;
  // "METHOD TARGET" as received, for capture.req.* (the views are into the
  // head's own text, the target after the method).
  if (req.target.data() > req.method_str.data() && !req.method_str.empty())
    req.received =
        std::string_view(req.method_str.data(),
                         size_t(req.target.data() + req.target.size() - req.method_str.data()));
  if ((fe_->log && fe_->logs.request_line) ||
      (fe_->logs.unique_id && fe_->logs.unique_id->uses_request_line()))
    log_.req_line =
        capture_request_line(req.method_str, req.target, req.version_major, req.version_minor);
  // As HAProxy: captures see the request as the client sent it, before any rule.
  if (!fe_->logs.req_caps.empty()) log_.caps.capture_headers(fe_->logs.req_caps, req, false);
  make_unique_id();
  req_.method = req.method;
  req_.idempotent = http::is_idempotent(req.method);
  req_.client_keepalive = !(req.flags & http::kMsgClose);
  if (answer_monitor()) return;
  // As HAProxy, decided on the request as received (before any rule).
  use_px_conn_ = fe_->http.use_proxy_header && !req.target.empty() && req.target[0] != '/' &&
                 req.target[0] != '*';
  if (!fe_->tcp.content.empty() && !pass_tcp_content(fe_->tcp.content, nullptr)) return;
  // The request counts for the entries tracked so far (the session's and the
  // tcp-request content rules'); http-request track-sc counts it as it starts.
  count_tracked(&trk_, session_trackers(), stick::Event::kHttpReq, stick_now());
  if (analyse_request()) to_server();
}

// The request was analysed: what arrived of its payload is taken, and the
// server side starts.
void HttpStream::to_server() {
  read_request_body();
  if (phase_ == Phase::kDone || phase_ == Phase::kLocalReply) return;
  assign_server();
}

// monitor-uri: a request for it is answered at once, before any rule, and
// not logged: 200, or 503 when a "monitor fail" condition holds. A URI that
// starts with '/' is compared with the path and query (an absolute URI's
// too), else with the whole target, exactly (as HAProxy 2.6: "/health?x"
// is not "/health"). Returns: true if it answered.
bool HttpStream::answer_monitor() {
  const std::string& uri = fe_->http.monitor_uri;
  if (uri.empty()) return false;
  std::string_view t = req_.head.target;
  if (uri[0] == '/') {
    const size_t scheme = t.find("://");
    if (!t.empty() && t[0] != '/' && scheme != std::string_view::npos) {
      const size_t slash = t.find('/', scheme + 3);
      t = slash == std::string_view::npos ? std::string_view() : t.substr(slash);
    }
  }
  if (t != uri) return false;
  TxnFetch fetch(expr::kUseConn | expr::kUseReq, scf_->conn, fe_, nullptr, &req_.head, nullptr);
  fetch.set_vars(&vars_, session());
  bool fail = false;
  for (const auto& c : fe_->http.monitor_fail) fail = fail || expr::eval_condition(*c, fetch);
  log_.skip = true;
  reply(fail ? 503 : 200, !req_.client_keepalive);
  return true;
}

// One stage's rules (the frontend's or the backend's), after its option
// http-buffer-request, waiting for the payload where a wait-for-body rule
// says. Returns: false if the stream waits or answered; true once the list
// ran, with *final_rule and *full as eval_http_rules() leaves them.
bool HttpStream::run_stage(const std::vector<config::HttpRule>& rules,
                           const std::vector<config::HttpRule>& redirects, bool buffer,
                           config::HdrNamePolicy names, const config::HttpRule** final_rule,
                           bool* full) {
  if (!req_an_.wire0) req_an_.wire0 = head_wire_size(req_.head);  // before any rule
  if (!req_an_.buffered) {
    req_an_.buffered = true;
    // The rules see the payload that came with the head, as HAProxy's.
    read_request_body();
    if (phase_ == Phase::kDone || phase_ == Phase::kLocalReply) return false;
    if (buffer && !wait_body(fe_->timeouts.http_request, 0)) return false;
  }
  for (;;) {
    TxnFetch fetch = request_fetch();
    *final_rule = eval_http_rules(rules, req_.head, full, fetch, &req_an_.rules);
    if (!*final_rule || (*final_rule)->action != config::HttpRule::Action::kWaitForBody) {
      if (!*final_rule && !*full && !restrict_header_names(names, req_.head)) {
        // As HAProxy: a denied request, with the proxy's 403 message.
        fe_->count(&FrontendTallies::denied_req, bind_ctrs_);
        log_.term = "PR";
        reply(403, rule_reply_closes());
        return false;
      }
      // The legacy redirect rules follow the http-request rules (even after
      // an allow), as in HAProxy.
      if (!*final_rule && !*full) *final_rule = eval_http_rules(redirects, req_.head, full, fetch);
      return true;
    }
    if (!wait_body((*final_rule)->wait_ms, (*final_rule)->at_least)) return false;
  }
}

// A fetch over the request as it stands: its head, the payload received so
// far, the transaction's variables and captures.
TxnFetch HttpStream::request_fetch() {
  const http::MsgHead& req = req_.head;
  TxnFetch fetch(expr::kUseConn | expr::kUseReq, scf_->conn, fe_, be_, &req, nullptr);
  fetch.set_vars(&vars_, session());
  fetch.set_stream_trackers(&trk_);
  fetch.set_track_counts(true, 0);  // a tracker starting here counts this request
  fetch.set_captures(&log_.caps, &log_.unique_id, log_.has_unique_id, &log_.id_read);
  fetch.set_log_level(&log_.level);
  fetch.set_last_rule(&log_.last_rule);
  fetch.set_l7_retry_off(&req_.l7_retry_off);
  fetch.set_timeouts(&tmo_);
  fetch.set_priority(&prio_);
  fetch.set_profile(&prof_);
  fetch.set_log_record(&HttpStream::rule_log_record, this);
  if (req_an_.wire0) fetch.set_rewrite_limit(rewrite_limit(req_an_.wire0, req_.data.len()));
  // As HAProxy, only an HTTP/1.1 client gets 103 Early Hints.
  if (req.version_major == 1 && req.version_minor >= 1) fetch.set_early_hints(&hints_);
  fetch.set_proxy_auth(use_px_conn_);
  const int64_t declared = req.body == http::BodyKind::kLength ? int64_t(req.length)
                           : req.body == http::BodyKind::kNone ? 0
                                                               : -1;
  fetch.set_body(std::string_view(req_.data.head(), req_.data.len()), declared, &req_.body_seen);
  return fetch;
}

// Request rules in order (the frontend's, content switching, the backend's),
// then what Hearth adds. A stage may first wait for the payload (option
// http-buffer-request, a wait-for-body rule): the analysis then stops in
// phase kReqBody and resumes where it stood (req_an_). Returns: true if the
// request goes on to a server; false if the stream answered by itself (deny,
// return, no backend, a head too large) or waits.
bool HttpStream::analyse_request() {
  using Stage = RequestAnalysis::Stage;
  http::MsgHead& req = req_.head;
  bool full = false;
  const config::HttpRule* final_rule = nullptr;
  if (req_an_.waiting && !wait_body(0, 0)) return false;
  while (req_an_.stage != Stage::kFinish && !final_rule && !full) {
    switch (req_an_.stage) {
      case Stage::kFrontend:
        if (!run_stage(fe_->http.request_rules, fe_->http.redirect_rules, fe_->http.buffer_request,
                       fe_->http.restrict_hdr_names, &final_rule, &full))
          return false;
        if (!final_rule && !full) req_an_.stage = Stage::kFrontendStats;
        break;
      case Stage::kFrontendStats:  // after the rules, as HAProxy: a deny still blocks it
        if (stats_wanted(fe_->http.stats.get())) {
          answer_stats(*fe_->http.stats, false);
          return false;
        }
        req_an_.stage = Stage::kSwitch;
        break;
      case Stage::kSwitch: {
        TxnFetch fetch = request_fetch();
        be_ = fe_->select_backend(fetch);
        be_hold_.reset(be_);
        if (be_) be_->counters.local().http_requests.add();
        if (!be_) {  // as HAProxy: no use_backend matched and no default_backend
          log_.term = "SC";
          reply(503, rule_reply_closes());
          return false;
        }
        req_an_.stage = Stage::kFinish;
        if (fe_->owns(be_)) break;
        if (!bs().tcp.content.empty() && !pass_tcp_content(bs().tcp.content, be_)) return false;
        full = !req.reserve_fields(fields_added_by(bs().request_rules));
        {
          const size_t wire0 = req_an_.wire0;  // the budget spans both proxies' rules
          req_an_ = RequestAnalysis{};
          req_an_.wire0 = wire0;
        }
        req_an_.stage = Stage::kBackend;
        break;
      }
      case Stage::kBackend:
        if (!run_stage(bs().request_rules, bs().redirect_rules, bs().buffer_request,
                       bs().restrict_hdr_names, &final_rule, &full))
          return false;
        if (!final_rule && !full) req_an_.stage = Stage::kBackendStats;
        break;
      case Stage::kBackendStats:
        if (stats_wanted(bs().stats.get())) {
          answer_stats(*bs().stats, true);
          return false;
        }
        req_an_.stage = Stage::kFinish;
        break;
      case Stage::kFinish:
        break;
    }
  }
  if (full) {          // the rules' fields or values do not fit beside the head: as
    log_.term = "PR";  // HAProxy's failed rewrite (strict-mode), an internal error
    reply(500, true);
    return false;
  }
  if (final_rule) {
    TxnFetch fetch = request_fetch();
    return answer_by_rule(*final_rule, fetch);
  }
  // balance url_param: a POST's payload may hold the parameter. As HAProxy
  // (check_post or not), the server is chosen once the payload is complete
  // or fills the buffer.
  if (be_ && be_->lb_kind() == config::BalanceAlgo::kUrlParam &&
      req.method == http::Method::kPost && req.body != http::BodyKind::kNone &&
      !wait_body(fe_->timeouts.http_request, 0))
    return false;
  log_.req_rules_done = true;
  if (!add_forward_headers(req)) {
    log_.term = "PR";
    reply(431, true);
    return false;
  }
  std::string_view uid;
  if (log_.has_unique_id && !fe_->logs.unique_id_header.empty() &&
      !(req.keep(log_.unique_id, &uid) && req.fields().add(fe_->logs.unique_id_header, uid))) {
    log_.term = "PR";
    reply(431, true);
    return false;
  }
  // The server connection's fate is this hop's: the client's own wish
  // (req_.client_keepalive) is for the client connection.
  // option http-pretend-keepalive: the server is not told, the connection is
  // still closed after the response (res_.server_keep).
  req.flags &= uint16_t(~http::kMsgClose);
  if (conn_mode() != config::HttpConnMode::kKeepAlive && !(be_ && bs().pretend_keepalive))
    req.flags |= http::kMsgClose;
  return true;
}

// The request's bytes are the mux's by now: the layer 6 fetches see none, and
// the evaluation is final (nothing is waited for).
bool HttpStream::pass_tcp_content(const std::vector<config::TcpRule>& rules,
                                  const backend::Backend* be) {
  TcpFetch fetch(expr::kUseConn | expr::kUseL6Req | expr::kUseReq, scf_->conn, fe_, be, &req_.head);
  fetch.set_vars(&vars_, session());
  fetch.set_stream_trackers(&trk_);
  fetch.set_log_level(&log_.level);
  fetch.set_last_rule(&log_.last_rule);
  fetch.set_captures(&log_.caps, &log_.unique_id, log_.has_unique_id, &log_.id_read);
  fetch.set_priority(&prio_);
  fetch.set_profile(&prof_);
  fetch.set_log_record(&HttpStream::rule_log_record, this);
  const TcpVerdict v = eval_tcp_rules(rules, fetch);
  if (v != TcpVerdict::kReject && v != TcpVerdict::kDrop) return true;
  drop_client(v == TcpVerdict::kDrop);
  return false;
}

bool HttpStream::pass_tcp_response() {
  const std::vector<config::TcpRule>& rules = bs().tcp.response;
  if (rules.empty()) return true;
  TcpFetch fetch(expr::kUseConn | expr::kUseL6Res, scf_->conn, fe_, be_);
  fetch.set_final(true);
  fetch.set_vars(&vars_, session());
  fetch.set_stream_trackers(&trk_);
  fetch.set_log_level(&log_.level);
  fetch.set_last_rule(&log_.last_rule);
  fetch.set_server(ss_.server());
  switch (eval_tcp_rules(rules, fetch)) {
    case TcpVerdict::kClose:  // the server connection is not kept after this response
      res_.server_keep = false;
      return true;
    case TcpVerdict::kReject:
      drop_client(false, "PD");  // as HAProxy and the TCP stream
      return false;
    case TcpVerdict::kDrop:
      drop_client(true, "PD");
      return false;
    default:
      return true;
  }
}

void HttpStream::drop_client(bool silent, const char* term) {
  if (silent) net::prepare_silent_drop(scf_->conn->fd());
  fe_->count(&FrontendTallies::denied_req, bind_ctrs_);
  log_.term = term;
  if (phase_ == Phase::kExchange) log_.status = res_.head.status;  // the server's
  abort_all();
}

// Moves request payload from the client's mux into req_.data, as far as it
// has room. The mux validated the framing on the way.
void HttpStream::read_request_body() {
  mux::HttpMux* fm = fmux();
  while (!req_.done) {
    const mux::RxData d = fm->rcv_data(scf_);
    if (d.error) {
      log_.term = "PR";
      // Until a response begins toward the client it still gets a 400; the
      // server connection, which holds a partial request, is closed by reply().
      if (!res_.head_done) return reply(400, true);
      return abort_all();
    }
    size_t n = 0;
    if (!d.data.empty()) {
      n = req_.data.append(d.data.data(), d.data.size());
      fm->consume_data(scf_, n);
      splice_req_.note_buffered(n, Buffer::configured_size());
      if (req_.data.room() == 0) splice_req_.note_full_read();  // the server lags
    }
    if (d.eom && n == d.data.size()) {
      req_.done = true;
      // Kept with the request, for a replay.
      if (!fm->rcv_trailers(scf_, req_.trailers)) req_.trailers.release();
      break;
    }
    if (n == 0 || n < d.data.size()) break;
    // Nothing of the payload is buffered in the mux now: a pipe may take the
    // rest (http_splice.cc) instead of another read into the buffer.
    if (phase_ == Phase::kExchange && !req_.body_seen && splice_req_.wanted() &&
        fm->rx_splice(scf_) > 0)
      break;
  }
  req_.data.release_if_empty();
}

// Hands the request to the server's mux: the head once per connection, then
// the payload from req_.sent on, then the end of the message. The payload
// stays in req_.data (for a replay) until the response starts or the buffer
// is needed for more of it.
bool HttpStream::send_request() {
  if (!scb() || (scb()->flags & mux::kScError)) return false;
  mux::HttpMux* bm = bmux();
  bool progress = false;
  if (!req_.head_sent) {
    if (!bm->snd_head(scb(), req_.head)) {
      log_.term = "PR";  // cannot happen: the head fitted in a buffer of the same size
      reply(500, true);
      return false;
    }
    req_.head_sent = progress = true;
  }
  if (req_.sent < req_.data.len()) {
    const size_t n = bm->snd_data(
        scb(), std::string_view(req_.data.head() + req_.sent, req_.data.len() - req_.sent));
    req_.sent += n;
    progress |= n > 0;
  }
  if (req_.done && !req_.eom_sent && req_.sent == req_.data.len()) {
    const http::MsgHead* trailers = req_.trailers.ready() ? &req_.trailers : nullptr;
    if (bm->snd_eom(scb(), trailers)) req_.eom_sent = progress = true;
  }
  bm->flush(scb());
  if (progress) sent_to_server();
  if (!req_.done && req_.data.room() == 0 && req_.sent > 0) {
    // The payload outgrows the buffer: what was sent is gone for good.
    req_.data.consume(req_.sent);
    req_.sent = 0;
    req_.replayable = false;
  }
  return progress;
}

}  // namespace hearth::stream
