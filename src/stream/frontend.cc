#include "stream/frontend.h"

#include <sys/socket.h>
#include <unistd.h>

#include "core/pool.h"
#include "expr/condition.h"
#include "expr/log_format.h"
#include "mux/mux.h"
#include "net/connection.h"
#include "net/socket.h"
#include "net/tls_stats.h"
#include "net/transport.h"
#include "stream/accept_rate.h"
#include "stream/http_stream.h"
#include "stream/proxy_accept.h"
#include "stream/proxy_info.h"
#include "stream/sample_fetch.h"
#include "stream/session.h"
#include "stream/stick_counters.h"
#include "stream/stream.h"
#include "stream/tcp_rules.h"
#include "stream/tls_accept.h"

namespace hearth::stream {
namespace {
std::atomic<int> g_conns{0};
std::atomic<int> g_maxconn{4096};
}  // namespace

void Frontend::set_global_maxconn(int n) { g_maxconn.store(n, std::memory_order_relaxed); }
int Frontend::global_maxconn() { return g_maxconn.load(std::memory_order_relaxed); }
int Frontend::global_conns() { return g_conns.load(std::memory_order_relaxed); }

namespace {

// A disabled backend serves nothing: the stream has no backend (503, or a
// closed TCP connection), without falling through to another, as HAProxy.
backend::Backend* unless_disabled(backend::Backend* be) {
  return be && be->settings.disabled ? nullptr : be;
}

}  // namespace

backend::Backend* Frontend::select_backend(expr::FetchContext& ctx) const {
  for (const SwitchRule& r : switching) {
    if (r.cond && !expr::eval_condition(*r.cond, ctx)) continue;
    if (!r.fmt) return unless_disabled(r.backend);
    // A computed name that is no backend ends the rules, as in HAProxy.
    backend::Backend* be = find_registered_backend(r.fmt->eval(ctx));
    return unless_disabled(be && be->settings.mode == mode ? be : default_backend);
  }
  return unless_disabled(default_backend);
}

bool Frontend::may_accept(bool tls) const {
  if (g_conns.load(std::memory_order_relaxed) >= g_maxconn.load(std::memory_order_relaxed))
    return false;
  const int limit = maxconn.load(std::memory_order_relaxed);
  if (limit > 0 && cur_conns.load(std::memory_order_relaxed) >= limit) return false;
  const ProcessRates& pr = process_rates();
  if (!sess_rate_limit && !pr.conn_limit.load(std::memory_order_relaxed) &&
      !pr.sess_limit.load(std::memory_order_relaxed) &&
      !(tls && pr.ssl_limit.load(std::memory_order_relaxed)))
    return true;
  return accept_rate_wait(EventLoop::current()->now_ms(), tls) == 0;
}

int64_t Frontend::accept_rate_wait(int64_t now_ms, bool tls) const {
  const ProcessRates& pr = process_rates();
  int64_t wait = rate_wait_ms(pr.conns, pr.conn_limit.load(std::memory_order_relaxed), now_ms);
  const int64_t s = rate_wait_ms(pr.sess, pr.sess_limit.load(std::memory_order_relaxed), now_ms);
  if (s > wait) wait = s;
  if (tls) {
    auto ssl_rate = [](int64_t t) {
      const net::TlsStats& ts = net::tls_stats();
      return ts.fe_conns.rate(ts.since_origin(t));
    };
    const int64_t l = rate_wait_ms(ssl_rate, pr.ssl_limit.load(std::memory_order_relaxed), now_ms);
    if (l > wait) wait = l;
  }
  if (sess_rate_limit) {
    auto fe_rate = [this](int64_t t) {
      return backend::rate_sum(counters.t, &FrontendTallies::sess_rate, counters.sess_rate_max, t);
    };
    const int64_t f = rate_wait_ms(fe_rate, sess_rate_limit, now_ms);
    if (f > wait) wait = f;
  }
  return wait;
}

void Frontend::connection_closed() {
  cur_conns.fetch_sub(1, std::memory_order_relaxed);
  g_conns.fetch_sub(1, std::memory_order_relaxed);
  int t = thread_index();
  if (t < int(listeners_by_thread.size()))
    for (net::Listener* l : listeners_by_thread[t]) l->resume_soon();
}

bool frontend_gate(void* ctx) { return static_cast<Frontend*>(ctx)->may_accept(); }

int64_t frontend_accept_delay(void* ctx) {
  return static_cast<Frontend*>(ctx)->accept_rate_wait(EventLoop::current()->now_ms());
}

bool frontend_tls_gate(void* ctx) { return static_cast<Frontend*>(ctx)->may_accept(true); }

int64_t frontend_tls_accept_delay(void* ctx) {
  return static_cast<Frontend*>(ctx)->accept_rate_wait(EventLoop::current()->now_ms(), true);
}

namespace {
// Every accepted connection counts against maxconn until its socket is closed,
// whichever layer closes it; its session (and any private server connection
// in it) goes with it.
void on_client_conn_destroyed(net::Connection* c, void* ctx) {
  auto* s = static_cast<Session*>(ctx);
  Frontend* fe = s->fe;
  c->owner = nullptr;
  Session::pool().destroy(s);
  fe->connection_closed();
}

// tcp-request connection rules (before any TLS handshake). Returns: false if
// one rejected or dropped: the caller closes without a byte; a reject resets
// the connection; a silent-drop counts as a denied request (as HAProxy's).
bool tcp_connection_rules(Frontend* fe, net::Connection* c, Session* s) {
  if (fe->tcp.connection.empty()) return true;
  TcpFetch fetch(expr::kUseConn, c, fe, nullptr);
  fetch.set_vars(nullptr, s);  // set-src & co change the session's addresses
  fetch.set_session_only(s);
  fetch.set_expect_proxy(&s->expect_proxy);
  TcpVerdict v = eval_tcp_rules(fe->tcp.connection, fetch);
  if (v == TcpVerdict::kReject) {
    fe->count(&FrontendTallies::denied_conn, s->bind_counters);
    linger l{1, 0};
    setsockopt(c->fd(), SOL_SOCKET, SO_LINGER, &l, sizeof l);
    return false;
  }
  if (v == TcpVerdict::kDrop) {
    fe->count(&FrontendTallies::denied_req, s->bind_counters);
    net::prepare_silent_drop(c->fd());
    return false;
  }
  return true;
}

// tcp-request session rules (after the handshake). Returns: false if one
// rejected (the connection is closed normally, as HAProxy 2.6) or dropped.
bool tcp_session_rules(Frontend* fe, net::Connection* c, Session* s) {
  if (fe->tcp.session.empty()) return true;
  TcpFetch fetch(expr::kUseConn, c, fe, nullptr);
  fetch.set_vars(nullptr, s);
  fetch.set_session_only(s);
  const TcpVerdict v = eval_tcp_rules(fe->tcp.session, fetch);
  if (v == TcpVerdict::kDrop) {
    fe->count(&FrontendTallies::denied_req, s->bind_counters);
    net::prepare_silent_drop(c->fd());
    return false;
  }
  if (v == TcpVerdict::kReject) {
    fe->count(&FrontendTallies::denied_sess, s->bind_counters);
    return false;
  }
  return true;
}

// The session starts: session rules, the connect line, the mux.
void start_session(net::Connection* c, Frontend* fe) {
  Session* s = Session::of(c);
  s->handshake_ms = EventLoop::current()->now_ms() - s->accept_ms;
  if (!tcp_session_rules(fe, c, s)) {
    c->destroy();  // the session goes with it
    return;
  }
  // A session begins for what the connection and session rules track.
  if (s->trk.any()) count_tracked(nullptr, &s->trk, stick::Event::kSess, stick_now());
  // No format: HAProxy's default line, once per accepted connection.
  if (fe->log && fe->logs.connect_line && fe->logs.max_level >= config::kLogInfo) {
    // The addresses a PROXY header gave, as HAProxy's line shows them.
    const std::optional<net::Address> to = s->pp ? s->dst_addr(c) : std::nullopt;
    emit_connect_line(fe->logs, *c, fe->name, fe->mode == config::Mode::kHttp,
                      s->pp ? &s->client_addr(c) : nullptr, to ? &*to : nullptr);
  }
  const char* mode = fe->mode == config::Mode::kHttp ? "h1" : "pt";
  mux::StreamFactory factory =
      fe->mode == config::Mode::kHttp ? &HttpStream::create_incoming : &Stream::create_incoming;
  if (!mux::MuxRegistry::install(mode, c, nullptr, factory, fe)) c->destroy();
}

// After the connection rules and the PROXY header, if any: the TLS handshake
// on an ssl line, then the session.
void after_proxy_header(net::Connection* c, Frontend* fe) {
  if (c->xprt->ssl(c))
    await_tls_handshake(c, fe, &start_session);
  else
    start_session(c, fe);
}

}  // namespace

void frontend_accept(net::Listener* l, int fd, const net::Address& peer, void* ctx) {
  auto* fe = static_cast<Frontend*>(ctx);
  backend::raise_max(fe->counters.max_conns,
                     fe->cur_conns.fetch_add(1, std::memory_order_relaxed) + 1);
  g_conns.fetch_add(1, std::memory_order_relaxed);
  EventLoop* loop = EventLoop::current();
  const int64_t now = loop->now_ms();
  stream::FrontendTallies& tally = fe->counters.local();
  tally.sessions.add();
  tally.sess_rate.add(now, fe->counters.sess_rate_max);
  process_rates().conns.add(now);
  if (fe->cli_sock.keepalive) net::apply_sock_options(fd, fe->cli_sock);
  const uint32_t linger = fe->cli_sock.nolinger ? uint32_t(net::kConnNoLinger) : 0u;
  net::Connection* c = net::Connection::create(loop, fd, peer, net::kConnConnected | linger);
  if (!c) {  // pool limit or epoll refusal: refuse this one, keep running
    fe->connection_closed();
    return;
  }
  Session* s = Session::pool().create(fe);
  if (!s || !c->set_transport(l->transport())) {
    if (s) Session::pool().destroy(s);
    c->destroy();
    fe->connection_closed();
    return;
  }
  if ((s->bind = l->bind())) {
    const int cur = s->bind->cur.fetch_add(1, std::memory_order_relaxed) + 1;
    if (s->bind->stats_slot >= 0) {
      FrontendCounters* bc = &fe->bind_stats[size_t(s->bind->stats_slot)]->counters;
      s->bind_counters = bc;
      bc->local().sessions.add();
      backend::raise_max(bc->max_conns, cur);
    }
  }
  s->accept_ms = loop->now_ms();
  c->owner = s;
  c->on_destroy = &on_client_conn_destroyed;
  c->on_destroy_ctx = s;
  if (!tcp_connection_rules(fe, c, s)) {
    c->destroy();  // the session goes with it
    return;
  }
  process_rates().sess.add(now);
  if (s->expect_proxy || (s->bind && s->bind->accept_proxy))
    await_proxy_header(c, fe, &after_proxy_header);
  else
    after_proxy_header(c, fe);
}

}  // namespace hearth::stream
