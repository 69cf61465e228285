#include "backend/conn_pool.h"

#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <mutex>
#include <optional>

#include "backend/conn_evidence.h"
#include "backend/fd_pressure.h"
#include "backend/private_conn.h"
#include "backend/server.h"
#include "core/event_loop.h"
#include "mux/mux.h"
#include "net/connection.h"
#include "net/tls_transport.h"
#include "net/transport.h"

namespace hearth::backend {

using config::HttpReuse;

namespace {
thread_local ConnPool::ParkHook tl_park_hook = nullptr;
thread_local void* tl_park_ctx = nullptr;
// The starved hook: one per process, set once, then switched on and off.
std::mutex g_starved_mu;
ConnPool::ParkHook g_starved_fn = nullptr;
void* g_starved_ctx = nullptr;
std::atomic<bool> g_starved_on{false};
}  // namespace

void ConnPool::set_starved_hook(ParkHook fn, void* ctx) {
  std::lock_guard<std::mutex> g(g_starved_mu);
  if (!fn) {
    g_starved_on.store(false);
    return;
  }
  if (!g_starved_fn) {  // set once: readers see it before they see "on"
    g_starved_fn = fn;
    g_starved_ctx = ctx;
  }
  if (g_starved_fn == fn && g_starved_ctx == ctx)
    g_starved_on.store(true, std::memory_order_release);
}

void ConnPool::set_park_hook(ParkHook fn, void* ctx) {
  tl_park_hook = fn;
  tl_park_ctx = ctx;
}

ConnPool::ConnPool(const PoolSettings& settings, Server* srv, bool leader)
    : settings_(settings),
      srv_(srv),
      leader_(leader),
      idle_({settings.max_conn, settings.idle_timeout_ms, settings.max_reuse}, &srv->keepalive,
            &srv->reqlimit) {
  idle_.set_death_hook(
      [](void* ctx, uint32_t served, int64_t idle_ms, int64_t now_ms) {
        note_conn_death(*static_cast<Server*>(ctx), served, idle_ms, /*in_flight=*/false, now_ms);
      },
      srv);
}

ConnPool::~ConnPool() {
  avail_.for_each([this](ListHook* h) {
    unlink_available(container_of<net::Connection, &net::Connection::idle_hook>(h));
  });
}

int64_t ConnPool::max_idle_for(const ConnRequest& r) const {
  if (r.idempotent) return kNever;
  return std::max(settings_.reuse_window_ms, srv_->keepalive.proven_idle_ms());
}

// A request that must never be sent twice pays one system call to look for a
// close the poller has not reported yet; idempotent ones can be replayed
// instead, so they skip it.
net::Connection* ConnPool::vet(net::Connection* c, const ConnRequest& r) {
  if (!c || r.idempotent || c->xprt->drain(c) == net::DrainResult::kEmpty) return c;
  srv_->counters.local().stale_idle.add();
  c->mux->destroy();
  return nullptr;
}

// The client's private connection, if it leads to this server and is fit for
// r. One that is not is closed (or, if its drain is pending, left to it); the
// connection the request opens instead will replace it.
net::Connection* ConnPool::take_private(const ConnRequest& r, int64_t now_ms) {
  net::Connection* c = r.priv ? r.priv->conn_for(srv_) : nullptr;
  if (!c) return nullptr;
  switch (idle_verdict(c, now_ms, settings_.idle_timeout_ms, &srv_->keepalive, &srv_->reqlimit)) {
    case IdleVerdict::kDead:
      c->mux->destroy();  // its unlink hook counts it stale
      return nullptr;
    case IdleVerdict::kPending:
      return nullptr;
    case IdleVerdict::kExpired:
      r.priv->close();
      return nullptr;
    case IdleVerdict::kUsable:
      break;
  }
  // Opened for another server name, or with a PROXY header saying something
  // else (set-src changed the address, another unique id).
  if (net::tls_server_name(c) != r.sni || c->client_key != r.client_key ||
      c->addr_gen != addr_gen_) {
    r.priv->close();
    return nullptr;
  }
  // One bound by an authentication handshake is worth keeping whatever the
  // method: another connection would start the handshake over.
  const bool bound = c->flags & net::kConnPrivate;
  // The guard: left parked for the client's next replayable request (the new
  // connection replaces it if it is kept).
  if (!bound && guarded(r, now_ms)) return nullptr;
  if (!bound && !r.idempotent && c->exchanges > srv_->reqlimit.max_unproven_exchanges(now_ms)) {
    r.priv->close();
    return nullptr;
  }
  const int64_t max_idle = bound ? kNever : max_idle_for(r);
  if (max_idle != kNever && now_ms - c->idle_since_ms > max_idle) {
    r.priv->close();
    return nullptr;
  }
  return vet(r.priv->take(), r);
}

// A connection already carrying a stream is alive right now: any request the
// policy lets reuse may join it, except under `never` and a client's first
// request under `safe`.
bool ConnPool::may_share(const ConnRequest& r) const {
  if (r.fresh || settings_.reuse == HttpReuse::kNever) return false;
  return !(settings_.reuse == HttpReuse::kSafe && r.first_of_client);
}

// The oldest connection with room for another stream; it stays linked until
// note_streams() sees it full. Dead ones are left to their mux.
net::Connection* ConnPool::take_available(std::string_view sni, uint64_t client_key) {
  for (ListHook* h = avail_.front(); h; h = h->next == avail_.end_marker() ? nullptr : h->next) {
    net::Connection* c = container_of<net::Connection, &net::Connection::idle_hook>(h);
    if (c->reusable() && c->mux->avail_streams() > 0 && net::tls_server_name(c) == sni &&
        c->client_key == client_key)
      return c;
  }
  return nullptr;
}

void ConnPool::note_streams(net::Connection* c) {
  const bool room = c->mux->avail_streams() > 0 && c->reusable() && !srv_->fallback;
  const bool linked = c->idle_hook.linked() && c->idle_owner == this;
  if (room && !linked) {
    avail_.push_back(&c->idle_hook);
    ++avail_count_;
    c->idle_owner = this;
    c->idle_unlink = &ConnPool::available_died;
  } else if (!room && linked) {
    unlink_available(c);
  }
}

void ConnPool::unlink_available(net::Connection* c) {
  c->idle_unlink = nullptr;  // voluntary: not a death
  c->unlink_idle();
  c->idle_owner = nullptr;
  --avail_count_;
}

void ConnPool::available_died(net::Connection* c) {
  auto* self = static_cast<ConnPool*>(c->idle_owner);
  c->idle_owner = nullptr;
  --self->avail_count_;
}

bool ConnPool::follow_address() {
  const uint32_t gen = srv_->addr_gen();
  if (gen == addr_gen_) return true;
  addr_gen_ = gen;
  idle_.close_all();
  return false;
}

bool ConnPool::guarded(const ConnRequest& r, int64_t now_ms) const {
  if (r.idempotent || !srv_->reuse_guard.active(now_ms)) return false;
  if (r.guarded) *r.guarded = true;
  return true;
}

net::Connection* ConnPool::acquire(const ConnRequest& r, int64_t now_ms) {
  if (r.idempotent) srv_->reqlimit.note_idempotent();
  if (r.fresh) return nullptr;
  follow_address();
  // A warm reload's connection not adopted yet: this thread takes one.
  if (idle_.idle_count() == 0) {
    if (g_starved_on.load(std::memory_order_acquire) && !srv_->handover.pending())
      g_starved_fn(g_starved_ctx);
    if (std::optional<HandoverInbox::Entry> e = srv_->handover.pop()) adopt(*e, now_ms);
  }
  net::Connection* c = take_private(r, now_ms);
  if (c) return c;
  if (may_share(r) && (c = take_available(r.sni, r.client_key))) return c;
  if (settings_.reuse == HttpReuse::kNever || guarded(r, now_ms)) return nullptr;
  bool allowed = true, safe_only = false;
  int64_t max_idle = kNever;
  switch (settings_.reuse) {
    case HttpReuse::kSafe:
      allowed = !r.first_of_client;
      max_idle = max_idle_for(r);
      break;
    case HttpReuse::kAggressive:
      safe_only = r.first_of_client;
      break;
    case HttpReuse::kAlways:
    case HttpReuse::kNever:
      break;
  }
  // A request that cannot be replayed is not the first to go past the number
  // of requests a connection of this server was seen to serve.
  // An idempotent one goes past it freely, or, once the server showed a death
  // that looks like a cap, only as the server's one probe at a time.
  RequestLimitEstimator& lim = srv_->reqlimit;
  const bool probing = r.idempotent && lim.suspected(now_ms);
  const uint32_t max_exchanges = !r.idempotent ? lim.max_unproven_exchanges(now_ms)
                                 : probing     ? lim.max_proven_exchanges()
                                               : UINT32_MAX;
  while (allowed &&
         (c = idle_.take(safe_only, now_ms, max_idle, r.sni, max_exchanges, r.client_key)) &&
         !(c = vet(c, r))) {
  }
  if (!c && allowed && probing && idle_.idle_count() && lim.take_probe(now_ms)) {
    c = idle_.take(safe_only, now_ms, max_idle, r.sni, UINT32_MAX, r.client_key);
    if (!c) lim.end_probe();
  }
  // tune.pool-high-fd-ratio: a new connection is coming; make room for it.
  if (!c && idle_.idle_count() && fds_above_high()) idle_.close_one();
  return c;
}

void ConnPool::release(mux::StreamConnector* sc, const ConnRelease& r, int64_t now_ms) {
  net::Connection* c = sc->conn;
  if (!c) return;
  ++c->exchanges;
  // Called once both messages are complete: the server served this request,
  // whatever it said of the connection.
  srv_->reqlimit.observe_served(c->exchanges);
  if (c->idle_hook.linked() && c->idle_owner == this) unlink_available(c);
  if (c->mux->nb_streams() > 1) {  // other streams stay on it: it has room again
    if (sc->mux->detach(sc, true)) note_streams(c);
    return;
  }
  follow_address();
  bool keep = r.reusable && c->addr_gen == addr_gen_;  // not opened to a former address
  // Closed by the server right after a response that did not say so: the
  // same evidence as a close noticed while idle (a cap of requests, most
  // often), caught before the connection could be parked. Whether it would
  // have been parked (the idle cap, the fd ratio, a private connection) is
  // ours to decide, not the server's: it counts either way.
  if ((keep && !c->reusable()) || r.closed_silently)
    note_conn_death(*srv_, c->exchanges, 0, /*in_flight=*/false, now_ms);
  // The server's shared lists take no more (its recent need, or descriptors
  // above tune.pool-low-fd-ratio): HAProxy closes the connection then, and
  // under a crowd of slow clients every keep-alive request pays a connect.
  // Hearth keeps it for the client that used it, in its session's slot: it
  // serves that client's next request, goes with the client, and holds no
  // descriptor beyond the two per connection that maxconn counts.
  // (Only looked at for a connection the shared lists could take.) A
  // dispatch or transparent connection is its client's, as HAProxy's
  // connections to a backend target.
  const bool session_only =
      settings_.reuse == HttpReuse::kNever || (c->flags & net::kConnPrivate) || srv_->fallback;
  if (session_only || (keep && (idle_.idle_count() >= srv_->idle_cap() || fds_above_low()))) {
    keep = keep && r.priv && r.client_keep && settings_.max_conn != 0 &&
           (settings_.max_reuse < 0 || c->exchanges <= uint32_t(settings_.max_reuse)) &&
           !served_learned_limit(c, &srv_->reqlimit);
    if (sc->mux->detach(sc, keep)) r.priv->park(c, srv_, now_ms);
    return;
  }
  if (!sc->mux->detach(sc, keep)) return;
  if (!idle_.add(c, now_ms))
    c->mux->destroy();
  else if (tl_park_hook)
    tl_park_hook(tl_park_ctx);
}

std::vector<net::Connection*> ConnPool::take_all_idle(int64_t now_ms, size_t keep) {
  std::vector<net::Connection*> out;
  while (idle_.idle_count() > keep)
    if (net::Connection* c = idle_.take(/*want_safe_only=*/false, now_ms))
      out.push_back(c);
    else
      break;
  return out;
}

bool ConnPool::adopt(const HandoverInbox::Entry& e, int64_t now_ms) {
  // A server that now sends a PROXY header shares no connection: one from
  // before (sent without a header) would never be taken.
  if (!srv_->serving() || srv_->pp_version) {
    close(e.fd);
    return false;
  }
  follow_address();
  net::Connection* c =
      net::Connection::create(EventLoop::current(), e.fd, srv_->address(), e.conn_flags);
  if (!c) return false;  // closed by create()
  c->addr_gen = addr_gen_;
  if (!c->set_transport(srv_->xprt())) {
    c->destroy();
    return false;
  }
  // As a new connection of the server: its mux, with a connector that leaves at once.
  mux::StreamConnector* sc = mux::StreamConnector::pool().create();
  if (!sc || !mux::MuxRegistry::install(srv_->http_mux, c, sc)) {
    if (sc) mux::StreamConnector::pool().destroy(sc);
    c->destroy();
    return false;
  }
  c->exchanges = e.exchanges;
  srv_->reqlimit.observe_served(e.exchanges);  // the previous worker saw it serve them
  const bool kept = sc->mux->detach(sc, settings_.reuse != HttpReuse::kNever);
  mux::StreamConnector::pool().destroy(sc);
  if (!kept) return false;
  if (!idle_.add(c, now_ms)) {
    c->mux->destroy();
    return false;
  }
  c->idle_since_ms = now_ms - e.idle_ms - std::max<int64_t>(now_ms - e.arrived_ms, 0);
  return true;
}

int ConnPool::tick(int64_t now_ms, bool serving) {
  if (!serving) return idle_.close_all();  // nothing may reuse these
  if (srv_->addr_gen() != addr_gen_) {     // moved: what is parked leads to the former address
    addr_gen_ = srv_->addr_gen();
    return idle_.close_all();
  }
  if (now_ms - last_purge_ms_ < settings_.purge_delay_ms) return 0;
  last_purge_ms_ = now_ms;
  if (leader_) {
    srv_->roll_need_estimate();
    srv_->reqlimit.roll(now_ms);
  }
  return idle_.purge(now_ms);
}

}  // namespace hearth::backend
