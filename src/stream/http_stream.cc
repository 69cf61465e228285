// HttpStream: lifecycle, server selection, connection reuse, retries, timeouts.
// The message paths are in http_request.cc, http_response.cc and http_txn.cc.
#include "stream/http_stream.h"

#include <algorithm>
#include <atomic>

#include "mux/mux.h"
#include "net/connection.h"
#include "net/transport.h"
#include "stream/abort_counts.h"
#include "stream/lb_key_eval.h"
#include "stream/sample_fetch.h"
#include "stream/session.h"
#include "stream/session_log.h"
#include "stream/stick_counters.h"
#include "stream/stream_detail.h"
#include "stream/use_server.h"

namespace hearth::stream {
namespace {
std::atomic<bool> g_soft_stop{false};
}

int& live_streams_on_thread() {
  static thread_local int n = 0;
  return n;
}
int& streams_before_server_on_thread() {
  static thread_local int n = 0;
  return n;
}
void set_soft_stop() { g_soft_stop.store(true); }
bool soft_stopping() { return g_soft_stop.load(std::memory_order_relaxed); }

Pool<HttpStream>& HttpStream::pool() {
  static Pool<HttpStream> p("http_stream");
  return p;
}

bool HttpStream::create_incoming(mux::StreamConnector* sc, void* ctx) {
  auto* fe = static_cast<Frontend*>(ctx);
  HttpStream* s = pool().create(fe, sc);
  if (!s) return false;
  sc->app = s;
  sc->app_tasklet = &s->tasklet_;
  EventLoop::current()->wake(&s->tasklet_, kWakeRecv);
  return true;
}

HttpStream::HttpStream(Frontend* fe, mux::StreamConnector* scf)
    : fe_(fe),
      scf_(scf),
      hints_(scf),
      tasklet_(&HttpStream::process_cb, this),
      ss_(nullptr, this, &tasklet_, &wait_b_),
      timer_(&HttpStream::timer_cb, this) {
  tasklet_.prof = &prof_;
  fe_->counters.local().h1_streams_opened.add();
  wait_f_.tasklet = &tasklet_;
  wait_b_.tasklet = &tasklet_;
  if (const Session* s = scf && scf->conn ? Session::of(scf->conn) : nullptr)
    bind_ctrs_ = s->bind_counters;
  ss_.set_sni_eval(&HttpStream::eval_sni);
  ss_.set_unique_id_fn(&HttpStream::unique_id_of);
  log_.start_ms = now();
  if (Session* s = Session::of(scf->conn)) {
    log_.th = s->take_handshake_ms();
    // The previous transaction's stream-level set-src / set-dst end with it.
    s->strm_src.reset();
    s->strm_dst.reset();
  }
  if (fe->log || fe->logs.unique_id) log_.req_id = next_request_id();
  if (!fe->logs.req_caps.empty() || !fe->logs.res_caps.empty())
    log_.caps.reset(fe->logs.req_caps, fe->logs.res_caps);
  exp_.req = deadline_after(
      log_.start_ms, fe->timeouts.http_request ? fe->timeouts.http_request : fe->timeouts.client);
  ++live_streams_on_thread();
  ++streams_before_server_on_thread();
}

HttpStream::~HttpStream() {
  fe_->count(&FrontendTallies::bytes_in, bind_ctrs_, log_.bytes_in);
  fe_->count(&FrontendTallies::bytes_out, bind_ctrs_, log_.bytes_out);
  // Ended with the client side (end_stick_counters); anything left is released.
  if (trk_.any()) stick::track_stop_all(trk_, stick_now());
  count_transaction();
  fe_->counters.local().h1_streams_closed.add();
  EventLoop::current()->timers().cancel(&timer_);
  --live_streams_on_thread();
  leave_before_server();
}

// The transaction's status and bytes in its backend's and server's counters
// (the frontend's bytes are counted by the caller), and its status in the
// frontend's.
void HttpStream::count_transaction() {
  const int status = log_.status;
  count_stream_end(log_.term, be_, ss_.server());
  fe_->counters.local().hrsp.count(status);
  if (be_) {
    backend::BackendTallies& be = be_->counters.local();
    be.hrsp.count(status);
    be.bytes_in.add(log_.bytes_in);
    be.bytes_out.add(log_.bytes_out);
  }
  if (backend::Server* srv = ss_.server()) {
    // The times of the access log's Tw, Tc, Tr and Tt, for the averages.
    auto span = [](int64_t from, int64_t to) { return from >= 0 && to >= 0 ? to - from : -1; };
    const int64_t times[4] = {
        span(log_.req_ready_ms, ss_.slot_ms() >= 0 ? ss_.slot_ms() : log_.left_queue_ms),
        span(ss_.slot_ms(), ss_.ready_ms()), span(ss_.ready_ms(), log_.res_head_ms),
        now() - log_.start_ms};
    srv->counters.note_times(times);
    if (be_) be_->counters.note_times(times);
    backend::ServerTallies& st = srv->counters.local();
    if (res_.from_server) st.hrsp.count(res_.server_status);
    st.bytes_in.add(log_.bytes_in);
    st.bytes_out.add(log_.bytes_out);
  }
}

void HttpStream::leave_before_server() {
  if (!before_server_) return;
  before_server_ = false;
  --streams_before_server_on_thread();
}

Session* HttpStream::session() const { return Session::of(scf_->conn); }

stick::TrackSlots* HttpStream::session_trackers() const {
  Session* s = scf_ && scf_->conn ? Session::of(scf_->conn) : nullptr;
  return s ? &s->trk : nullptr;
}

// The transaction ends: its bytes go to every entry it sees; the entries it
// tracked are released. Requires: the client side is still there.
void HttpStream::end_stick_counters() {
  stick::TrackSlots* sess = session_trackers();
  if (!trk_.any() && !(sess && sess->any())) return;
  const int64_t t = stick_now();
  count_tracked_bytes(&trk_, sess, log_.bytes_in, log_.bytes_out, t);
  stick::track_stop_all(trk_, t);
}

void HttpStream::count_stick_event(stick::Event ev) {
  stick::TrackSlots* sess = session_trackers();
  if (trk_.any() || (sess && sess->any())) count_tracked(&trk_, sess, ev, stick_now());
}

int64_t HttpStream::now() const { return EventLoop::current()->now_ms(); }

int64_t HttpStream::deadline(int64_t timeout) const { return deadline_after(now(), timeout); }

config::HttpConnMode HttpStream::conn_mode() const {
  // The most closing of the frontend's and the backend's wins, as in HAProxy.
  const config::HttpConnMode f = fe_->http.conn_mode;
  const config::HttpConnMode b = be_ ? bs().conn_mode : f;
  return int(f) > int(b) ? f : b;
}

void HttpStream::process_cb(Tasklet*, void* ctx, uint32_t state) {
  static_cast<HttpStream*>(ctx)->process(state);
}

void HttpStream::timer_cb(Timer*, void* ctx) { static_cast<HttpStream*>(ctx)->process(kWakeTimer); }

void HttpStream::process(uint32_t why) {
  if (killed_ && phase_ != Phase::kDone) {
    char at = 'D';
    switch (phase_) {
      case Phase::kReqHead:
      case Phase::kReqBody:
        at = 'R';
        break;
      case Phase::kConnect:
        at = ss_.state() == ServerSide::State::kQueued ? 'Q' : 'C';
        break;
      case Phase::kResBody:
        at = 'H';
        break;
      case Phase::kExchange:
        at = res_.head_done ? 'D' : 'H';
        break;
      case Phase::kTarpit:
        at = 'T';
        break;
      case Phase::kLocalReply:
        at = 'L';
        break;
      default:
        break;
    }
    log_.term = killed_term(at, kill_cause_);
    // As HAProxy, a request whose response has not begun gets an error
    // before the connection closes: 502 while the server had it (what
    // HAProxy 2.6 answers, seen side by side), 503 while a server was being
    // found or connected, 400 while its body was awaited; otherwise the
    // connection just ends.
    if (phase_ == Phase::kExchange && !res_.head_done)
      reply(502, true);
    else if (phase_ == Phase::kResBody)
      reply(502, true);
    else if (phase_ == Phase::kConnect)
      reply(503, true);
    else if (phase_ == Phase::kReqBody)
      reply(400, true);
    else
      abort_all();
  }
  switch (phase_) {
    case Phase::kReqHead:
      read_request_head();
      break;
    case Phase::kReqBody:
      resume_request();
      break;
    case Phase::kResBody:
      resume_response();
      break;
    case Phase::kTarpit:
      resume_tarpit();
      break;
    case Phase::kLocalReply:
      flush_local_reply();
      break;
    case Phase::kConnect:
      on_server(ss_.step(now()));
      break;
    case Phase::kExchange:
      exchange();
      break;
    case Phase::kTunnel:
      tunnel();
      break;
    case Phase::kDone:
      break;
  }
  if (phase_ != Phase::kDone && (why & kWakeTimer)) check_timeouts();
  if (phase_ == Phase::kDone) {
    tasklet_.cancel();
    pool().destroy(this);
    return;
  }
  update_subscriptions();
  update_timer();
}

void HttpStream::check_timeouts() {
  const int64_t t = now();
  switch (phase_) {
    case Phase::kReqHead:
      if (!deadline_reached(exp_.req, t)) return;
      log_.term = "cR";
      if (!fmux()->has_input(scf_)) return abort_all();  // nothing asked: just close
      fe_->count(&FrontendTallies::req_errors, bind_ctrs_);
      return reply_mux_error(408);
    case Phase::kReqBody:
      if (!deadline_reached(req_an_.until, t) && !deadline_reached(exp_.cli, t)) return;
      log_.term = "cR";
      return reply(408, true);
    case Phase::kResBody:
      // As HAProxy 2.6: the wait's end, or the server's silence, is a 504
      // with the server's timeout ("sR"); the server connection closes, the
      // client's stays if its request was whole.
      if (!deadline_reached(res_an_.until, t) && !deadline_reached(exp_.srv, t)) return;
      log_.term = "sR";
      res_.head.release();
      res_.data.release();
      count_stick_event(stick::Event::kHttpFail);
      return reply(504, rule_reply_closes());
    case Phase::kConnect:
    case Phase::kTarpit:
      return;  // the server side keeps its own deadlines; a tarpit ends in process()
    case Phase::kExchange:
      if (deadline_reached(exp_.srv, t) || deadline_reached(exp_.srv_w, t)) {
        log_.term = res_.head_done ? "sD" : "sH";
        const bool nothing = bmux()->rx_bytes(scb()) == 0;
        if (!res_.head_done && nothing && try_retry(config::kRetryResponseTimeout, false)) return;
        if (nothing && !res_.head_done) {
          count_stick_event(stick::Event::kHttpFail);
          note_passive(backend::PassiveEvent::kHttpReadTimeout);
          return reply(504, rule_reply_closes());
        }
        return abort_all();
      }
      if (deadline_reached(exp_.cli, t) || deadline_reached(exp_.cli_w, t)) {
        log_.term = "cD";
        return abort_all();
      }
      return;
    case Phase::kTunnel:
      if (deadline_reached(exp_.tun, t)) {
        log_.term = "cD";
        abort_all();
      }
      return;
    case Phase::kLocalReply:
      if (deadline_reached(exp_.cli, t)) abort_all();
      return;
    case Phase::kDone:
      return;
  }
}

std::string_view HttpStream::unique_id_of(void* app) {
  auto* self = static_cast<HttpStream*>(app);
  self->make_unique_id();
  return self->log_.has_unique_id ? std::string_view(self->log_.unique_id) : std::string_view();
}

size_t HttpStream::eval_sni(void* app, const expr::SampleExpr& e, char* buf, size_t cap) {
  TxnFetch fetch = static_cast<HttpStream*>(app)->request_fetch();
  return eval_to_buffer(e, fetch, buf, cap);
}

// The request goes to be_: the server side assigns a server and gets a
// connection to it, reused from the server's pool when the policy allows.
void HttpStream::assign_server() {
  leave_before_server();
  backend::LbRequest req;
  if (config::is_hashing(be_->lb_kind())) {
    TxnFetch fetch = request_fetch();
    set_lb_key(*be_, session()->client_addr(scf_->conn), &req_.head,
               std::string_view(req_.data.head(), req_.data.len()), fetch, &req);
  }
  // The server of the client's private connection: with prefer-last-server, or
  // always when an authentication handshake bound that connection to the client.
  const backend::PrivateConn& priv = session()->priv;
  if (backend::Server* last = priv.server()) {
    req.prefer_strict = priv.bound();
    if (bs().prefer_last_server || req.prefer_strict) req.prefer = last;
  }
  if (!bs().persist_rules.empty()) {
    TxnFetch fetch = request_fetch();
    eval_persist_rules(*be_, fetch, &ck_);
  }
  const bool down_ok = bs().persist || ck_.force;
  if (!bs().use_servers.empty()) {
    TxnFetch fetch = request_fetch();
    req.forced = pick_use_server(*be_, fetch, down_ok);
  }
  // The persistence cookie (after use-server, as HAProxy's analysers).
  if (!cookie_request(be_, fe_->logs.cookie_cap, req_.head, req.forced, wall_clock_ms() / 1000,
                      &ck_)) {
    log_.term = "PR";  // the edited Cookie field did not fit: a failed rewrite
    return reply(500, true);
  }
  if (ck_.direct) req.forced = ck_.server;
  req.forced_down_ok = down_ok;
  req.no_redispatch = ck_.force;
  // stick match / on: the server an entry names, unless one is chosen already.
  if (!bs().stick_rules.empty()) {
    TxnFetch fetch = request_fetch();
    const StickMatch m =
        stick_request_rules(bs().stick_rules, *be_, fetch, req.forced != nullptr, &stick_stores_);
    if (m.server && (m.serving || down_ok)) req.forced = m.server;
  }
  backend::ConnRequest r;
  r.first_of_client = session()->transactions == 0;
  r.idempotent = req_.idempotent;
  r.priv = &session()->priv;
  phase_ = Phase::kConnect;
  const http::Method m = req_.head.method;
  ss_.set_client(scf_->conn, m == http::Method::kGet || m == http::Method::kHead);
  req.prio_class = prio_.cls;
  req.prio_key = now() + prio_.offset;
  on_server(ss_.start(be_, req, &r, now()));
}

void HttpStream::cookies_for_log() {
  const bool backend_stage = req_an_.stage == RequestAnalysis::Stage::kBackend ||
                             req_an_.stage == RequestAnalysis::Stage::kBackendStats;
  const backend::Backend* px = backend_stage ? be_ : fe_->own_backend;
  // The edited fields are not sent anywhere: a failed edit changes nothing.
  cookie_request(px, fe_->logs.cookie_cap, req_.head, nullptr, wall_clock_ms() / 1000, &ck_);
}

// What the server side reached: a usable connection starts the exchange; a
// failure is answered 503 (no server, queue timeout, connect retries spent).
void HttpStream::on_server(ServerSide::State st) {
  switch (st) {
    case ServerSide::State::kReady:
      cookie_server_known(ss_.server(), &ck_);
      phase_ = Phase::kExchange;
      set_splice_modes();
      exp_.srv = deadline(server_timeout());
      return exchange();
    case ServerSide::State::kFailed:
      log_.term = ss_.term();
      return reply(503, rule_reply_closes());
    case ServerSide::State::kRedirect:
      return answer_server_redirect(ss_.server()->redir);
    case ServerSide::State::kQueued:
    case ServerSide::State::kConnecting:
    case ServerSide::State::kTurnAround:
    case ServerSide::State::kIdle:
      phase_ = Phase::kConnect;
      // option abortonclose: a client that closed (or failed) while its
      // request waits for a server is not served: logged CQ (queued) or CC.
      if (abort_on_close()) fmux()->watch_input(scf_);
      if (abort_on_close() && (scf_->flags & kEnd)) {
        log_.term = st == ServerSide::State::kQueued ? "CQ" : "CC";
        // As HAProxy: Tw is the time spent queued until the client left.
        if (st == ServerSide::State::kQueued) log_.left_queue_ms = now();
        return abort_all();
      }
      return;
  }
}

bool HttpStream::abort_on_close() const { return be_ && be_->settings.abortonclose; }

// A retry re-sends the buffered request on a NEW connection to the same
// server. Allowed only when the request is idempotent (RFC 9110 §9.2.2) and
// still whole in req_.out, and either the failure is the reuse race (a reused
// connection died before any response byte) or `retry-on` names the
// condition. Returns: true if the stream is retrying (or failed doing so).
bool HttpStream::try_retry(uint32_t condition, bool reused_race) {
  if (!req_.replayable || !req_.idempotent) return false;
  // disable-l7-retry turns off what retry-on asks beyond conn-failure (those
  // retries happen in ServerSide); the reuse race is not a retry-on retry.
  if (!reused_race && (!(bs().retry_on & condition) || req_.l7_retry_off)) return false;
  if (!ss_.reconnect(now(), reused_race)) return false;
  rewind_for_resend();
  on_server(ss_.state());
  return true;
}

void HttpStream::rewind_for_resend() {
  // A replayable request spliced nothing: an empty pipe taken for it would
  // write to the new connection before the head does.
  splice_req_.release();
  splice_res_.release();
  req_.sent = 0;
  req_.head_sent = req_.eom_sent = false;
  res_.head_done = res_.done = false;
  res_.head.release();
  res_.trailers.release();
  res_.data.release();
  res_.data_eom = res_.data_broken = false;
  res_an_ = ResponseAnalysis{};
}

void HttpStream::abort_all() {
  ss_.release();
  log_.bytes_out = fmux()->tx_bytes(scf_);
  log_.bytes_in = fmux()->rx_bytes(scf_);
  if (fe_->log && !log_.skip && !log_.logged) log_end();
  end_stick_counters();
  scf_->mux->detach(scf_, false);
  mux::StreamConnector::pool().destroy(scf_);
  phase_ = Phase::kDone;
}

// timeout client / timeout server measure a side's inactivity while Hearth
// waits for that side: to send us request bytes we have room for, to take
// response bytes we hold for it (client); to take request bytes, or to send
// response bytes we have room for (server). A side nobody waits for (a client
// waiting for a slow server, a server held back by a slow reader) has no
// deadline. Progress on a side pushes its deadline (see http_txn.cc).
void HttpStream::update_exchange_deadlines() {
  const int64_t t = now();
  auto arm = [t](int64_t* exp, bool waiting, int64_t timeout) {
    if (!waiting || !timeout)
      *exp = kNever;
    else if (*exp == kNever)
      *exp = t + timeout;
  };
  // A full pipe, like a full buffer, holds its sender back: not a wait.
  const bool from_client =
      !req_.done && req_room() && splice_req_.may_read() && !(scf_->flags & kEnd);
  const bool to_client = fmux()->tx_blocked(scf_);
  const bool to_server = scb() && (bmux()->tx_blocked(scb()) || req_.sent < req_.data.len());
  const bool from_server =
      scb() && !res_.done && !bmux()->rx_blocked(scb()) && splice_res_.may_read();
  if (indep_client()) {
    arm(&exp_.cli, from_client, fe_->timeouts.client);
    arm(&exp_.cli_w, to_client, fe_->timeouts.client);
  } else {
    arm(&exp_.cli, from_client || to_client, fe_->timeouts.client);
  }
  if (indep_server()) {
    arm(&exp_.srv, from_server, be_ ? server_timeout() : 0);
    arm(&exp_.srv_w, to_server, be_ ? server_timeout() : 0);
  } else {
    arm(&exp_.srv, from_server || to_server, be_ ? server_timeout() : 0);
  }
}

bool HttpStream::indep_client() const { return fe_->independent_streams; }

bool HttpStream::indep_server() const { return be_ && be_->settings.independent_streams; }

void HttpStream::sent_to_client() {
  (indep_client() ? exp_.cli_w : exp_.cli) = deadline(fe_->timeouts.client);
}

void HttpStream::sent_to_server() {
  (indep_server() ? exp_.srv_w : exp_.srv) = deadline(server_timeout());
}

void HttpStream::update_timer() {
  int64_t exp = kNever;
  auto lower = [&exp](int64_t e) { exp = e < exp ? e : exp; };
  switch (phase_) {
    case Phase::kReqHead:
      lower(exp_.req);
      break;
    case Phase::kReqBody:
      lower(req_an_.until);
      lower(exp_.cli);
      break;
    case Phase::kResBody:
      lower(res_an_.until);
      lower(exp_.srv);
      break;
    case Phase::kConnect:
      lower(ss_.deadline());
      break;
    case Phase::kTarpit:
      lower(tarpit_.until);
      break;
    case Phase::kExchange:
      lower(exp_.srv);
      lower(exp_.cli);
      lower(exp_.srv_w);
      lower(exp_.cli_w);
      break;
    case Phase::kTunnel:
      lower(exp_.tun);
      break;
    case Phase::kLocalReply:
      lower(exp_.cli);
      break;
    case Phase::kDone:
      break;
  }
  EventLoop::current()->timers().arm(&timer_, exp);
}

namespace {

const char* phase_name(int phase) {
  static const char* const kPhases[] = {"request-head", "request-body", "response-body",
                                        "tarpit",       "local-reply",  "connect",
                                        "exchange",     "tunnel",       "done"};
  return kPhases[phase];
}

}  // namespace

std::string HttpStream::describe(int64_t now_ms) const {
  return describe_stream(this, scf_->conn, fe_, be_, ss_.server(), now_ms - log_.start_ms,
                         phase_name(int(phase_)));
}

std::string HttpStream::describe_detail(int64_t now_ms) const {
  StreamDetail d;
  d.id = this;
  d.client = scf_->conn;
  d.fe = fe_;
  d.be = be_;
  d.ss = &ss_;
  d.start_ms = log_.start_ms;
  d.state = phase_name(int(phase_));
  d.exp_ms = timer_.expire;
  d.calls = prof_.calls;
  const mux::HttpMux* m = scf_->conn ? fmux() : nullptr;  // counts as they move
  d.req_total = m ? m->rx_bytes(scf_) : log_.bytes_in;
  d.res_total = m ? m->tx_bytes(scf_) : log_.bytes_out;
  d.http = true;
  d.method = http::method_name(req_.method);
  d.status = log_.status ? log_.status : -1;
  d.req_done = req_.done;
  d.res_head_done = res_.head_done;
  d.res_done = res_.done;
  return describe_stream_detail(d, now_ms);
}

void HttpStream::kill(char cause) {
  killed_ = true;
  kill_cause_ = cause;
  EventLoop::current()->wake(&tasklet_);
}

}  // namespace hearth::stream
