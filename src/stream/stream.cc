#include "stream/stream.h"

#include <algorithm>

#include "mux/mux.h"
#include "net/connection.h"
#include "net/socket.h"
#include "net/transport.h"
#include "stream/abort_counts.h"
#include "stream/cookie_persist.h"
#include "stream/lb_key_eval.h"
#include "stream/sample_fetch.h"
#include "stream/session.h"
#include "stream/session_log.h"
#include "stream/stick_counters.h"
#include "stream/stream_detail.h"
#include "stream/tcp_rules.h"
#include "stream/use_server.h"

namespace hearth::stream {
namespace {
thread_local int t_live_streams = 0;
}  // namespace

Pool<Stream>& Stream::pool() {
  static Pool<Stream> p("stream");
  return p;
}

int Stream::live_on_thread() { return t_live_streams; }

bool Stream::create_incoming(mux::StreamConnector* sc, void* ctx) {
  auto* fe = static_cast<Frontend*>(ctx);
  Stream* s = pool().create(fe, sc);
  if (!s) return false;
  sc->app = s;
  sc->app_tasklet = &s->tasklet_;
  EventLoop::current()->wake(&s->tasklet_, kWakeOther);
  return true;
}

Stream::Stream(Frontend* fe, mux::StreamConnector* scf)
    : fe_(fe),
      be_(nullptr),
      scf_(scf),
      tasklet_(&Stream::process_cb, this),
      ss_("pt", this, &tasklet_, &wait_b_),
      timer_(&Stream::timer_cb, this) {
  tasklet_.prof = &prof_;
  wait_f_.tasklet = &tasklet_;
  wait_b_.tasklet = &tasklet_;
  if (const Session* s = scf && scf->conn ? Session::of(scf->conn) : nullptr)
    bind_ctrs_ = s->bind_counters;
  ss_.set_sni_eval(&Stream::eval_sni);
  ss_.set_unique_id_fn(&Stream::unique_id_of);
  start_ms_ = EventLoop::current()->now_ms();
  if (Session* s = Session::of(scf->conn)) th_ = s->take_handshake_ms();
  if (fe->log || fe->logs.unique_id) req_id_ = next_request_id();
  ++t_live_streams;
  if (!fe->logs.req_caps.empty()) caps_.reset(fe->logs.req_caps, fe->logs.res_caps);
  if (!fe->tcp.content.empty()) {
    state_ = State::kInspect;  // the rules read the client's bytes first
  } else {
    TxnFetch fetch(expr::kUseConn, scf->conn, fe, nullptr, nullptr, nullptr);
    fetch.set_vars(&vars_, Session::of(scf->conn));  // set-src & co of the connection rules
    be_ = fe->select_backend(fetch);
    be_hold_.reset(be_);
    switched_ = true;
    if (be_ && !fe->owns(be_) && !be_->settings.tcp.content.empty()) state_ = State::kInspect;
  }
  refresh_front();
}

Stream::~Stream() {
  if (trk_.any()) stick::track_stop_all(trk_, stick_now());
  EventLoop::current()->timers().cancel(&timer_);
  --t_live_streams;
}

void Stream::process_cb(Tasklet*, void* ctx, uint32_t state) {
  static_cast<Stream*>(ctx)->process(state);
}

void Stream::timer_cb(Timer*, void* ctx) {
  auto* s = static_cast<Stream*>(ctx);
  s->process(kWakeTimer);
}

bool Stream::expired(int64_t exp) const {
  return deadline_reached(exp, EventLoop::current()->now_ms());
}

void Stream::refresh_front(bool sent) {
  const FrontendTimeouts& t = fe_->timeouts;
  const int64_t tunnel = be_ ? be_->settings.timeouts.tunnel : 0;
  int64_t to = t.client;
  if (state_ == State::kEstablished && tunnel) to = tunnel;
  if ((req_shut_ || res_shut_) && t.client_fin) to = t.client_fin;
  (sent && indep_front_ ? front_wexp_ : front_exp_) =
      deadline_after(EventLoop::current()->now_ms(), to);
}

void Stream::refresh_back(bool sent) {
  const backend::BackendTimeouts& t = be_->settings.timeouts;
  int64_t to = t.server;
  if (state_ == State::kEstablished && t.tunnel) to = t.tunnel;
  if ((req_shut_ || res_shut_) && t.server_fin) to = t.server_fin;
  (sent && indep_back_ ? back_wexp_ : back_exp_) =
      deadline_after(EventLoop::current()->now_ms(), to);
}

// Independent sides: a write deadline runs only while output waits for the
// side, from the first moment it waits.
void Stream::settle_write_deadlines() {
  if (indep_front_) {
    if (res_.empty() && !splice_res_.pending())
      front_wexp_ = kNever;
    else if (front_wexp_ == kNever)
      refresh_front(true);
  }
  if (indep_back_) {
    if (req_.empty() && !splice_req_.pending())
      back_wexp_ = kNever;
    else if (back_wexp_ == kNever)
      refresh_back(true);
  }
}

void Stream::process(uint32_t why) {
  const int64_t now = EventLoop::current()->now_ms();
  if (killed_ && state_ != State::kClosed) {
    const char at = state_ == State::kInspect                   ? 'R'
                    : state_ == State::kEstablished             ? 'D'
                    : ss_.state() == ServerSide::State::kQueued ? 'Q'
                    : state_ == State::kConnect                 ? 'C'
                                                                : 'R';
    // HAProxy's TCP log shows a stream killed while established as "K-".
    close(killed_term(at == 'D' ? '-' : at, kill_cause_));
    return finish();
  }
  switch (state_) {
    case State::kInspect:
      if ((why & kWakeTimer) && expired(front_exp_)) {
        close("cR");  // timeout client while the rules waited for bytes
        break;
      }
      inspect();
      break;
    case State::kAssign:
      assign_server();
      break;
    case State::kConnect:
      // A client that gives up while its session waits in the queue.
      if (ss_.state() == ServerSide::State::kQueued && expired(front_exp_)) {
        close("cQ");
        break;
      }
      on_server(ss_.step(now));
      break;
    case State::kEstablished:
      forward();
      break;
    case State::kClosed:
      break;
  }
  if (state_ == State::kEstablished && (why & kWakeTimer)) {
    if (expired(front_exp_) || expired(front_wexp_))
      close("cD");
    else if (expired(back_exp_) || expired(back_wexp_))
      close("sD");
  }
  if (state_ == State::kClosed) return finish();
  update_timer();
}

// tcp-request content: reads what the client sent into req_ (forwarded
// later), runs the frontend's rules, switches, runs the backend's (unless a
// listen's own), then connects.
void Stream::inspect() {
  if (!(scf_->flags & (mux::kScEos | mux::kScError)) && (!req_.allocated() || req_.room())) {
    const size_t n =
        scf_->mux->rcv_buf(scf_, req_, req_.allocated() ? req_.room() : Buffer::configured_size());
    if (n) {
      bytes_in_ += n;
      refresh_front();
    }
  }
  if (scf_->flags & mux::kScError) return close("CR");
  bool wait = false;
  if (!switched_) {
    if (!inspect_phase(true, &wait) || wait) return;
    switch_backend();
    if (!be_ || fe_->owns(be_) || be_->settings.tcp.content.empty()) {
      state_ = State::kAssign;
      return assign_server();
    }
  }
  if (!inspect_phase(false, &wait) || wait) return;
  state_ = State::kAssign;
  assign_server();
}

// A fetch over the client's bytes buffered so far, with the stream's
// variables; `be`: the backend the rules see (nullptr before switching).
TcpFetch Stream::request_fetch(const backend::Backend* be) {
  TcpFetch fetch(expr::kUseConn | expr::kUseL6Req, scf_->conn, fe_, be);
  fetch.set_request(std::string_view(req_.allocated() ? req_.head() : "", req_.len()));
  fetch.set_vars(&vars_, Session::of(scf_->conn));
  fetch.set_stream_trackers(&trk_);
  fetch.set_log_level(&log_level_);
  fetch.set_last_rule(&last_rule_);
  fetch.set_captures(&caps_, nullptr, false);
  fetch.set_priority(&prio_);
  fetch.set_profile(&prof_);
  fetch.set_log_record(&Stream::rule_log_record, this);
  return fetch;
}

// One list of rules. Returns: false if the stream was closed; *wait when
// the rules wait for more bytes (subscribed, timer set by update_timer).
bool Stream::inspect_phase(bool front, bool* wait) {
  const config::TcpRules& rules = front ? fe_->tcp : be_->settings.tcp;
  const int64_t now = EventLoop::current()->now_ms();
  const bool final = (scf_->flags & mux::kScEos) || req_.full() || rules.inspect_delay <= 0 ||
                     (inspect_exp_ != kNever && deadline_reached(inspect_exp_, now));
  TcpFetch fetch = request_fetch(front ? nullptr : be_);
  fetch.set_final(final);
  switch (eval_tcp_rules(rules.content, fetch)) {
    case TcpVerdict::kWait:
      // The delay runs from the first time the rules lacked bytes.
      if (inspect_exp_ == kNever) inspect_exp_ = deadline_after(now, rules.inspect_delay);
      if (!(wait_f_.events & kWakeRecv)) scf_->mux->subscribe(scf_, kWakeRecv, &wait_f_);
      *wait = true;
      return true;
    case TcpVerdict::kDrop:
      net::prepare_silent_drop(scf_->conn->fd());
      [[fallthrough]];
    case TcpVerdict::kReject:
      fe_->count(&FrontendTallies::denied_req, bind_ctrs_);
      close("PR");
      return false;
    case TcpVerdict::kPass:
    case TcpVerdict::kClose:
      break;
  }
  inspect_exp_ = kNever;
  *wait = false;
  return true;
}

// Content switching once the frontend's rules passed: use_backend conditions
// read the same bytes (final, as HAProxy's switching never waits).
void Stream::switch_backend() {
  TcpFetch fetch = request_fetch(nullptr);
  be_ = fe_->select_backend(fetch);
  be_hold_.reset(be_);
  switched_ = true;
}

size_t Stream::eval_sni(void* app, const expr::SampleExpr& e, char* buf, size_t cap) {
  auto* self = static_cast<Stream*>(app);
  TcpFetch fetch = self->request_fetch(self->be_);
  return eval_to_buffer(e, fetch, buf, cap);
}

void Stream::assign_server() {
  if (!be_) return close("SC");  // no backend: nothing to connect to
  backend::LbRequest req;
  if (config::is_hashing(be_->lb_kind())) {
    TcpFetch fetch = request_fetch(be_);
    fetch.set_final(true);
    set_lb_key(*be_, Session::of(scf_->conn)->client_addr(scf_->conn), nullptr, {}, fetch, &req);
  }
  CookieState persist;  // force-persist / ignore-persist (HAProxy evaluates them in TCP too)
  if (!be_->settings.use_servers.empty() || !be_->settings.stick_rules.empty()) {
    TcpFetch fetch = request_fetch(be_);
    eval_persist_rules(*be_, fetch, &persist);
  }
  const bool down_ok = be_->settings.persist || persist.force;
  if (!be_->settings.use_servers.empty()) {
    TcpFetch fetch = request_fetch(be_);
    req.forced = pick_use_server(*be_, fetch, down_ok);
  }
  // stick match / on: the server an entry names, unless one is chosen already
  // (a server that is down only under option persist or force-persist).
  if (!be_->settings.stick_rules.empty()) {
    TcpFetch fetch = request_fetch(be_);
    const StickMatch m = stick_request_rules(be_->settings.stick_rules, *be_, fetch,
                                             req.forced != nullptr, &stick_stores_);
    if (m.server && (m.serving || down_ok)) req.forced = m.server;
  }
  req.forced_down_ok = down_ok;
  req.no_redispatch = persist.force;
  state_ = State::kConnect;
  ss_.set_client(scf_->conn, /*redirectable=*/false);
  const int64_t now = EventLoop::current()->now_ms();
  req.prio_class = prio_.cls;
  req.prio_key = now + prio_.offset;
  on_server(ss_.start(be_, req, /*reuse=*/nullptr, now));
}

// option splice-*: the frontend's and the backend's, either one enough.
void Stream::set_splice_modes() {
  const uint8_t bits = fe_->splice | be_->settings.splice;
  splice_req_.set_mode(SpliceDir::mode_for(bits, config::kSpliceRequest));
  splice_res_.set_mode(SpliceDir::mode_for(bits, config::kSpliceResponse));
}

// What the server side reached: connected starts forwarding; a failure
// closes the client with the server side's termination code.
void Stream::on_server(ServerSide::State st) {
  switch (st) {
    case ServerSide::State::kReady:
      connect_ms_ = EventLoop::current()->now_ms() - ss_.connect_start_ms();
      // The keys of stick on / store-request, stored with the server reached.
      if (stick_stores_.n && ss_.server()) stick_commit(&stick_stores_, *ss_.server(), stick_now());
      if (fe_->log && fe_->logs.backend_src && ss_.scb() && ss_.scb()->conn)
        local_log_addr(ss_.scb()->conn->fd(), &be_src_);
      state_ = State::kEstablished;
      indep_front_ = fe_->independent_streams;
      indep_back_ = be_->settings.independent_streams;
      refresh_front();
      refresh_back();
      res_passed_ = be_->settings.tcp.response.empty();
      set_splice_modes();
      // A format with nothing known only at the end (or option logasap) is
      // written now, as HAProxy does, dontlognull or not.
      if (fe_->log && fe_->logs.fmt && !fe_->logs.waits_for_end) {
        log_end();
        logged_ = true;
      }
      return forward();
    case ServerSide::State::kFailed:
    case ServerSide::State::kRedirect:  // never in TCP: set_client says not redirectable
      return close(ss_.term());
    case ServerSide::State::kQueued:
    case ServerSide::State::kConnecting:
    case ServerSide::State::kTurnAround:
    case ServerSide::State::kIdle:
      // Watch the client while no server connection is up: its close may
      // abort the session.
      if (client_aborted()) return close(st == ServerSide::State::kQueued ? "CQ" : "CC");
      if (!(scf_->flags & mux::kScEos) && req_.room() + !req_.allocated() > 0 &&
          !(wait_f_.events & kWakeRecv))
        scf_->mux->subscribe(scf_, kWakeRecv, &wait_f_);
      return;
  }
}

// While queued or connecting: reads what the client sent (kept in req_ for
// the server) to learn whether it closed. Returns: true if the session must
// be aborted rather than sent to a server (HAProxy's CQ / CC): the client
// failed, or it closed with nothing to send, or it closed at all under
// option abortonclose.
bool Stream::client_aborted() {
  if (!(scf_->flags & (mux::kScEos | mux::kScError)) && (!req_.allocated() || req_.room())) {
    const size_t n =
        scf_->mux->rcv_buf(scf_, req_, req_.allocated() ? req_.room() : Buffer::configured_size());
    if (n) bytes_in_ += n;
  }
  if (scf_->flags & mux::kScError) return true;
  return (scf_->flags & mux::kScEos) && (req_.empty() || be_->settings.abortonclose);
}

// Moves bytes in both directions until nothing more can move, then applies
// half-closes and decides whether the stream is over.
void Stream::forward() {
  while (forward_once()) {
  }
  mux::StreamConnector* scb = ss_.scb();
  if ((scf_->flags & mux::kScError) || (scb->flags & mux::kScError)) {
    return close((scf_->flags & mux::kScError) ? "CD" : "SD");
  }
  if (res_reject_) return close("PD");
  if (res_close_ && !req_shut_) {
    // tcp-response content close: the server connection ends here; what it
    // sent still goes to the client, then the client is closed.
    scb->mux->shutw(scb);
    scb->flags |= mux::kScEos;
    req_shut_ = true;
    req_.clear();
  }
  // Half-close: once a side's input ended and all of it was delivered, shut the
  // other side's output.
  if ((scf_->flags & mux::kScEos) && req_.empty() && !splice_req_.pending() && !req_shut_) {
    scb->mux->shutw(scb);
    req_shut_ = true;
    refresh_front();
    refresh_back();
  }
  if ((scb->flags & mux::kScEos) && res_.empty() && !splice_res_.pending() && !res_shut_) {
    scf_->mux->shutw(scf_);
    res_shut_ = true;
    refresh_front();
    refresh_back();
  }
  if (req_shut_ && res_shut_) return close("--");
  settle_write_deadlines();
  req_.release_if_empty();
  res_.release_if_empty();
  update_subscriptions();
}

bool Stream::forward_once() {
  bool progress = false;
  auto pump = [&](mux::StreamConnector* from, mux::StreamConnector* to, Buffer& buf,
                  uint64_t* counter, bool from_front, SpliceDir& splice) {
    size_t in = 0, out = 0;
    if ((from_front || res_passed_) && splice.pump(from, to, buf, counter, &in, &out)) {
      if (in) from_front ? refresh_front() : refresh_back();
      if (out) from_front ? refresh_back(true) : refresh_front(true);
      progress = progress || in || out;
      return;
    }
    if (!(from->flags & (mux::kScEos | mux::kScError)) && (!buf.allocated() || buf.room())) {
      size_t n =
          from->mux->rcv_buf(from, buf, buf.allocated() ? buf.room() : Buffer::configured_size());
      if (n) {
        *counter += n;
        progress = true;
        from_front ? refresh_front() : refresh_back();
        if (buf.full()) splice.note_full_read();
      }
    }
    if (!from_front && !res_passed_ && !response_may_go()) return;
    if (!buf.empty() && !(to->flags & (mux::kScShutW | mux::kScError))) {
      size_t n = to->mux->snd_buf(to, buf, buf.len());
      if (n) {
        progress = true;
        from_front ? refresh_back(true) : refresh_front(true);
      }
    }
  };
  mux::StreamConnector* scb = ss_.scb();
  pump(scf_, scb, req_, &bytes_in_, true, splice_req_);
  pump(scb, scf_, res_, &bytes_out_, false, splice_res_);
  return progress && !((scf_->flags | scb->flags) & mux::kScError);
}

// tcp-response content rules on the server's first bytes. Returns: true once
// they passed (the bytes may go to the client).
bool Stream::response_may_go() {
  mux::StreamConnector* scb = ss_.scb();
  const bool eos = scb->flags & mux::kScEos;
  if (res_.empty() && !eos) return false;
  const config::TcpRules& rules = be_->settings.tcp;
  const int64_t now = EventLoop::current()->now_ms();
  const bool final =
      eos || res_.full() || rules.res_inspect_delay <= 0 || deadline_reached(res_inspect_exp_, now);
  TcpFetch fetch(expr::kUseConn | expr::kUseL6Res, scf_->conn, fe_, be_);
  fetch.set_response(std::string_view(res_.allocated() ? res_.head() : "", res_.len()));
  fetch.set_log_record(&Stream::rule_log_record, this);
  fetch.set_final(final);
  fetch.set_vars(&vars_, Session::of(scf_->conn));
  fetch.set_stream_trackers(&trk_);
  // set-log-level: too late for a line HAProxy writes at the connect.
  fetch.set_log_level(fe_->logs.waits_for_end ? &log_level_ : nullptr);
  fetch.set_last_rule(&last_rule_);
  fetch.set_server(ss_.server());
  switch (eval_tcp_rules(rules.response, fetch)) {
    case TcpVerdict::kWait:
      if (res_inspect_exp_ == kNever)
        res_inspect_exp_ = deadline_after(now, rules.res_inspect_delay);
      return false;
    case TcpVerdict::kDrop:
      fe_->count(&FrontendTallies::denied_req, bind_ctrs_);
      net::prepare_silent_drop(scf_->conn->fd());
      [[fallthrough]];
    case TcpVerdict::kReject:
      res_reject_ = true;
      return false;
    case TcpVerdict::kClose:
      res_close_ = true;
      break;
    case TcpVerdict::kPass:
      break;
  }
  // stick store-response, on the server's first bytes.
  if (!be_->settings.stick_rules.empty() && ss_.server()) {
    stick_response_rules(be_->settings.stick_rules, fetch, &stick_stores_);
    stick_commit(&stick_stores_, *ss_.server(), stick_now());
  }
  res_passed_ = true;
  res_inspect_exp_ = kNever;
  return true;
}

void Stream::update_subscriptions() {
  auto sub = [](mux::StreamConnector* sc, WaitEvent* w, bool want_recv, bool want_send) {
    uint32_t ev = (want_recv ? uint32_t(kWakeRecv) : 0u) | (want_send ? uint32_t(kWakeSend) : 0u);
    uint32_t missing = ev & ~w->events;
    if (missing) sc->mux->subscribe(sc, missing, w);
  };
  bool front_eos = scf_->flags & (mux::kScEos | mux::kScError);
  mux::StreamConnector* scb = ss_.scb();
  bool back_eos = scb->flags & (mux::kScEos | mux::kScError);
  // A direction carried by its pipe reads while the pipe has room.
  auto room = [](const Buffer& buf, const SpliceDir& sp) {
    return sp.active() && buf.empty() ? sp.has_room() : buf.room() + !buf.allocated() > 0;
  };
  sub(scf_, &wait_f_, !front_eos && room(req_, splice_req_),
      (!res_.empty() || splice_res_.pending()) && res_passed_);
  sub(scb, &wait_b_, !back_eos && room(res_, splice_res_), !req_.empty() || splice_req_.pending());
}

void Stream::update_timer() {
  int64_t exp = kNever;
  switch (state_) {
    case State::kInspect:
      exp = inspect_exp_ < front_exp_ ? inspect_exp_ : front_exp_;
      break;
    case State::kConnect:
      exp = ss_.deadline();
      // While queued, the client's inactivity timeout still runs (cQ).
      if (ss_.state() == ServerSide::State::kQueued && front_exp_ < exp) exp = front_exp_;
      break;
    case State::kEstablished:
      exp = std::min({front_exp_, back_exp_, front_wexp_, back_wexp_});
      if (res_inspect_exp_ < exp) exp = res_inspect_exp_;
      break;
    default:
      break;
  }
  EventLoop::current()->timers().arm(&timer_, exp);
}

// Tears both sides down. The object itself is freed by finish() once process()
// unwinds, so callers may keep reading members after close().
void Stream::close(const char* why) {
  if (state_ == State::kClosed) return;
  end_reason_ = why;
  state_ = State::kClosed;
  ss_.release();  // the server connection, the queue place or the server slot
  splice_req_.release();
  splice_res_.release();
  fe_->count(&FrontendTallies::bytes_in, bind_ctrs_, bytes_in_);
  fe_->count(&FrontendTallies::bytes_out, bind_ctrs_, bytes_out_);
  if (be_) {
    backend::BackendTallies& be = be_->counters.local();
    be.bytes_in.add(bytes_in_);
    be.bytes_out.add(bytes_out_);
  }
  count_stream_end(why, be_, ss_.server());
  if (backend::Server* srv = ss_.server()) {
    backend::ServerTallies& st = srv->counters.local();
    st.bytes_in.add(bytes_in_);
    st.bytes_out.add(bytes_out_);
    // The log's Tw, Tc and Tt; no response time in TCP (0, as HAProxy).
    const int64_t t = EventLoop::current()->now_ms();
    const int64_t times[4] = {ss_.slot_ms() >= 0 ? ss_.slot_ms() - start_ms_ : -1, connect_ms_, 0,
                              t - start_ms_};
    srv->counters.note_times(times);
    if (be_) be_->counters.note_times(times);
  }
  // option dontlognull, as HAProxy: judged by what the client sent.
  if (fe_->log && !logged_ && !(fe_->dontlognull && bytes_in_ == 0)) log_end();
  // The stream's bytes go to every entry it sees; what it tracked is released.
  if (Session* sess = Session::of(scf_->conn); trk_.any() || (sess && sess->trk.any())) {
    const int64_t t = stick_now();
    count_tracked_bytes(&trk_, sess ? &sess->trk : nullptr, bytes_in_, bytes_out_, t);
    stick::track_stop_all(trk_, t);
  }
  scf_->mux->detach(scf_, false);
  mux::StreamConnector::pool().destroy(scf_);
  scf_ = nullptr;
}

void Stream::finish() {
  tasklet_.cancel();
  pool().destroy(this);
}

void Stream::fill_log_record(expr::LogRecord& r) {
  const int64_t t = EventLoop::current()->now_ms();
  const int64_t wall = wall_clock_ms();
  const net::Connection* cli = scf_->conn;
  const Session* sess = cli ? Session::of(cli) : nullptr;
  if (sess) {
    // The addresses set-src / set-dst left, as HAProxy logs them.
    const int luid = sess->bind ? sess->bind->id : 0;  // a UNIX socket's "port"
    to_log_addr(sess->client_addr(cli).sa(), &r.client, luid);
    if (const auto dst = sess->dst_addr(cli)) to_log_addr(dst->sa(), &r.frontend, luid);
  }
  r.backend_src = be_src_;
  const backend::Server* srv = ss_.server();
  if (srv) {
    const net::Address a = srv->address();
    to_log_addr(a.sa(), &r.server);
  }
  r.fe_name = fe_->name;
  r.fe_ssl = cli && cli->xprt && cli->xprt->ssl(cli);
  r.be_name = be_ ? be_->name() : fe_->name;
  r.srv_name = srv ? std::string_view(srv->name) : std::string_view("<NOSRV>");
  r.accept_ms = r.request_ms = wall - (t - start_ms_) - th_;  // from the accept
  r.th = th_;
  r.ti = 0;
  r.treq = 0;
  r.tw = ss_.slot_ms() >= 0 ? ss_.slot_ms() - start_ms_ : -1;
  r.tc = connect_ms_;
  r.tt = t - start_ms_ + th_;
  r.bytes_out = bytes_out_;
  r.bytes_in = bytes_in_;
  r.term = end_reason_;
  r.act_conns = Frontend::global_conns();
  r.fe_conns = fe_->cur_conns.load(std::memory_order_relaxed);
  if (be_) r.be_conns = be_->counters.cur_conns.load(std::memory_order_relaxed);  // beconn
  r.srv_conns = srv ? srv->cur_sess.load(std::memory_order_relaxed) : 0;
  r.retries = ss_.retries_done();
  r.redispatched = ss_.redispatched();
  r.be_queue = ss_.queue_pos();
  r.req_counter = req_id_;
  if (!fe_->logs.req_caps.empty()) caps_.fill(&r);
  r.unique_id = unique_id_;
  r.has_unique_id = has_unique_id_;
}

// A rule value's %-variables: the record as the log line would say it now.
const expr::LogRecord* Stream::rule_log_record(void* self) {
  static thread_local expr::LogRecord r;
  Stream* st = static_cast<Stream*>(self);
  r = expr::LogRecord{};
  st->fill_log_record(r);
  // %B and %U are the stream's totals, known at its end: the rules see 0,
  // as HAProxy's do in every phase (and as an HTTP stream's).
  r.bytes_out = r.bytes_in = 0;
  return &r;
}

void Stream::log_end() {
  if (!fe_->logs.fmt) return;
  // set-log-level silent, or a level the log does not want: no line.
  if (log_level_ == config::kLogSilent || log_level_ > fe_->logs.max_level) return;
  make_unique_id();
  expr::LogRecord r;
  fill_log_record(r);
  const net::Connection* cli = scf_->conn;
  const Session* sess = cli ? Session::of(cli) : nullptr;
  const backend::Server* srv = ss_.server();
  TxnFetch fetch(expr::kUseConn, cli, fe_, be_, nullptr, nullptr);
  fetch.set_server(srv);
  fetch.set_server_conn(ss_.scb() ? ss_.scb()->conn : nullptr);
  fetch.set_server_error(&ss_.conn_error());
  fetch.set_priority(&prio_);
  fetch.set_profile(&prof_);
  fetch.set_last_rule(&last_rule_);
  fetch.set_vars(&vars_, const_cast<Session*>(sess));
  fetch.set_stream_trackers(&trk_);
  fetch.set_captures(&caps_, &unique_id_, has_unique_id_);
  emit_access_log(fe_->logs, &fetch, r, traffic_log_level(fe_->logs, r, log_level_));
}

std::string_view Stream::unique_id_of(void* app) {
  auto* self = static_cast<Stream*>(app);
  self->make_unique_id();
  return self->has_unique_id_ ? std::string_view(self->unique_id_) : std::string_view();
}

void Stream::make_unique_id() {
  if (!fe_->logs.unique_id || has_unique_id_) return;
  expr::LogRecord r;
  const net::Connection* cli = scf_->conn;
  const Session* sess = cli ? Session::of(cli) : nullptr;
  if (sess) {
    const int luid = sess->bind ? sess->bind->id : 0;  // a UNIX socket's "port"
    to_log_addr(sess->client_addr(cli).sa(), &r.client, luid);
    if (const auto dst = sess->dst_addr(cli)) to_log_addr(dst->sa(), &r.frontend, luid);
  }
  const int64_t t = EventLoop::current()->now_ms();
  r.fe_name = fe_->name;
  r.be_name = be_ ? be_->name() : fe_->name;
  r.srv_name = "<NOSRV>";
  r.accept_ms = r.request_ms = wall_clock_ms() - (t - start_ms_) - th_;
  r.th = th_;
  r.tt = t - start_ms_ + th_;
  r.req_counter = req_id_;
  r.act_conns = Frontend::global_conns();
  r.fe_conns = fe_->cur_conns.load(std::memory_order_relaxed);
  TxnFetch fetch(expr::kUseConn, cli, fe_, be_, nullptr, nullptr);
  fetch.set_vars(&vars_, const_cast<Session*>(sess));
  fe_->logs.unique_id->render(&fetch, r, &unique_id_);
  has_unique_id_ = true;
}

const char* Stream::state_name() const {
  return state_ == State::kInspect       ? "inspect"
         : state_ == State::kAssign      ? "assign"
         : state_ == State::kConnect     ? "connect"
         : state_ == State::kEstablished ? "established"
                                         : "closed";
}

std::string Stream::describe(int64_t now_ms) const {
  return describe_stream(this, scf_->conn, fe_, be_, ss_.server(), now_ms - start_ms_,
                         state_name());
}

std::string Stream::describe_detail(int64_t now_ms) const {
  StreamDetail d;
  d.id = this;
  d.client = scf_->conn;
  d.fe = fe_;
  d.be = be_;
  d.ss = &ss_;
  d.start_ms = start_ms_;
  d.state = state_name();
  d.exp_ms = timer_.expire;
  d.calls = prof_.calls;
  d.req_total = bytes_in_;
  d.res_total = bytes_out_;
  return describe_stream_detail(d, now_ms);
}

void Stream::kill(char cause) {
  killed_ = true;
  kill_cause_ = cause;
  EventLoop::current()->wake(&tasklet_);
}

}  // namespace hearth::stream
