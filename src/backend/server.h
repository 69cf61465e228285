#pragma once
// A Server is one backend endpoint: address, weight, limits, state and counters.
// Counters are per-thread blocks (ServerCounters), summed when read.
#include <atomic>
#include <cstdint>
#include <deque>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

#include "backend/conn_pool.h"
#include "backend/handover_inbox.h"
#include "backend/health.h"
#include "backend/keepalive_estimator.h"
#include "backend/passive_health.h"
#include "backend/request_limit_estimator.h"
#include "backend/reuse_guard.h"
#include "backend/slowstart.h"
#include "backend/stat_counters.h"
#include "core/pool.h"
#include "net/address.h"
#include "net/socket.h"
#include "net/transport.h"

namespace hearth::expr {
struct SampleExpr;
}

namespace hearth::backend {

class Backend;
class HealthCheck;
class Server;

// One end of a "track" link: a server and the backend it belongs to.
struct TrackLink {
  Backend* be = nullptr;
  Server* srv = nullptr;
};

// What a server counts on the request path: one block per thread.
struct ServerTallies {
  // As HAProxy: stot counts every attempt to use it (a retry on it too),
  // lbtot every time it was chosen.
  Tally sessions;              // sessions given to it, retries included (stot)
  Tally lb_picks;              // ... of which it was chosen for (lbtot)
  Tally conns_opened;          // new connections to the server
  Tally conns_closed;          // ... closed since, from the thread that closed them
  Tally connect_errors;        // failed connection attempts (show servers conn)
  Tally failed_conns;          // sessions that gave up on it after their last attempt (econ)
  Tally retries;               // connection retries on this server, whatever the reason
  Tally retries_connect;       // ... after a failed connect
  Tally retries_reuse_race;    // ... of a request whose reused connection died unanswered
  Tally retries_l7;            // ... for another retry-on condition
  Tally fresh_non_idempotent;  // non-idempotent requests sent on a new connection
  Tally guarded;               // ... of which the reuse guard refused idle connections
  Tally redispatches;          // sessions moved away after failures
  Tally reused;                // requests sent on a reused connection
  Tally stale_idle;            // idle connections caught dead while idle
  Tally queued;                // sessions that had to wait in the queue
  Tally bytes_in, bytes_out;   // of the sessions it served
  HttpStatusTallies hrsp;      // the statuses of the responses it sent, by class (hrsp_*)
  Tally failed_resp;           // responses that failed: invalid, cut, none (eresp)
  Tally cli_aborts, srv_aborts;  // transactions the client / it aborted (cli_abrt, srv_abrt)
  Tally denied_resp;           // its responses denied by http-response rules (dresp)
  // TLS handshakes with it: full, resumed, failed (ssl_sess, ssl_reused_sess,
  // ssl_failed_handshake).
  Tally ssl_sessions, ssl_reused, ssl_failed_handshakes;
  RateWindow sess_rate;        // sessions assigned per second
  Tally last_sess;             // when the last session was assigned (ms + 1; 0: never)
  TimeTallies times;           // qtime, ctime, rtime, ttime
};

struct ServerCounters {
  PerThread<ServerTallies> t;
  ServerTallies& local() { return t.local(); }
  uint64_t sum(Tally ServerTallies::*m) const { return t.sum(m); }
  // Counts a session assigned now.
  void note_session(int64_t now_ms) {
    t.local().lb_picks.add();
    note_attempt(now_ms);
  }
  // Counts a session's new attempt on it (its first, or a retry).
  void note_attempt(int64_t now_ms) {
    ServerTallies& l = t.local();
    l.sessions.add();
    l.sess_rate.add(now_ms, sess_rate_max);
    l.last_sess.set(uint64_t(now_ms) + 1);
  }
  // Counts one finished transaction's times (ms; negative: step skipped).
  void note_times(const int64_t (&ms)[4]) {
    t.local().times.add(ms);
    times_max.note(ms);
  }
  std::atomic<int> max_sess{0};  // highest cur_sess seen (smax)
  RateMax sess_rate_max;
  TimeMax times_max;              // qtime_max .. ttime_max
  std::atomic<int> max_queue{0};  // most sessions waiting for it (qmax)
};

class Server {
 public:
  std::string name;

  // Where its connections go. Written at load, then by run-time resolution
  // (its resolvers' thread) or the runtime API, read by every worker: all
  // through these, under addr_mu_. Each change bumps addr_gen(), which the
  // pools compare to drop connections opened to a former address.
  net::Address address() const {
    std::lock_guard<std::mutex> g(addr_mu_);
    return addr_;
  }
  void set_address(const net::Address& a) {
    std::lock_guard<std::mutex> g(addr_mu_);
    addr_ = a;
    addr_gen_.fetch_add(1, std::memory_order_release);
  }
  uint32_t addr_gen() const { return addr_gen_.load(std::memory_order_acquire); }
  // The name it resolves at run time ("": none; show servers state's
  // srv_fqdn) and the SRV label it was filled from ("": none; srvrecord).
  std::string hostname() const {
    std::lock_guard<std::mutex> g(addr_mu_);
    return hostname_;
  }
  void set_hostname(std::string h) {
    std::lock_guard<std::mutex> g(addr_mu_);
    hostname_ = std::move(h);
  }
  std::string srv_record;  // set at load, never changed
  // An SRV record filled it once (HAProxy's "FQDN set" admin bit, 0x40, which
  // stays once the slot is emptied again).
  std::atomic<bool> fqdn_set{false};
  // What carries its connections: the raw transport or tls_xprt. Switched at
  // run time by "set server ... ssl on|off" (set_xprt), read by every worker
  // when it opens a connection: the switch bumps addr_gen(), so pooled
  // connections of the other kind are dropped as for an address change.
  net::Transport* xprt() const { return xprt_.load(std::memory_order_acquire); }
  void set_xprt(net::Transport* x) {
    xprt_.store(x, std::memory_order_release);
    addr_gen_.fetch_add(1, std::memory_order_release);
  }
  // srv_use_ssl of show servers state: 1 "ssl" (or switched on), -1 "no-ssl",
  // 0 neither (or switched off).
  std::atomic<int> use_ssl{0};
  // TLS toward the server ("ssl", or a default-server with "ssl"): the
  // transport xprt() points to while TLS is on, and the SNI expression
  // evaluated for each new connection (null: no SNI).
  std::unique_ptr<net::Transport> tls_xprt;
  std::shared_ptr<const expr::SampleExpr> sni;
  // What carries its health checks: raw, the server's TLS transport, or one
  // of their own (check-ssl without ssl, check-alpn); and the SNI they send.
  net::Transport* check_xprt = net::raw_transport();
  std::unique_ptr<net::Transport> check_tls_xprt;
  std::string check_sni;
  // The mux of its HTTP connections (a registered mux name; "h1" today).
  const char* http_mux = "h1";
  int id = 0;    // position in its backend, from 0
  int puid = 0;  // its public id ("id", else numbered as HAProxy): srv_id, balance first
  bool puid_forced = false;  // set by "id" (show servers state's srv_f_forced_id)
  // Added at run time ("add server"): not in the configuration.
  bool dynamic = false;
  // Other configuration elements hold a pointer to it (use-server, a
  // resolvers section): "del server" refuses it, as HAProxy. Set at load.
  bool referenced = false;
  // Socket options of its connections: source, tfo, tune.{snd,rcv}buf.server.
  net::ConnectOptions conn_opts;
  // Where the client's destination replaces part of `addr` (a server written
  // without a port or with +N/-N, or with the address 0.0.0.0 / "*").
  bool port_from_client = false;
  int port_offset = 0;
  bool addr_from_client = false;
  std::string redir;  // "redir PREFIX": GET/HEAD get a 302 to PREFIX + URI instead
  // The value of its backend's persistence cookie that leads to it ("cookie
  // VALUE", or computed by "dynamic"); empty: none, not persisted. Streams
  // read it on any thread; the runtime API may publish a new dynamic value
  // (set_cookie), and every value published stays allocated until the
  // server goes, so a reader never holds a freed one.
  std::string_view cookie() const {
    const std::string* c = cookie_.load(std::memory_order_acquire);
    return c ? std::string_view(*c) : std::string_view();
  }
  // Requires: one caller at a time (the configuration, then the runtime API).
  void set_cookie(std::string v) {
    cookie_values_.push_back(std::move(v));
    cookie_.store(&cookie_values_.back(), std::memory_order_release);
  }
  bool cookie_from_config = false;  // "cookie VALUE": dynamic cookies leave it alone
  // False while it has no address (init-addr none, a name that stopped
  // resolving, an empty SRV slot): out of service whatever "enable server"
  // says, shown "MAINT (resolution)" as HAProxy's resolution maintenance.
  std::atomic<bool> has_addr{true};
  // Its weight now (SRV records and state files change it; the LB reads it
  // under the backend's mutex, the API anywhere).
  std::atomic<int> weight{1};
  // 0 = unlimited. Changed at run time by "set maxconn server" and by an
  // agent-check reply ("maxconn:N").
  std::atomic<int> maxconn{0};
  // minconn below maxconn: the limit follows the backend's load (HAProxy's
  // dynamic maxconn): at least minconn, maxconn once the backend holds
  // `fullconn` streams (*be_load), proportional in between.
  int minconn = 0;
  int fullconn = 0;
  // maxqueue: at most this many sessions wait for this server in particular
  // (use-server); 0: no limit.
  int maxqueue = 0;
  const std::atomic<int64_t>* be_load = nullptr;
  bool backup = false;
  bool non_stick = false;  // "non-stick": stick store rules do not store it
  // on-marked-down shutdown-sessions, on-marked-up shutdown-backup-sessions
  // (server_marked.h). Set at load.
  bool shutdown_on_down = false;
  bool shutdown_backups_on_up = false;
  std::atomic<bool> disabled{false};  // maintenance (config "disabled", "disable server")
  // The maintenance came from the configuration ("disabled"); cleared when the
  // server is enabled at run time. Shown in `show servers state`.
  std::atomic<bool> config_maint{false};
  // Drain: UP and checked, but takes no new load-balanced traffic ("set server
  // ... state drain", or a state file); use-server still reaches it.
  std::atomic<bool> drain{false};
  // Stopping (HAProxy's NOLB operational state, "set server ... health
  // stopping"): UP, but takes no new load-balanced traffic, as drain; the
  // next passed health check makes it plainly UP again.
  std::atomic<bool> stopping{false};
  // PROXY protocol: the version its connections begin with (0: none, 1:
  // send-proxy, 2: send-proxy-v2), the v2 options (net::ProxyV2Bits), and
  // whether its health checks send a header too (check-send-proxy, or
  // send-proxy without "port" nor "addr"): 0, 1 or 2.
  uint8_t pp_version = 0;
  uint16_t pp_opts = 0;
  uint8_t check_pp_version = 0;
  // "socks4": the SOCKS4 proxy its connections go through (nullopt: none),
  // and whether its checks do ("check-via-socks4").
  std::optional<net::Address> socks4;
  bool check_via_socks4 = false;
  int check_port = 0;      // "port" of its checks as configured (0: the server's)
  std::string check_addr;  // "addr" of its checks as configured ("": the server's)
  int iweight = 1;  // the weight the configuration gave (weight may differ after a state file)
  std::atomic<bool> up{true};  // the health checks' verdict; always true unchecked
  // "track": the server whose state it follows (srv null: none; it then runs
  // no check of its own), and the servers following its own, newest first
  // as HAProxy. Changed at load, or by add/del server with the workers
  // parked (server_track.h).
  TrackLink track;
  std::vector<TrackLink> trackers;
  // Maintenance and drain inherited from the tracked server (HAProxy's
  // IMAINT and IDRAIN admin bits), set by server_track.cc only.
  std::atomic<bool> imaint{false};
  std::atomic<bool> idrain{false};
  std::atomic<int> cur_sess{0};  // sessions currently holding a slot
  ServerCounters counters;
  ServerHealth health;
  HealthCheck* check = nullptr;  // its health check, if "check" was configured
  PassiveHealth passive;         // observe, error-limit, on-error
  // agent-check: what the agent last said, and its check (agent_addr "" and
  // agent_port 0 without one). The agent_* fields change only on the
  // agent's thread (set server ... agent-*), which the runtime API waits for.
  ServerHealth agent_health;
  HealthCheck* agent = nullptr;
  std::string agent_addr;
  int agent_port = 0;
  std::string agent_send;  // what the agent-check sends first ("": nothing)

  // HTTP connection reuse: one pool per worker thread, indexed by thread_index().
  PoolSettings pool_settings;
  KeepAliveEstimator keepalive;
  RequestLimitEstimator reqlimit;  // the learned requests-per-connection limit
  ReuseGuard reuse_guard;          // non-idempotent requests off untrusted reuse
  // Warm reload: connections the previous worker handed over, not adopted yet.
  HandoverInbox handover;
  std::vector<std::unique_ptr<ConnPool>> pools;
  // Creates the per-thread pools. Requires: before any worker runs.
  void make_pools(int nthreads) {
    pools.clear();
    for (int i = 0; i < nthreads; ++i)
      pools.push_back(std::make_unique<ConnPool>(pool_settings, this, /*leader=*/i == 0));
  }
  // How many idle connections are worth keeping: the peak of concurrent sessions
  // over the last purge interval (or so far in this one), plus a few spares
  // (pool-low-conn, else kIdleSpare). A connection finishing while the pool
  // already holds that many is closed at once instead of parked: no request of
  // the recent past would have used it.
  static constexpr int kIdleSpare = 4;
  std::atomic<int> peak_sess{0};
  std::atomic<int> est_need{0};
  void note_sessions(int cur) {
    raise_max(counters.max_sess, cur);
    int p = peak_sess.load(std::memory_order_relaxed);
    while (cur > p && !peak_sess.compare_exchange_weak(p, cur, std::memory_order_relaxed)) {
    }
  }
  size_t idle_cap() const {
    int need = est_need.load(std::memory_order_relaxed);
    int peak = peak_sess.load(std::memory_order_relaxed);
    const int spare = pool_settings.low_conn >= 0 ? pool_settings.low_conn : kIdleSpare;
    return size_t(need > peak ? need : peak) + size_t(spare);
  }
  // Starts a new interval: its estimate is the peak of the one that ends.
  void roll_need_estimate() {
    est_need.store(peak_sess.exchange(cur_sess.load(std::memory_order_relaxed)),
                   std::memory_order_relaxed);
  }

  // Returns: true if where its connections go depends on the client (its
  // connections are then keyed by their destination: client_bound()).
  bool client_dependent() const { return port_from_client || addr_from_client; }
  // A backend's fallback (dispatch, option transparent): not a server of the
  // backend's list. Its connections are private to their client, as
  // HAProxy's connections to a backend target (ConnPool::release).
  bool fallback = false;
  // Returns: true if its connections are keyed by the address they lead to
  // (ConnRequest::client_key): reused only for the same destination.
  bool client_bound() const { return fallback || client_dependent(); }
  // Returns: the address to connect to for a client whose destination is
  // `dst` (null: unknown, `addr` as it is).
  net::Address target(const net::Address* dst) const {
    const net::Address cur = address();
    if (!dst || !client_dependent()) return cur;
    net::Address a = addr_from_client ? *dst : cur;
    a.set_port(port_from_client ? (dst->port() + port_offset) & 0xffff : cur.port());
    return a;
  }

  ConnPool* local_pool() {
    int t = thread_index();
    return t < int(pools.size()) ? pools[t].get() : nullptr;
  }

  // slowstart (slowstart.h): its period in whole seconds (0: none), and the
  // step of its ramp now (-1: not ramping), which its Backend refreshes.
  int slowstart_s = 0;
  std::atomic<int> warm_step{-1};
  // The step maxconn follows: as HAProxy, counted in wall-clock seconds
  // (the seconds the date turned since the server came back), so it moves
  // at the turn of each second rather than each second after the return.
  std::atomic<int> warm_maxconn_step{-1};
  // Returns: its weight as the dynamic algorithms see it, in 1/16 (the
  // configured weight times 16, less while slowstart ramps).
  int lb_weight() const {
    return weight.load(std::memory_order_relaxed) *
           slowstart_weight_factor(warm_step.load(std::memory_order_relaxed), slowstart_s);
  }

  bool usable() const {
    return serving() && !drain.load() && !idrain.load() && !stopping.load() && weight > 0;
  }
  // Returns: true if the server is UP and not in maintenance (weight aside).
  bool serving() const { return has_addr && up.load() && !in_maintenance(); }
  // Returns: true in maintenance, forced or inherited from a tracked server.
  bool in_maintenance() const { return disabled.load() || imaint.load(); }
  bool draining() const { return drain.load() || idrain.load(); }
  bool full() const { return maxconn.load() > 0 && cur_sess.load() >= effective_maxconn(); }
  // Returns: the limit on sessions now (maxconn, or the dynamic one).
  // slowstart lowers it while the server ramps up.
  int effective_maxconn() const {
    const int step = warm_maxconn_step.load(std::memory_order_relaxed);
    const int max = load_maxconn();
    return step < 0 ? max : slowstart_maxconn(max, step, slowstart_s);
  }
  // Returns: the limit the backend's load gives (maxconn, or between
  // minconn and maxconn).
  int load_maxconn() const {
    const int maxconn = this->maxconn.load(std::memory_order_relaxed);
    if (minconn >= maxconn || !be_load) return maxconn;
    const int64_t load = be_load->load(std::memory_order_relaxed);
    if (load >= fullconn) return maxconn;
    const int64_t ramp = load * maxconn / fullconn;
    const int64_t m = ramp > minconn ? ramp : minconn;
    return m > 0 ? int(m) : 1;
  }

 private:
  std::atomic<const std::string*> cookie_{nullptr};
  std::deque<std::string> cookie_values_;  // never shrinks: see cookie()
  mutable std::mutex addr_mu_;
  net::Address addr_;
  std::string hostname_;
  std::atomic<uint32_t> addr_gen_{0};
  std::atomic<net::Transport*> xprt_{net::raw_transport()};
};

}  // namespace hearth::backend
