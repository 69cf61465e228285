#pragma once
// A Backend holds its servers, a load-balancing algorithm and a queue of sessions
// waiting for a server slot (server maxconn). Shared by all threads; pick, release
// and queue operations take the backend's mutex.
#include <atomic>
#include <cstdint>
#include <memory>
#include <mutex>
#include <string>
#include <string_view>
#include <vector>

#include "backend/backend_history.h"
#include "backend/backend_settings.h"
#include "backend/lb.h"
#include "backend/server.h"
#include "core/event_loop.h"
#include "core/list.h"
#include "core/pool.h"

namespace hearth::backend {

// A session waiting for a slot. Reference-counted because the wake-up crosses
// threads: the releasing thread posts to the waiter's loop.
struct QueueWaiter {
  ListHook hook;
  EventLoop* loop = nullptr;
  Tasklet* tasklet = nullptr;  // cleared by the owner before it lets go
  // Written under the backend lock when a slot is granted; read by the owner
  // without it (a granted slot is collected through cancel_wait()).
  std::atomic<Server*> assigned{nullptr};
  // Set under the backend lock, before the wake-up, when no server is usable
  // any more: the owner stops waiting (the session fails as with no server).
  std::atomic<bool> rejected{false};
  LbRequest req;
  std::atomic<int> refs{1};

  static QueueWaiter* create(EventLoop* loop, Tasklet* t, const LbRequest& req);
  void unref();
};

// kServerQueueFull: the use-server target is full and as many sessions as its
// maxqueue already wait for it (HAProxy's SQ), without option redispatch.
enum class TakeResult { kAssigned, kQueued, kNoServer, kQueueFull, kServerQueueFull };

// What a backend counts on the request path: one block per thread.
struct BackendTallies {
  Tally sessions;
  Tally no_server;  // sessions refused: no usable server
  Tally queue_timeouts;
  Tally http_requests;  // HTTP requests switched to it (req_tot)
  Tally bytes_in, bytes_out;
  // HTTP payload bytes its server connections received (responses) and sent
  // (requests) through kernel pipes (option splice-*): h1_spliced_bytes_*.
  Tally spliced_in, spliced_out;
  HttpStatusTallies hrsp;  // responses of transactions that reached it, by class
  Tally failed_resp;       // server responses that failed: invalid, cut, none (eresp)
  Tally cli_aborts, srv_aborts;  // transactions the client / a server aborted
  Tally denied_resp;       // responses denied by http-response rules (dresp)
  RateWindow sess_rate;    // streams switched to it per second
  Tally last_sess;         // when the last stream came (ms + 1; 0: never)
  TimeTallies times;       // qtime, ctime, rtime, ttime of its transactions
};

struct BackendCounters {
  PerThread<BackendTallies> t;
  BackendTallies& local() { return t.local(); }
  uint64_t sum(Tally BackendTallies::*m) const { return t.sum(m); }
  void note_times(const int64_t (&ms)[4]) {
    t.local().times.add(ms);
    times_max.note(ms);
  }
  std::atomic<int64_t> cur_conns{0};  // streams attached to the backend now (be_conn)
  std::atomic<int64_t> max_conns{0};  // highest cur_conns seen (smax)
  RateMax sess_rate_max;
  TimeMax times_max;
  std::atomic<int64_t> max_queue{0};  // most sessions waiting in its queue (qmax)
};

class Backend {
 public:
  Backend(std::string name, LbKind kind, int random_draws);
  // Requires: called before the backend is used by any thread.
  Server* add_server(std::unique_ptr<Server> s);
  void finalize();  // builds the LB schedule once all servers are added

  // Dynamic servers ("add server", "del server"; docs/architecture.md,
  // "Dynamic servers"). Both require the worker threads to be isolated
  // (app/worker_isolation.h) and server_list_mutex() held exclusively: no
  // other thread reads servers() meanwhile.
  // Returns: the smallest public id (puid) no server has, as HAProxy numbers
  // a dynamic server without "id". Requires: the list does not change meanwhile.
  int free_puid() const;
  // Appends s (its puid, if 0, free_puid()) and rebuilds the LB.
  Server* add_dynamic_server(std::unique_ptr<Server> s);
  // Moves s from servers() to retired() (its memory is kept until the
  // process ends: streams, checks and log lines may still hold a pointer),
  // renumbers the positions (Server::id) and rebuilds the LB.
  void retire_server(Server* s);
  // Servers deleted at run time, kept allocated; their pools are still
  // ticked (closing whatever is parked late) and closed with the workers.
  const std::vector<std::unique_ptr<Server>>& retired() const { return retired_; }
  // Returns: true if the algorithm accepts servers at run time (HAProxy's
  // dynamic ones: roundrobin, leastconn, first, random, and any hashing
  // with hash-type consistent).
  bool dynamic_lb() const;

  const std::string& name() const { return name_; }
  const std::vector<std::unique_ptr<Server>>& servers() const { return servers_; }
  // "dispatch ADDR:PORT" / "option transparent" in a backend without a
  // "balance" line: where its sessions go (HAProxy's backend as the target),
  // but those a use-server rule binds to a server. A server of its own, in no
  // list: never balanced, checked or shown, named "<NOSRV>" as the log names
  // it. Null: none.
  Server* fallback() const { return fallback_.get(); }
  void set_fallback(std::unique_ptr<Server> s) { fallback_ = std::move(s); }
  // Returns: the server called `name`, or nullptr.
  Server* server_named(std::string_view name) const;
  LbKind lb_kind() const { return lb_kind_; }
  int id = 0;               // HAProxy's proxy id: "id", else numbered (config::proxy_ids)
  bool id_forced = false;   // set by "id" (show servers state's bk_f_forced_id)
  std::string description;  // "description" (show stat's desc column)
  BackendCounters counters;
  BackendHistory history;  // UP/DOWN transitions (lastchg, chkdown, downtime)
  // Dynamic cookies ("cookie ... dynamic", "dynamic-cookie-key"): set at load,
  // changed by the runtime API only (one caller at a time); streams read the
  // servers' cookies, never this (backend/dynamic_cookie.h).
  struct DynamicCookie {
    std::string key;
    bool enabled = false;
  } dyn_cookie;
  // Requires: set before the backend is used by any thread; read-only after.
  BackendSettings settings;

  // Takes a server slot for a session. kAssigned: *out holds the server and its
  // cur_sess was incremented. kQueued: every usable server is full; *waiter was
  // created and will be woken (its tasklet queued) once `assigned` is set.
  TakeResult take(const LbRequest& req, Server** out, EventLoop* loop, Tasklet* t,
                  QueueWaiter** waiter);
  // Gives a slot back, handing it straight to the oldest waiter if any.
  void release(Server* s);
  // The owner gives up waiting (timeout or abort). Returns: a server slot that was
  // granted meanwhile (the caller now holds it), or nullptr.
  Server* cancel_wait(QueueWaiter* w);
  size_t queue_length();
  // Returns: the sessions waiting for s in particular (use-server).
  size_t server_queue_length(const Server* s);
  // Server state changed (admin or health): rebuilds the schedule, then serves
  // the queue: waiters get a server that has room (one that came back UP); if
  // no server is usable at all, every waiter is rejected rather than left to
  // its queue timeout.
  void servers_changed();
  // slowstart (slowstart.h), from worker 0's housekeeping: when the step of
  // a ramping server moved, servers_changed() (the weights and maxconn it
  // gives, the queue served with the room that grew).
  void tick_slowstart(int64_t now_ms);
  // Returns: servers usable() now, active and backup.
  struct UsableCount {
    int active = 0, backup = 0;
  };
  UsableCount usable_servers() const;
  // Returns: true if some server is usable with a weight (HAProxy's backend UP).
  bool has_weight() const;

 private:
  void grant_locked(Server* s, QueueWaiter* w);
  // Returns: true if r names a preferred server that is usable and not avoided.
  static bool preferable(const LbRequest& r);
  // The server for r: its preferred one while that has room, else the
  // algorithm's choice (nullptr if none fits). Requires: mu_ held.
  Server* pick_locked(const LbRequest& r);
  // Grants slots to waiters in order while a server has room; rejects them all
  // when no server is usable. Requires: mu_ held.
  void dispatch_locked();
  // Builds the LB algorithm anew from servers_. Requires: mu_ held.
  void finalize_locked();
  // Sets each slowstart server's step for now_ms (backend_slowstart.cc).
  // Returns: the servers whose ramp just ended. Requires: mu_ held.
  std::vector<Server*> refresh_slowstart_locked(int64_t now_ms);
  bool has_slowstart_ = false;  // some server has slowstart (set by finalize)
  // Waiters for s in particular (nullptr: those any server would do, the
  // algorithm's). Requires: mu_ held.
  size_t server_queue_locked(const Server* s);
  void enqueue_locked(QueueWaiter* w);

  std::string name_;
  LbKind lb_kind_;
  int random_draws_;
  std::vector<std::unique_ptr<Server>> servers_;
  std::unique_ptr<Server> fallback_;
  std::vector<std::unique_ptr<Server>> retired_;
  std::unique_ptr<LbAlgorithm> lb_;
  std::mutex mu_;
  List queue_;
  size_t queue_len_ = 0;
};

// Counts one stream in its backend's cur_conns (be_conn) from the time it is
// switched there until it ends or switches again.
class BackendHold {
 public:
  BackendHold() = default;
  BackendHold(const BackendHold&) = delete;
  BackendHold& operator=(const BackendHold&) = delete;
  ~BackendHold() { reset(nullptr); }
  void reset(Backend* be) {
    if (be_) be_->counters.cur_conns.fetch_sub(1, std::memory_order_relaxed);
    be_ = be;
    if (!be_) return;
    BackendTallies& l = be_->counters.local();
    l.sessions.add();
    const int64_t now = stat_now_ms();
    l.sess_rate.add(now, be_->counters.sess_rate_max);
    l.last_sess.set(uint64_t(now) + 1);
    raise_max(be_->counters.max_conns,
              be_->counters.cur_conns.fetch_add(1, std::memory_order_relaxed) + 1);
  }

 private:
  Backend* be_ = nullptr;
};

// Logs the end of s's slowstart ramp ("Server B/S is UP. ..."), as HAProxy.
void log_slowstart_end(Backend& be, const Server& s);

}  // namespace hearth::backend
