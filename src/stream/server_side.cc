#include "stream/server_side.h"

#include "backend/passive_health.h"
#include "core/event_loop.h"
#include "expr/sample_expr.h"
#include "mux/mux.h"
#include "net/connection.h"
#include "net/proxy_out.h"
#include "net/socks4.h"
#include "net/tls_transport.h"
#include "stream/proxy_info.h"
#include "stream/server_connect.h"
#include "stream/session.h"

namespace hearth::stream {
namespace {

constexpr int64_t kTurnAroundMs = 1000;  // longest wait before retrying a refused connect

}  // namespace

ServerSide::ServerSide(const char* mode, void* app, Tasklet* tasklet, WaitEvent* wait)
    : mode_(mode), app_(app), tasklet_(tasklet), wait_(wait) {}

ServerSide::~ServerSide() { release(); }

ServerSide::State ServerSide::start(backend::Backend* be, const backend::LbRequest& req,
                                    const backend::ConnRequest* reuse, int64_t now_ms) {
  be_ = be;
  lb_ = req;
  may_reuse_ = reuse != nullptr;
  if (reuse) reuse_ = *reuse;
  reuse_.guarded = &guarded_;
  guarded_ = false;
  retries_left_ = bs().retries;
  return assign(now_ms);
}

ServerSide::State ServerSide::assign(int64_t now_ms) {
  lb_.avoid = avoid_;
  backend::Server* s = nullptr;
  switch (be_->take(lb_, &s, EventLoop::current(), tasklet_, &waiter_)) {
    case backend::TakeResult::kAssigned:
      return granted(s, now_ms);
    case backend::TakeResult::kQueued: {
      state_ = State::kQueued;
      const size_t q = be_->queue_length();
      queue_pos_ = q ? uint32_t(q - 1) : 0;
      exp_ =
          deadline_after(now_ms, bs().timeouts.queue ? bs().timeouts.queue : bs().timeouts.connect);
      return state_;
    }
    case backend::TakeResult::kServerQueueFull:
      last_srv_ = lb_.forced;  // logged with its server, as HAProxy
      return fail("SQ");
    case backend::TakeResult::kNoServer:
    case backend::TakeResult::kQueueFull:
      break;
  }
  be_->counters.local().no_server.add();
  return fail("SC");
}

void ServerSide::settle_sni() {
  const size_t n =
      srv_->sni && sni_eval_ ? sni_eval_(app_, *srv_->sni, sni_buf_, sizeof sni_buf_) : 0;
  sni_ = std::string_view(sni_buf_, n);
  reuse_.sni = sni_;
}

net::ProxySource ServerSide::proxy_source() const {
  net::ProxySource from;
  from.client = client_;
  from.src = pp_src_ ? &*pp_src_ : nullptr;
  from.dst = pp_dst_ ? &*pp_dst_ : nullptr;
  const Session* sess = client_ ? Session::of(client_) : nullptr;
  if (sess && sess->pp) from.authority = sess->pp->authority_view();
  if (unique_id_fn_ && (srv_->pp_opts & net::kPpOptUniqueId)) from.unique_id = unique_id_fn_(app_);
  return from;
}

net::Address ServerSide::target_address() const {
  std::optional<net::Address> dst;
  if (srv_->client_dependent() && client_) {
    if (const Session* sess = Session::of(client_)) dst = sess->dst_addr(client_);
  }
  return srv_->target(dst ? &*dst : nullptr);
}

void ServerSide::settle_client_binding() {
  pp_src_.reset();
  pp_dst_.reset();
  reuse_.client_key = 0;
  if (srv_->pp_version) {
    if (const Session* sess = client_ ? Session::of(client_) : nullptr) {
      pp_src_ = sess->client_addr(client_);
      pp_dst_ = sess->dst_addr(client_);
    }
    reuse_.client_key = net::proxy_header_key(proxy_source(), srv_->pp_opts);
  }
  // A server whose address comes from the client: each connection is good
  // for the address it was opened to.
  if (srv_->client_bound()) {
    const uint64_t k = std::hash<std::string>{}(target_address().str());
    reuse_.client_key = (reuse_.client_key ^ (k + 0x9e3779b97f4a7c15ull + (reuse_.client_key << 6) +
                                              (reuse_.client_key >> 2))) |
                        1;  // never 0: 0 means "not bound"
  }
}

// A slot on s is ours: reuse an idle connection if the pool offers one.
ServerSide::State ServerSide::granted(backend::Server* s, int64_t now_ms) {
  srv_ = last_srv_ = s;
  if (slot_ms_ < 0) slot_ms_ = now_ms;
  settle_sni();
  settle_client_binding();
  if (redirectable_ && !srv_->redir.empty()) {
    exp_ = kNever;
    return state_ = State::kRedirect;
  }
  backend::ConnPool* pool = pooled() ? srv_->local_pool() : nullptr;
  net::Connection* c = pool ? pool->acquire(reuse_, now_ms) : nullptr;
  if (!c) return connect(now_ms);
  scb_ = mux::StreamConnector::pool().create();
  if (!scb_ || !c->mux->attach(scb_)) {
    if (scb_) mux::StreamConnector::pool().destroy(scb_);
    scb_ = nullptr;
    if (c->mux->nb_streams() == 0) c->mux->destroy();  // never a connection others use
    return connect(now_ms);
  }
  pool->note_streams(c);
  scb_->app = app_;
  scb_->app_tasklet = tasklet_;
  reused_ = true;
  idle_ms_ = now_ms - c->idle_since_ms;
  served_before_ = c->exchanges;
  srv_->counters.local().reused.add();
  backend::note_passive(*srv_, backend::PassiveEvent::kL4Ok);
  ready_ms_ = now_ms;
  exp_ = kNever;
  return state_ = State::kReady;
}

ServerSide::State ServerSide::connect(int64_t now_ms) {
  reused_ = false;
  served_before_ = 0;
  state_ = State::kConnecting;
  connect_start_ms_ = now_ms;
  exp_ = deadline_after(now_ms, bs().timeouts.connect);
  backend::ServerTallies& tally = srv_->counters.local();
  tally.conns_opened.add();
  if (!reuse_.idempotent) tally.fresh_non_idempotent.add();
  if (guarded_ && !reuse_.fresh) tally.guarded.add();
  const uint32_t gen = srv_->addr_gen();  // before the address: a change between closes it later
  const net::Address to = target_address();
  // Through a SOCKS4 proxy: the socket connects to the proxy, which is asked
  // for the server.
  scb_ = open_server_connection(srv_->socks4 ? *srv_->socks4 : to, srv_->xprt(),
                                mode_ ? mode_ : srv_->http_mux, app_, tasklet_, wait_,
                                srv_->conn_opts, &bs().srv_sock);
  if (!scb_) {  // refused at once: opened and closed
    tally.conns_closed.add();
    return connect_failed(false, now_ms);
  }
  scb_->conn->addr_gen = gen;
  // Counted closed when it goes, wherever it is then (in use, idle, retired).
  scb_->conn->on_destroy = [](net::Connection*, void* srv) {
    static_cast<backend::Server*>(srv)->counters.local().conns_closed.add();
  };
  scb_->conn->on_destroy_ctx = srv_;
  if (srv_->socks4) {
    if (!net::queue_socks4_connect(scb_->conn, to)) return connect_failed(false, now_ms);
    scb_->conn->set_peer(to);
  }
  if (srv_->pp_version &&
      !net::queue_proxy_header(scb_->conn, srv_->pp_version, srv_->pp_opts, proxy_source()))
    return connect_failed(false, now_ms);
  scb_->conn->client_key = reuse_.client_key;  // settle_client_binding
  if (!net::tls_client_prepare(scb_->conn, sni_)) return connect_failed(false, now_ms);
  return state_;
}

ServerSide::State ServerSide::step(int64_t now_ms) {
  switch (state_) {
    case State::kQueued:
      if (waiter_ && waiter_->assigned) {
        backend::Server* s = be_->cancel_wait(waiter_);
        waiter_ = nullptr;
        return granted(s, now_ms);
      }
      if (waiter_ && waiter_->rejected) {  // every server went down meanwhile
        be_->counters.local().no_server.add();
        return fail("SC");
      }
      if (deadline_reached(exp_, now_ms)) {
        be_->counters.local().queue_timeouts.add();
        return fail("sQ");
      }
      return state_;
    case State::kConnecting:
      switch (scb_->conn->connect_status()) {
        case net::ConnectStatus::kPending: {
          if (deadline_reached(exp_, now_ms)) return connect_failed(true, now_ms);
          // Connected, a TLS handshake under way: wait for what it needs.
          net::Connection* c = scb_->conn;
          const uint32_t wants = c->connect_wants();
          c->xprt->subscribe(c, wants ? wants : kWakeSend, wait_);
          return state_;
        }
        case net::ConnectStatus::kFailed:
          return connect_failed(false, now_ms);
        case net::ConnectStatus::kEstablished:
          break;
      }
      // A new connection that can carry more streams is offered to others.
      if (backend::ConnPool* pool = pooled() ? srv_->local_pool() : nullptr)
        pool->note_streams(scb_->conn);
      ready_ms_ = now_ms;
      exp_ = kNever;
      note_conn_error(scb_->conn);
      if (scb_->conn->xprt->ssl(scb_->conn)) {
        backend::ServerTallies& tally = srv_->counters.local();
        (net::tls_resumed(scb_->conn) ? tally.ssl_reused : tally.ssl_sessions).add();
      }
      backend::note_passive(*srv_, backend::PassiveEvent::kL4Ok);
      return state_ = State::kReady;
    case State::kTurnAround:
      return deadline_reached(exp_, now_ms) ? connect(now_ms) : state_;
    case State::kIdle:
    case State::kReady:
    case State::kFailed:
    case State::kRedirect:
      return state_;
  }
  return state_;
}

// A connect failed. Retries go to the same server, after a turn-around when
// the server answered with an error (as HAProxy: a server that refused at
// once would most likely refuse an immediate retry too; a timeout has already
// waited); with `option redispatch` the last retry goes to another server
// (the first one when the server is down: it was chosen by persistence), by
// load balancing, unless force-persist holds the session to it.
ServerSide::State ServerSide::connect_failed(bool timeout, int64_t now_ms) {
  srv_->counters.local().connect_errors.add();
  backend::note_passive(*srv_, backend::PassiveEvent::kL4Err);
  if (scb_) {
    net::Connection* c = scb_->conn;
    if (timeout && (c->flags & net::kConnConnected)) net::set_tls_timeout(c);  // in the handshake
    note_conn_error(c);
    // A handshake the server broke off or refused (not a timeout, as HAProxy).
    if (!timeout && c->xprt->ssl(c) && net::tls_failure(c) != net::TlsFailure::kNone)
      srv_->counters.local().ssl_failed_handshakes.add();
  }
  drop_connection();
  const bool retry_allowed =
      bs().mode != config::Mode::kHttp || (bs().retry_on & config::kRetryConnFailure);
  if (retries_left_ <= 0 || !retry_allowed) {
    srv_->counters.local().failed_conns.add();  // econ, as HAProxy: once it gives up
    return fail(timeout ? "sC" : "SC");
  }
  --retries_left_;
  ++retries_done_;
  backend::ServerTallies& tally = srv_->counters.local();
  tally.retries.add();
  tally.retries_connect.add();
  if (bs().redispatch && !lb_.no_redispatch && (retries_left_ == 0 || !srv_->serving()) &&
      be_->servers().size() > 1) {
    lb_.forced = nullptr;  // persistence (cookie, use-server) is broken
    lb_.forced_down_ok = false;
    avoid_ = srv_;
    be_->release(srv_);
    srv_->counters.local().redispatches.add();
    srv_ = nullptr;
    return assign(now_ms);
  }
  srv_->counters.note_attempt(now_ms);  // the retry is a session on it (stot)
  if (timeout) return connect(now_ms);
  const int64_t ct = bs().timeouts.connect;
  exp_ = now_ms + (ct && ct < kTurnAroundMs ? ct : kTurnAroundMs);
  return state_ = State::kTurnAround;
}

ServerSide::State ServerSide::refused_after_connect(bool replayable, int64_t now_ms) {
  if (!replayable) retries_left_ = 0;
  ready_ms_ = -1;  // never connected after all (Tc -1 if no retry succeeds)
  return connect_failed(false, now_ms);
}

bool ServerSide::reconnect(int64_t now_ms, bool reuse_race) {
  if (!srv_ || retries_left_ <= 0) return false;
  --retries_left_;
  ++retries_done_;
  backend::ServerTallies& tally = srv_->counters.local();
  tally.retries.add();
  (reuse_race ? tally.retries_reuse_race : tally.retries_l7).add();
  srv_->counters.note_attempt(now_ms);
  drop_connection();
  reuse_.fresh = true;  // a replay never goes on a reused connection
  connect(now_ms);
  return true;
}

ServerSide::State ServerSide::fail(const char* term) {
  release();
  term_ = term;
  return state_ = State::kFailed;
}

ServerConnError conn_error_of(const net::Connection* c) {
  return ServerConnError{true, c->xprt && c->xprt->ssl(c), net::tls_failure(c),
                         net::tls_ssl_error(c)};
}

void ServerSide::note_conn_error(const net::Connection* c) { conn_err_ = conn_error_of(c); }

void ServerSide::drop_connection() {
  if (!scb_) return;
  if (scb_->mux) scb_->mux->detach(scb_, false);
  mux::StreamConnector::pool().destroy(scb_);
  scb_ = nullptr;
}

void ServerSide::finish(const backend::ConnRelease* done, int64_t now_ms) {
  if (scb_) {
    backend::ConnPool* pool = done && srv_ && pooled() ? srv_->local_pool() : nullptr;
    if (pool && scb_->mux) {
      pool->release(scb_, *done, now_ms);
      mux::StreamConnector::pool().destroy(scb_);
      scb_ = nullptr;
    } else {
      drop_connection();
    }
  }
  if (waiter_) {
    if (backend::Server* g = be_->cancel_wait(waiter_)) be_->release(g);
    waiter_ = nullptr;
  }
  if (srv_) be_->release(srv_);
  srv_ = nullptr;
  state_ = State::kIdle;
  exp_ = kNever;
}

}  // namespace hearth::stream
