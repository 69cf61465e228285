// HttpStream: lifecycle, server selection, connection reuse, retries, timeouts.
// The request/response byte paths are in http_txn.cc.
#include "stream/http_stream.h"

#include <algorithm>
#include <atomic>

#include "mux/mux.h"
#include "net/connection.h"
#include "net/socket.h"
#include "net/transport.h"
#include "stream/server_connect.h"

namespace hearth::stream {
namespace {
std::atomic<bool> g_soft_stop{false};
}

int& live_streams_on_thread() {
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
      tasklet_(&HttpStream::process_cb, this),
      timer_(&HttpStream::timer_cb, this) {
  wait_f_.tasklet = &tasklet_;
  wait_b_.tasklet = &tasklet_;
  start_ms_ = now();
  int64_t to = fe->timeouts.http_request ? fe->timeouts.http_request : fe->timeouts.client;
  req_exp_ = to ? start_ms_ + to : kNever;
  ++live_streams_on_thread();
}

HttpStream::~HttpStream() {
  fe_->counters.bytes_out.fetch_add(bytes_out_, std::memory_order_relaxed);
  EventLoop::current()->timers().cancel(&timer_);
  --live_streams_on_thread();
}

int64_t HttpStream::now() const { return EventLoop::current()->now_ms(); }

int64_t HttpStream::deadline(int64_t timeout) const { return timeout ? now() + timeout : kNever; }

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
  switch (phase_) {
    case Phase::kReqHead: read_request_head(); break;
    case Phase::kLocalReply: flush_local_reply(); break;
    case Phase::kQueued:
      if (waiter_ && waiter_->assigned) {
        srv_ = be_->cancel_wait(waiter_);
        waiter_ = nullptr;
        take_connection();
      } else if (waiter_ && waiter_->rejected) {  // every server went down meanwhile
        be_->cancel_wait(waiter_);
        waiter_ = nullptr;
        be_->counters.no_server.fetch_add(1, std::memory_order_relaxed);
        term_ = "SC";
        reply(503, "text/plain", "Service Unavailable\n", true);
      }
      break;
    case Phase::kConnecting: check_connect(); break;
    case Phase::kExchange: exchange(); break;
    case Phase::kTunnel: tunnel(); break;
    case Phase::kDone: break;
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

static bool past(int64_t exp, int64_t now) { return exp != kNever && exp <= now; }

void HttpStream::check_timeouts() {
  const int64_t t = now();
  switch (phase_) {
    case Phase::kReqHead:
      if (!past(req_exp_, t)) return;
      term_ = "cR";
      if (fmux()->ibuf().empty()) return abort_all();  // nothing asked: just close
      return reply(408, "text/plain", "Request Timeout\n", true);
    case Phase::kQueued:
      if (!past(queue_exp_, t)) return;
      be_->counters.queue_timeouts.fetch_add(1, std::memory_order_relaxed);
      term_ = "sQ";
      return reply(503, "text/plain", "Service Unavailable\n", true);
    case Phase::kConnecting:
      if (past(conn_exp_, t)) connect_failed();
      return;
    case Phase::kExchange:
      if (past(srv_exp_, t)) {
        term_ = res_head_done_ ? "sD" : "sH";
        if (!res_head_done_ && res_bytes_ == 0 && try_retry(config::kRetryResponseTimeout, false)) return;
        if (res_bytes_ == 0) return reply(504, "text/plain", "Gateway Timeout\n", true);
        return abort_all();
      }
      if (past(cli_exp_, t)) {
        term_ = "cD";
        return abort_all();
      }
      return;
    case Phase::kTunnel:
      if (past(tun_exp_, t)) {
        term_ = "cD";
        abort_all();
      }
      return;
    case Phase::kLocalReply:
      if (past(cli_exp_, t)) abort_all();
      return;
    case Phase::kDone: return;
  }
}

void HttpStream::assign_server() {
  backend::LbRequest req;
  req.source_hash = scf_->conn->peer().ip_hash();
  req.avoid = avoid_;
  // The server of the client's private connection: with prefer-last-server, or
  // always when an authentication handshake bound that connection to the client.
  if (void* owner = fmux()->private_owner()) {
    net::Connection* pc = fmux()->private_conn(owner);
    req.prefer_strict = pc->flags & net::kConnPrivate;
    if (bs().prefer_last_server || req.prefer_strict)
      req.prefer = static_cast<backend::Server*>(owner);
  }
  backend::Server* s = nullptr;
  switch (be_->take(req, &s, EventLoop::current(), &tasklet_, &waiter_)) {
    case backend::TakeResult::kAssigned:
      srv_ = s;
      return take_connection();
    case backend::TakeResult::kQueued: {
      phase_ = Phase::kQueued;
      if (fe_->log) {  // for the log: the requests ahead of this one
        size_t q = be_->queue_length();
        be_queue_pos_ = q ? uint32_t(q - 1) : 0;
      }
      queue_exp_ = deadline(bs().timeouts.queue ? bs().timeouts.queue : bs().timeouts.connect);
      return;
    }
    case backend::TakeResult::kNoServer:
    case backend::TakeResult::kQueueFull:
      be_->counters.no_server.fetch_add(1, std::memory_order_relaxed);
      term_ = "SC";
      return reply(503, "text/plain", "Service Unavailable\n", true);
  }
}

// How long a connection may have been idle and still carry this request under
// http-reuse safe or never: no bound for an idempotent request (it can be
// replayed); for another, `timeout reuse-window` or what the server has been
// seen to keep open, whichever is longer.
int64_t HttpStream::max_idle_for_request() const {
  if (idempotent_) return kNever;
  return std::max(bs().reuse_window_ms, srv_->keepalive.proven_idle_ms());
}

// A request that must never be sent twice pays one system call to look for a
// close the poller has not reported yet; idempotent ones can be replayed
// instead, so they skip it. Returns: c if it may carry the request; otherwise
// c was destroyed (counted stale) and the result is nullptr.
net::Connection* HttpStream::vet_for_request(net::Connection* c) {
  if (idempotent_ || c->xprt->drain(c) == net::DrainResult::kEmpty) return c;
  srv_->counters.stale_idle.fetch_add(1, std::memory_order_relaxed);
  c->mux->destroy();
  return nullptr;
}

// The client's private connection (http-reuse never, or bound by an
// authentication handshake), if it leads to srv_ and is fit for this request.
// One that is not is closed (or, if its drain is pending, left to it); the one
// this request opens will replace it.
net::Connection* HttpStream::take_private_connection() {
  mux::MuxH1* fm = fmux();
  net::Connection* c = fm->private_conn(srv_);
  if (!c) return nullptr;
  const int64_t t = now();
  switch (backend::idle_verdict(c, t, srv_->pool_limits.idle_timeout_ms, &srv_->keepalive)) {
    case backend::IdleVerdict::kDead:
      c->mux->destroy();  // its unlink hook counts it stale
      return nullptr;
    case backend::IdleVerdict::kPending: return nullptr;
    case backend::IdleVerdict::kExpired: fm->close_private(); return nullptr;
    case backend::IdleVerdict::kUsable: break;
  }
  // One bound by an authentication handshake is worth keeping whatever the
  // method: another connection would start the handshake over.
  const int64_t max_idle = (c->flags & net::kConnPrivate) ? kNever : max_idle_for_request();
  if (max_idle != kNever && t - c->idle_since_ms > max_idle) {
    fm->close_private();
    return nullptr;
  }
  return vet_for_request(fm->take_private());
}

// Picks an idle connection when the reuse policy allows it, else opens one.
// http-reuse safe: a client's first request gets a new connection; a
// non-idempotent request reuses only a connection that finished an exchange
// within `timeout reuse-window`, or one no older than the server has been seen
// to keep connections open (KeepAliveEstimator::proven_idle_ms).
// Under every policy, the client's own private connection comes first;
// http-reuse never: only that one.
void HttpStream::take_connection() {
  log_srv_ = srv_;
  if (slot_ms_ < 0) slot_ms_ = now();
  backend::IdlePool* pool = srv_->local_pool();
  net::Connection* c = nullptr;
  if (!force_fresh_) c = take_private_connection();
  if (!c && !force_fresh_ && bs().reuse != config::HttpReuse::kNever && pool) {
    const bool first = fmux()->transactions() == 0;
    bool allowed = true, safe_only = false;
    int64_t max_idle = kNever;
    switch (bs().reuse) {
      case config::HttpReuse::kSafe:
        allowed = !first;
        max_idle = max_idle_for_request();
        break;
      case config::HttpReuse::kAggressive: safe_only = first; break;
      default: break;
    }
    while (allowed && (c = pool->take(safe_only, now(), max_idle)) && !(c = vet_for_request(c))) {
    }
  }
  if (!c) return connect_new();
  scb_ = mux::StreamConnector::pool().create();
  if (!scb_ || !c->mux->attach(scb_)) {
    if (scb_) mux::StreamConnector::pool().destroy(scb_);
    scb_ = nullptr;
    c->mux->destroy();
    return connect_new();
  }
  scb_->app = this;
  scb_->app_tasklet = &tasklet_;
  reused_ = true;
  conn_idle_ms_ = now() - c->idle_since_ms;
  srv_->counters.reused.fetch_add(1, std::memory_order_relaxed);
  phase_ = Phase::kExchange;
  conn_ready_ms_ = now();
  srv_exp_ = deadline(bs().timeouts.server);
  exchange();
}

void HttpStream::connect_new() {
  reused_ = false;
  phase_ = Phase::kConnecting;
  conn_exp_ = deadline(bs().timeouts.connect);
  srv_->counters.conns_opened.fetch_add(1, std::memory_order_relaxed);
  scb_ = open_server_connection(srv_->addr, "h1", this, &tasklet_, &wait_b_);
  if (!scb_) return connect_failed();
}

void HttpStream::check_connect() {
  net::Connection* c = scb_->conn;
  if (!(c->flags & (net::kConnSendReady | net::kConnError))) return;
  if (net::socket_error(c->fd()) != 0 || (c->flags & net::kConnError)) return connect_failed();
  c->flags = (c->flags & ~net::kConnConnecting) | net::kConnConnected;
  phase_ = Phase::kExchange;
  conn_ready_ms_ = now();
  srv_exp_ = deadline(bs().timeouts.server);
  exchange();
}

void HttpStream::connect_failed() {
  if (srv_) srv_->counters.connect_errors.fetch_add(1, std::memory_order_relaxed);
  drop_server_side(false);
  if (retries_left_ > 0 && (bs().retry_on & config::kRetryConnFailure)) {
    --retries_left_;
    srv_->counters.retries.fetch_add(1, std::memory_order_relaxed);
    if (bs().redispatch && retries_left_ == 0 && be_->servers().size() > 1) {
      avoid_ = srv_;
      be_->release(srv_);
      srv_->counters.redispatches.fetch_add(1, std::memory_order_relaxed);
      srv_ = nullptr;
      return assign_server();
    }
    return connect_new();
  }
  term_ = "SC";
  reply(503, "text/plain", "Service Unavailable\n", true);
}

// A retry re-sends the buffered request on a NEW connection. Allowed only when
// the request is idempotent (RFC 9110 §9.2.2) and still whole in req_out_, and
// either the failure is the reuse race (a reused connection died before any
// response byte) or `retry-on` names the condition.
bool HttpStream::try_retry(uint32_t condition, bool reused_race) {
  if (!replayable_ || !idempotent_ || retries_left_ <= 0) return false;
  if (!reused_race && !(bs().retry_on & condition)) return false;
  --retries_left_;
  srv_->counters.retries.fetch_add(1, std::memory_order_relaxed);
  drop_server_side(false);
  req_sent_ = 0;
  res_bytes_ = 0;
  res_head_done_ = res_done_ = false;
  res_fed_ = 0;
  res_out_.release();
  scan_pos_ = 0;
  force_fresh_ = true;
  connect_new();
  return true;
}

void HttpStream::drop_server_side(bool keep_idle) {
  if (!scb_) return;
  if (scb_->mux) scb_->mux->detach(scb_, keep_idle);
  mux::StreamConnector::pool().destroy(scb_);
  scb_ = nullptr;
}

void HttpStream::abort_all() {
  drop_server_side(false);
  if (waiter_) {
    if (backend::Server* g = be_->cancel_wait(waiter_)) be_->release(g);
    waiter_ = nullptr;
  }
  if (srv_) be_->release(srv_);
  srv_ = nullptr;
  if (fe_->log) log_end();
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
    if (!waiting || !timeout) *exp = kNever;
    else if (*exp == kNever) *exp = t + timeout;
  };
  constexpr uint32_t kEnd = mux::kScEos | mux::kScError;
  const bool from_client = !req_done_ && req_out_.room() > 0 && !(scf_->flags & kEnd);
  const bool to_client = !res_out_.empty() || res_fed_ > 0;
  const bool to_server = scb_ && req_sent_ < req_out_.len();
  const bool from_server = scb_ && !res_done_ && res_fed_ == 0 && !bmux()->ibuf().full();
  arm(&cli_exp_, from_client || to_client, fe_->timeouts.client);
  arm(&srv_exp_, from_server || to_server, be_ ? bs().timeouts.server : 0);
}

void HttpStream::update_timer() {
  int64_t exp = kNever;
  auto lower = [&exp](int64_t e) { exp = e < exp ? e : exp; };
  switch (phase_) {
    case Phase::kReqHead: lower(req_exp_); break;
    case Phase::kQueued: lower(queue_exp_); break;
    case Phase::kConnecting: lower(conn_exp_); break;
    case Phase::kExchange: lower(srv_exp_); lower(cli_exp_); break;
    case Phase::kTunnel: lower(tun_exp_); break;
    case Phase::kLocalReply: lower(cli_exp_); break;
    case Phase::kDone: break;
  }
  EventLoop::current()->timers().arm(&timer_, exp);
}

}  // namespace hearth::stream
