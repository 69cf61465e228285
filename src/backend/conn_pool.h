#pragma once
// Every reuse decision for the HTTP connections of one server on one thread:
// which idle connection (if any) a request may take under the `http-reuse`
// policy, whether a connection that finished an exchange is kept and where
// (the server's safe/unsafe lists, or the client's private slot), the caps
// (pool-max-conn, max-reuse, the recent-need cap), expiry (pool-idle-timeout,
// the learned keep-alive retire age, the proven idle age for requests that
// cannot be replayed) and the periodic purge. Streams call acquire() and
// release(); the worker's housekeeping calls tick(). See the policy and state
// tables in docs/architecture.md.
//
// Thread-safety: none. Only the owning thread touches a pool and the
// connections in it, which live on that thread's event loop.
#include <cstddef>
#include <cstdint>
#include <string_view>
#include <vector>

#include "backend/handover_inbox.h"
#include "backend/idle_pool.h"
#include "config/enums.h"

namespace hearth::mux {
struct StreamConnector;
}

namespace hearth::backend {

class PrivateConn;
class Server;

struct PoolSettings {
  config::HttpReuse reuse = config::HttpReuse::kSafe;  // the backend's http-reuse
  int max_conn = -1;              // pool-max-conn: -1 unlimited, 0 disables reuse
  int low_conn = -1;              // pool-low-conn: idle spares beyond the need (-1: kIdleSpare)
  int64_t idle_timeout_ms = 0;    // pool-idle-timeout: 0 none
  int max_reuse = -1;             // max-reuse: -1 unlimited
  int64_t reuse_window_ms = 100;  // timeout reuse-window (requests that cannot be replayed)
  int64_t purge_delay_ms = 5000;  // pool-purge-delay
};

// What a request is, as far as reuse is concerned.
struct ConnRequest {
  bool first_of_client = false;  // the client connection's first request
  bool idempotent = true;        // may be replayed (RFC 9110 §9.2.2)
  bool fresh = false;            // a retry: take nothing idle
  PrivateConn* priv = nullptr;   // the client's private slot (nullptr: none)
  // The TLS server name the connection must have been opened with ("": none,
  // or not TLS). The only property that differs between connections of one
  // server (verification, ALPN and client certificate are the server's): a
  // connection opened for a.example never carries a request for b.example.
  std::string_view sni;
  // Non-zero: the server's connections depend on the client (they begin with
  // a PROXY header, or lead to an address taken from the client's connection:
  // dispatch, option transparent, a server without address or port), and this
  // is the key of what this request's would be (net::proxy_header_key, the
  // destination). Only a connection opened with the same key may serve it: as
  // HAProxy 2.6's connection hash, from the server's lists under the reuse
  // policy; a fallback server's (dispatch, transparent) stays its client's.
  uint64_t client_key = 0;
  // Set by acquire() (if not null) when the server's reuse guard made this
  // request, which cannot be replayed, pass over the idle connections.
  bool* guarded = nullptr;
};

// How an exchange ended.
struct ConnRelease {
  bool reusable = false;     // the response allows keep-alive and was read whole
  bool client_keep = false;  // the client connection stays open for more requests
  PrivateConn* priv = nullptr;
  // The server closed the connection as the response ended without having
  // announced it (reusable is then false): what a cap of requests does.
  bool closed_silently = false;
};

class ConnPool {
 public:
  // srv supplies the estimator, counters and recent-need cap. leader: this
  // pool also rolls the server-wide need estimate at each purge (one pool
  // per server does).
  ConnPool(const PoolSettings& settings, Server* srv, bool leader);
  // Closes the idle connections; connections still in use leave the avail
  // list (their streams own them).
  ~ConnPool();
  ConnPool(const ConnPool&) = delete;
  ConnPool& operator=(const ConnPool&) = delete;

  // Returns: an idle connection this request may use under the policy,
  // unlinked and ready for its mux's attach(), or nullptr (open a new one).
  // The client's private connection to this server comes first under every
  // policy; then, except under `never`:
  //   safe:       not for the client's first request; a request that cannot
  //               be replayed only takes a connection idle no longer than
  //               max(reuse window, the server's proven idle age) that served
  //               fewer requests than a connection was seen to serve (while
  //               idempotent requests probe further), and pays a drain (one
  //               system call) to catch an unreported close;
  //   aggressive: a first request takes only a proven (safe) connection;
  //   always:     any idle connection.
  // Under every policy but for a connection bound by an authentication
  // handshake, a request that cannot be replayed takes nothing idle while
  // the server's reuse guard is on (r.guarded tells). A connection that
  // served the server's learned request limit is never taken.
  // Connections found dead on the way are destroyed and counted stale.
  net::Connection* acquire(const ConnRequest& r, int64_t now_ms);

  // A stream was just attached to c (new or acquired). A connection that can
  // carry more streams at once (its mux reports avail_streams() > 0: HTTP/2,
  // later) is offered to other requests while it has room; one that is full
  // is not. Pools track available streams, not "attached or not".
  void note_streams(net::Connection* c);

  // The exchange on sc's connection is over: detaches sc from it (sc itself
  // stays the caller's). A connection other streams still use stays
  // available; the last stream's departure keeps it idle (in the server's
  // lists, or in r.priv for `never` and bound connections) or closes it.
  void release(mux::StreamConnector* sc, const ConnRelease& r, int64_t now_ms);

  // Housekeeping, called every ~100 ms: closes every idle connection when
  // the server is not serving (DOWN, maintenance) or changed its address;
  // else purges every
  // pool-purge-delay (see IdlePool::purge). Returns: connections closed.
  int tick(int64_t now_ms, bool serving);

  // The warm reload (docs/architecture.md, "Warm reload").
  // Takes the usable idle connections but `keep`, youngest first, unlinked
  // as acquire() would leave them (dead and expired ones are closed on the way).
  std::vector<net::Connection*> take_all_idle(int64_t now_ms, size_t keep = 0);
  // Parks a server connection another process handed over (an entry of
  // the server's inbox), built on this thread as a new connection of the
  // server would be. The pool's recent-need cap does not apply (the old
  // worker needed it; the purge trims a surplus).
  // Returns: false when it was closed instead (the server is not serving,
  // http-reuse never, pool-max-conn reached or 0, no memory).
  bool adopt(const HandoverInbox::Entry& e, int64_t now_ms);

  // Called on this thread whenever one of its pools parks a connection
  // idle (null: nobody is told). Thread-local: each worker thread sets its
  // own. A soft-stopping worker that hands its connections over uses it to
  // send each one as soon as its exchange ends.
  using ParkHook = void (*)(void* ctx);
  static void set_park_hook(ParkHook fn, void* ctx);

  // Called (from any thread) when a request finds no idle connection and
  // nothing in the server's handover inbox: the warm reload's feed reads
  // what leaving workers sent (null: nobody). Process-wide.
  static void set_starved_hook(ParkHook fn, void* ctx);

  const PoolSettings& settings() const { return settings_; }
  size_t idle_count() const { return idle_.idle_count(); }
  size_t safe_count() const { return idle_.safe_count(); }
  size_t unsafe_count() const { return idle_.unsafe_count(); }
  uint64_t stale_caught() const { return idle_.stale_caught(); }
  // Connections in use that can take more streams.
  size_t avail_count() const { return avail_count_; }

 private:
  // kNever for a request that can be replayed; else how long a connection
  // may have been idle and still carry it.
  int64_t max_idle_for(const ConnRequest& r) const;
  net::Connection* take_private(const ConnRequest& r, int64_t now_ms);
  // Returns: true (and tells r.guarded) if r cannot be replayed and the
  // server's reuse guard is on.
  bool guarded(const ConnRequest& r, int64_t now_ms) const;
  // Returns: c if it may carry r; else destroys it (counted stale).
  net::Connection* vet(net::Connection* c, const ConnRequest& r);
  // May r join a connection other streams are using?
  bool may_share(const ConnRequest& r) const;
  // Returns: the oldest connection in use with room for another stream,
  // opened with the TLS server name `sni` and bound to `client_key` (0:
  // unbound), or nullptr.
  net::Connection* take_available(std::string_view sni, uint64_t client_key);
  void unlink_available(net::Connection* c);
  // The idle_unlink hook of a connection in avail_ that died in use.
  static void available_died(net::Connection* c);

  PoolSettings settings_;
  Server* srv_;
  bool leader_;
  IdlePool idle_;
  List avail_;  // in use, room for more streams; linked by Connection::idle_hook
  size_t avail_count_ = 0;
  int64_t last_purge_ms_ = 0;
  // The server's address generation the idle lists were filled under; when
  // the server moves, every idle connection is closed (they lead to the
  // former address) before anything is taken or parked.
  uint32_t addr_gen_ = 0;
  // Returns: false after closing the idle lists, if the server moved.
  bool follow_address();
};

}  // namespace hearth::backend
