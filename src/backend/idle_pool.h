#pragma once
// The idle connections of one server on one thread. A connection that finished an
// exchange and was detached by its mux with keep_idle=true (so it is still
// read-subscribed) is parked here until a stream reuses it, the server closes it
// (the mux's idle drain notices and destroys it, which unlinks it from here), or
// a limit retires it.
//
// Two lists, each ordered oldest (front) to most recently parked (back):
//   unsafe - connections that carried exactly one exchange;
//   safe   - connections that carried more than one (proven to survive reuse).
//
// Thread-safety: none. Only the owning thread touches a pool (and the
// connections in it, which live on that thread's event loop).
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "core/clock.h"
#include "core/list.h"
#include "core/per_thread.h"

namespace hearth::net {
class Connection;
}

namespace hearth::backend {

class KeepAliveEstimator;
class RequestLimitEstimator;

// What an idle server connection is good for, judged without a system call.
enum class IdleVerdict {
  kUsable,   // may carry a request
  kDead,     // the poller or transport saw an error, a shutdown or the peer's FIN
  kExpired,  // idle longer than idle_timeout_ms (if > 0) or est's retire age (if est), or
             // served as many requests as lim's learned limit (if lim)
  kPending,  // readable while idle: its mux's drain is queued and will decide
};
IdleVerdict idle_verdict(const net::Connection* c, int64_t now_ms, int64_t idle_timeout_ms,
                         const KeepAliveEstimator* est, const RequestLimitEstimator* lim = nullptr);
// Returns: true if c served as many requests as lim's learned limit (if lim).
bool served_learned_limit(const net::Connection* c, const RequestLimitEstimator* lim);

class IdlePool {
 public:
  struct Limits {
    int max_conn = -1;            // pool-max-conn for this pool: -1 unlimited, 0 disables pooling
    int64_t idle_timeout_ms = 0;  // server-side idle timeout: 0 none
    int max_reuse = -1;           // max-reuse: times a connection may be reused; -1 unlimited
  };

  // est (may be null) is the server's shared estimator: it is fed the idle time of
  // connections the server closed, and its retire age bounds reuse. lim (may
  // be null) is the server's learned request limit: a connection that served
  // that many requests is neither parked nor reused.
  IdlePool(Limits limits, KeepAliveEstimator* est, const RequestLimitEstimator* lim = nullptr);
  // Closes every connection still parked (voluntary closes, not counted stale).
  ~IdlePool();
  IdlePool(const IdlePool&) = delete;
  IdlePool& operator=(const IdlePool&) = delete;

  // Parks c: links it at the back of the safe list if c->exchanges > 1, else of
  // the unsafe list; sets kConnIdle, idle_since_ms = now_ms, idle_owner and
  // idle_unlink (the hook the mux's drain path calls when c dies while idle).
  // Requires: c belongs to this thread's loop, has a mux with no stream attached
  // (detached with keep_idle=true) and is in no idle list.
  // Returns: false, leaving c untouched (the caller must destroy it), when pooling
  // is disabled, the pool holds max_conn connections, c was already reused
  // max_reuse times (c->exchanges > max_reuse) or served the learned limit, or
  // c is already known dead.
  bool add(net::Connection* c, int64_t now_ms);

  // Takes the most recently parked usable connection (LIFO: the youngest is the
  // least likely to have been closed by the server, and the old ones are left to
  // age out so the pool shrinks to what is needed).
  // want_safe_only: only the safe list. Otherwise the unsafe list first, then the
  // safe one (HAProxy's order): callers that accept either leave the proven
  // connections to callers that can only use those (`http-reuse aggressive` first
  // requests), and reusing an unsafe connection is what proves it safe.
  // On the way, with no system call: destroys connections flagged dead by the
  // poller or transport (ERROR, RD_SHUT, RDHUP; counted stale and fed to the
  // estimator), closes those idle longer than idle_timeout or the estimator's
  // retire age, and skips (leaves to its mux) one that is readable with its drain
  // still pending.
  // Returns: the connection, unlinked and with kConnIdle cleared (idle_since_ms is
  // left as it was, so the caller can report observe_alive(now - idle_since_ms)
  // once the server answered on it); or nullptr. The caller attaches its stream
  // through c->mux->attach().
  // max_idle_ms: take nothing idle longer than that (the youngest is looked at
  // first, so an old youngest means every candidate is older); kNever: no bound.
  // sni: only a connection opened with that TLS server name ("": none) is
  // taken, and only one bound to the same client key (Connection::client_key,
  // 0: none); the others are passed over, left in place.
  // max_exchanges: only a connection that served at most that many requests
  // is taken (the others are passed over, left in place).
  net::Connection* take(bool want_safe_only, int64_t now_ms, int64_t max_idle_ms = kNever,
                        std::string_view sni = {}, uint32_t max_exchanges = UINT32_MAX,
                        uint64_t client_key = 0);

  // Periodic work, every pool-purge-delay. First closes dead and expired
  // connections as take() would. Then trims the surplus: the low-water mark of the
  // idle count since the previous purge is the number of connections no request
  // needed at the peak of the interval (HAProxy's "idle + used - max used").
  // Closes half of that surplus, rounded up, oldest first and unsafe before safe
  // (the safe ones serve every reuse mode), so an unused pool drains
  // geometrically while a short lull does not empty a busy one.
  // Returns: number of connections closed.
  int purge(int64_t now_ms);

  // Called instead of feeding est when a parked connection dies: what the
  // death of a connection that served `served` requests, idle idle_ms, teaches
  // (the ConnPool routes it to every estimator of its server).
  using DeathHook = void (*)(void* ctx, uint32_t served, int64_t idle_ms, int64_t now_ms);
  void set_death_hook(DeathHook fn, void* ctx) {
    death_hook_ = fn;
    death_ctx_ = ctx;
  }

  // Closes every parked connection (its server went DOWN or into
  // maintenance: nothing should reuse them). Returns: number closed.
  int close_all();
  // Closes the oldest parked connection, unsafe before safe (fd pressure).
  // Returns: false if there was none.
  bool close_one();

  size_t idle_count() const { return safe_count_ + unsafe_count_; }
  size_t safe_count() const { return safe_count_; }
  size_t unsafe_count() const { return unsafe_count_; }
  // Returns: connections that died while idle (server close, reset, stray bytes).
  uint64_t stale_caught() const { return stale_caught_; }
  const Limits& limits() const { return limits_; }

 private:
  IdleVerdict check(const net::Connection* c, int64_t now_ms) const {
    return idle_verdict(c, now_ms, limits_.idle_timeout_ms, est_, lim_);
  }
  // Unlinks c without the stale accounting; updates counts. Requires: c is in list.
  void unlink_voluntary(net::Connection* c, bool safe);
  // Closes c on our own initiative (not counted stale).
  void close_voluntary(net::Connection* c, bool safe);
  // Destroys c, which died while idle: its idle_unlink hook does the accounting.
  static void close_dead(net::Connection* c);
  // Handles the dead and expired connections of one list. Returns: closed count.
  int reap(List& list, bool safe, int64_t now_ms);
  // Closes up to n of the oldest connections of list. Returns: closed count.
  int close_oldest(List& list, bool safe, int n);
  net::Connection* take_from(List& list, bool safe, int64_t now_ms, int64_t max_idle_ms,
                             std::string_view sni, uint32_t max_exchanges, uint64_t client_key);
  void on_removed();

  // The idle_unlink hooks: the mux's drain path (or Connection::destroy) unlinks
  // a connection that died while idle.
  static void stale_unlink_safe(net::Connection* c);
  static void stale_unlink_unsafe(net::Connection* c);
  void on_stale(net::Connection* c, bool safe);

  Limits limits_;
  KeepAliveEstimator* est_;
  const RequestLimitEstimator* lim_;
  DeathHook death_hook_ = nullptr;
  void* death_ctx_ = nullptr;
  List safe_;
  List unsafe_;
  // Read by other threads (the exporter): counts only this pool's thread changes.
  OwnedCount safe_count_;
  OwnedCount unsafe_count_;
  size_t low_water_ = 0;  // smallest idle_count() since the last purge
  OwnedCount stale_caught_;
};

}  // namespace hearth::backend
