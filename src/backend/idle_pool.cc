#include "backend/idle_pool.h"

#include <algorithm>
#include <cassert>

#include "backend/keepalive_estimator.h"
#include "backend/request_limit_estimator.h"
#include "mux/mux.h"
#include "net/connection.h"
#include "net/tls_transport.h"

namespace hearth::backend {
namespace {

using net::Connection;

Connection* conn_of(ListHook* h) { return container_of<Connection, &Connection::idle_hook>(h); }

}  // namespace

IdlePool::IdlePool(Limits limits, KeepAliveEstimator* est, const RequestLimitEstimator* lim)
    : limits_(limits), est_(est), lim_(lim) {}

IdlePool::~IdlePool() {
  close_all();
  assert(safe_.empty() && unsafe_.empty());
}

int IdlePool::close_all() {
  int closed = close_oldest(unsafe_, false, int(unsafe_count_));
  closed += close_oldest(safe_, true, int(safe_count_));
  low_water_ = 0;
  return closed;
}

bool IdlePool::close_one() {
  if (unsafe_count_) return close_oldest(unsafe_, false, 1) > 0;
  return close_oldest(safe_, true, 1) > 0;
}

bool IdlePool::add(Connection* c, int64_t now_ms) {
  assert(c && c->mux && !c->mux->first_sc() && "only a detached connection can idle");
  assert(!c->idle_hook.linked() && "a connection is in at most one idle list");
  if (limits_.max_conn >= 0 && idle_count() >= size_t(limits_.max_conn)) return false;
  if (limits_.max_reuse >= 0 && c->exchanges > uint32_t(limits_.max_reuse)) return false;
  if (served_learned_limit(c, lim_)) return false;
  if (!c->reusable()) return false;
  const bool safe = c->exchanges > 1;
  if (safe) {
    safe_.push_back(&c->idle_hook);
    ++safe_count_;
  } else {
    unsafe_.push_back(&c->idle_hook);
    ++unsafe_count_;
  }
  c->idle_owner = this;
  c->idle_unlink = safe ? &IdlePool::stale_unlink_safe : &IdlePool::stale_unlink_unsafe;
  c->idle_since_ms = now_ms;
  c->flags |= net::kConnIdle;
  return true;
}

bool served_learned_limit(const Connection* c, const RequestLimitEstimator* lim) {
  const uint32_t n = lim ? lim->limit() : 0;
  return n > 0 && c->exchanges >= n;
}

IdleVerdict idle_verdict(const Connection* c, int64_t now_ms, int64_t idle_timeout_ms,
                         const KeepAliveEstimator* est, const RequestLimitEstimator* lim) {
  if (!c->reusable()) return IdleVerdict::kDead;
  if (served_learned_limit(c, lim)) return IdleVerdict::kExpired;
  const int64_t age = now_ms - c->idle_since_ms;
  if (idle_timeout_ms > 0 && age > idle_timeout_ms) return IdleVerdict::kExpired;
  if (est && age > est->retire_age_ms()) return IdleVerdict::kExpired;
  // Readable while idle: its mux's drain tasklet is queued and will decide.
  if (c->flags & net::kConnRecvReady) return IdleVerdict::kPending;
  return IdleVerdict::kUsable;
}

Connection* IdlePool::take(bool want_safe_only, int64_t now_ms, int64_t max_idle_ms,
                           std::string_view sni, uint32_t max_exchanges, uint64_t client_key) {
  Connection* c = nullptr;
  if (!want_safe_only)
    c = take_from(unsafe_, false, now_ms, max_idle_ms, sni, max_exchanges, client_key);
  if (!c) c = take_from(safe_, true, now_ms, max_idle_ms, sni, max_exchanges, client_key);
  return c;
}

Connection* IdlePool::take_from(List& list, bool safe, int64_t now_ms, int64_t max_idle_ms,
                                std::string_view sni, uint32_t max_exchanges, uint64_t client_key) {
  for (ListHook* h = list.back(); h;) {
    ListHook* older = h->prev == list.end_marker() ? nullptr : h->prev;
    Connection* c = conn_of(h);
    switch (check(c, now_ms)) {
      case IdleVerdict::kUsable:
        if (max_idle_ms != kNever && now_ms - c->idle_since_ms > max_idle_ms) return nullptr;
        if (net::tls_server_name(c) != sni) break;  // opened for another name: not this one
        if (c->client_key != client_key) break;     // another PROXY header or destination
        if (c->exchanges > max_exchanges) break;    // served more than the request may trust
        unlink_voluntary(c, safe);
        return c;
      case IdleVerdict::kDead:
        close_dead(c);
        break;
      case IdleVerdict::kExpired:
        close_voluntary(c, safe);
        break;
      case IdleVerdict::kPending:
        break;
    }
    h = older;
  }
  return nullptr;
}

int IdlePool::purge(int64_t now_ms) {
  assert(safe_.size() == safe_count_ && unsafe_.size() == unsafe_count_);
  const size_t low_water = low_water_;
  const int reaped = reap(unsafe_, false, now_ms) + reap(safe_, true, now_ms);
  // The reaped connections were the oldest, so part of the surplus already.
  size_t surplus = low_water > size_t(reaped) ? low_water - size_t(reaped) : 0;
  if (surplus > idle_count()) surplus = idle_count();
  const int to_close = int((surplus + 1) / 2);
  int trimmed = close_oldest(unsafe_, false, to_close);
  trimmed += close_oldest(safe_, true, to_close - trimmed);
  low_water_ = idle_count();
  return reaped + trimmed;
}

int IdlePool::reap(List& list, bool safe, int64_t now_ms) {
  int closed = 0;
  list.for_each([&](ListHook* h) {
    Connection* c = conn_of(h);
    switch (check(c, now_ms)) {
      case IdleVerdict::kDead:
        close_dead(c);
        ++closed;
        break;
      case IdleVerdict::kExpired:
        close_voluntary(c, safe);
        ++closed;
        break;
      case IdleVerdict::kUsable:
      case IdleVerdict::kPending:
        break;
    }
  });
  return closed;
}

int IdlePool::close_oldest(List& list, bool safe, int n) {
  int closed = 0;
  for (; closed < n && !list.empty(); ++closed) close_voluntary(conn_of(list.front()), safe);
  return closed;
}

void IdlePool::unlink_voluntary(Connection* c, bool safe) {
  assert(c->idle_owner == this && c->idle_hook.linked());
  c->idle_unlink = nullptr;  // not a death while idle: no stale accounting
  c->unlink_idle();
  c->idle_owner = nullptr;
  --(safe ? safe_count_ : unsafe_count_);
  on_removed();
}

void IdlePool::close_voluntary(Connection* c, bool safe) {
  unlink_voluntary(c, safe);
  c->mux->destroy();
}

void IdlePool::close_dead(Connection* c) {
  // MuxPt::destroy() unlinks first, which runs our stale hook.
  c->mux->destroy();
}

void IdlePool::on_removed() {
  if (idle_count() < low_water_) low_water_ = idle_count();
}

void IdlePool::stale_unlink_safe(Connection* c) {
  static_cast<IdlePool*>(c->idle_owner)->on_stale(c, true);
}

void IdlePool::stale_unlink_unsafe(Connection* c) {
  static_cast<IdlePool*>(c->idle_owner)->on_stale(c, false);
}

void IdlePool::on_stale(Connection* c, bool safe) {
  assert(c->idle_owner == this && c->idle_hook.linked());
  // Connection::unlink_idle() unlinks the hook right after this returns.
  c->idle_owner = nullptr;
  --(safe ? safe_count_ : unsafe_count_);
  ++stale_caught_;
  on_removed();
  // The loop's cached time: updated before fd events and tasklets run.
  const int64_t now_ms = c->loop()->now_ms();
  const int64_t idle_ms = std::max<int64_t>(now_ms - c->idle_since_ms, 0);
  if (death_hook_)
    death_hook_(death_ctx_, c->exchanges, idle_ms, now_ms);
  else if (est_)
    est_->observe_close(idle_ms);
}

}  // namespace hearth::backend
