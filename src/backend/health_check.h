#pragma once
// Active health checks. Each checked server has one HealthCheck, which runs on
// one worker thread's event loop (the runtime spreads them over the workers).
// A check runs the backend's rule list (check_program.h) with a small state
// machine: connect, send, expect, comment, set-var and unset-var rules in
// order, as HAProxy's tcp-check engine does (option httpchk, tcp-check and
// the protocol checks are all such lists). The result feeds the server's
// HealthCounter; when the server crosses between UP and DOWN, its `up` flag
// changes, the backend's LB schedule and queue are refreshed, and a line is
// logged (health_log.h).
//
// Per-check lifecycle (one check at a time per server):
//   IDLE --timer--> RUNNING: rules evaluated from the first
//   connect rule: CONNECTING --established--> next rule
//   send rule:    SENDING --all written--> next rule
//   expect rule:  RECEIVING --enough bytes to decide--> next rule (or result)
//   comment / set-var / unset-var: applied at once, next rule
//   after the last rule: result passed (L4OK, L6OK, L7OK ...)
//   any phase: error, mismatch or deadline -> result (L4CON, L4TOUT, L7TOUT, L7RSP, L7STS ...)
//   result: socket closed, counter updated, next check armed -> IDLE
//   option external-check: IDLE --timer--> EXTERNAL (a command runs, no rules)
//     --exit or deadline--> result (health_external.cc)
// Deadlines, as HAProxy: without `timeout check`, `inter` bounds the whole
// check; with it, min(`timeout connect`, inter) bounds each connect and
// `timeout check` the rest from the last connection on.
#include <atomic>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "backend/check_fetch.h"
#include "backend/check_program.h"
#include "backend/external_check.h"
#include "backend/health.h"
#include "backend/health_log.h"
#include "backend/passive_health.h"
#include "core/buffer.h"
#include "core/child_process.h"
#include "core/event_loop.h"
#include "net/address.h"

namespace hearth::net {
class Connection;
}

namespace hearth::backend {

class Backend;
class Server;

// What "set server ... health" asks for.
enum class AdminHealth { kUp, kStopping, kDown };

// Publishes a server's new UP/DOWN verdict: its flag, the down transitions,
// its serving time, the backend's LB (no log line).
void publish_server_up(Backend& be, Server& s, bool up, int64_t now_ms);

// Publishes an operator's change of a server's health (UP, stopping, DOWN):
// state, LB, log line ("changed from CLI"). On the server's check thread if
// it has a health check (HealthCheck::admin_set_health), else any thread.
void apply_admin_health(Backend& be, Server& s, AdminHealth h, int64_t now_ms);

// The rules of an agent-check: connect to `addr` (empty: the server's) on
// `port`, send `send` (if any), read the agent's line.
CheckProgram build_agent_program(const std::string& addr, int port, const std::string& send);

struct CheckSpec {
  net::Address addr;  // where checks connect ("addr" and "port" applied)
  // No "addr": checks follow the server's address as it changes (run-time
  // resolution, "set server addr"), with "port" applied.
  bool follow_server = true;
  CheckIntervals intervals;
  int rise = 2;
  int fall = 3;
  InitState init = InitState::kUp;
  // The state of the very first start when it differs from `init` (restored
  // from a server state file); leaving maintenance later uses `init`.
  std::optional<InitState> first_start;
  int64_t connect_timeout_ms = 0;               // the backend's timeout connect; 0: none
  int64_t check_timeout_ms = 0;                 // timeout check; 0: not set
  int64_t first_delay_ms = 0;                   // delay before the first check
  int spread_pct = 0;                           // spread-checks: +/- this % on every interval
  std::shared_ptr<const CheckProgram> program;  // the rules (a plain connect if null)
  // An agent-check (health_agent.cc): its results go to Server::agent_health
  // and its replies act on the server; it runs in maintenance too.
  bool agent = false;
  CheckFetch::Names names;  // what be_name, srv_name ... give
  // option external-check: each check runs this command instead of the
  // rules (health_external.cc).
  std::shared_ptr<const ExternalCheckSpec> external;
};

class HealthCheck {
 public:
  // Sets the server's initial state from spec.init. Requires: be and s outlive
  // the check; called before any worker runs. `thread`: the worker that runs it.
  HealthCheck(Backend* be, Server* s, CheckSpec spec, int thread);
  ~HealthCheck();
  HealthCheck(const HealthCheck&) = delete;
  HealthCheck& operator=(const HealthCheck&) = delete;

  int thread() const { return thread_; }
  const CheckSpec& spec() const { return spec_; }

  // On the worker's thread, with `loop` running there: arms the first check.
  void start(EventLoop* loop);
  // On the worker's thread, before its loop goes away: closes a check in
  // flight and disarms the timer.
  void stop();
  // Any thread, before Server::disabled is cleared: the loop will restart the
  // counter at init-state, and results of checks begun before are dropped.
  void prepare_restart() { restart_.store(true); }
  // Any thread: an agent said the server is up (or down): the next result
  // of this (health) check starts from fully UP (fully DOWN), as HAProxy sets
  // the check's health.
  // What the API shows follows now.
  void force_health(bool up);
  // Any thread, after Server::disabled changed: in maintenance checks pause
  // (their ticks keep their times and are skipped); leaving it (after
  // prepare_restart) restarts the counter, the next tick checks.
  void maintenance_changed();

  // The runtime API's changes (health_admin.cc). Each runs on the check's
  // thread, between two of its events.
  // set server ... health up|stopping|down (a health check): the counter
  // starts again fully UP or DOWN, and the server's state follows now.
  void admin_set_health(AdminHealth h);
  // set server ... agent up|down (an agent): as an agent reply saying so.
  void admin_set_agent(bool up);
  // enable|disable health|agent: a disabled check runs no more and its
  // results stop counting; the state it left stays.
  void admin_enable(bool on);
  // check-addr / check-port: where the next health checks connect (null
  // addr: the same address; no port: the same port; port 0: the server's).
  void admin_set_check_target(const net::Address* addr, std::optional<int> port);
  // agent-addr / agent-port / agent-send: the next agent checks use the
  // server's agent fields as they are now.
  void admin_agent_changed();
  // On the check's thread: `errors` consecutive errors of the server's
  // traffic, the last one `last`, reached error-limit while the server held
  // `sessions` sessions: the server's on-error action (health_passive.cc).
  void apply_passive(PassiveEvent last, int errors, int sessions);
  // Any thread: runs fn(*this) on the check's thread without waiting (the
  // stats page's admin form, which runs on a worker that must not block), or
  // at once when no loop runs the check.
  void post_admin(std::function<void(HealthCheck&)> fn);

 private:
  enum class Phase { kIdle, kConnecting, kSending, kReceiving, kExternal };

  static void timer_cb(Timer* t, void* ctx);
  static void io_cb(Tasklet* t, void* ctx, uint32_t state);
  static void maintenance_cb(void* ctx);
  void begin();
  // Evaluates rules from cur_ until one waits for I/O or the check ends.
  void run();
  // Returns: false if the check ended (finish() ran) or waits for the connection.
  // Returns: true if the first step from `from` on that acts is an expect
  // (the server speaks first).
  bool expects_first(size_t from) const;
  bool start_connect(const CheckStep& s);
  void on_connect();
  bool start_send(const CheckStep& s);
  void send_pending();
  void receive();
  // Returns: false if the check ended or waits for bytes.
  bool expect(const CheckStep& s);
  void apply_var(const CheckStep& s);
  // An agent's reply (health_agent.cc). Returns: false (the check ended or waits).
  bool agent_reply();
  void agent_finish(CheckStatus status, int code, std::string_view info, int64_t took);
  // An external check (health_external.cc): the command started, its exit,
  // its deadline, and the end of a command still running when the check ends.
  void start_external();
  static void external_exit_cb(void* ctx);
  void external_exited();
  void external_timeout();
  void end_child();
  void pass();
  void fail_connection(CheckStatus status, std::string info);
  std::string state_header() const;
  void on_deadline();
  void finish(CheckStatus status, int code, std::string_view info);
  // `sessions`: those the server held when the cause happened (-1: now).
  void record_result(CheckStatus status, int code, std::string_view info, int64_t took,
                     int sessions = -1);
  void close_conn();
  void arm(int64_t at_ms);
  void apply_maintenance();
  // The wait between two ticks of a check paused by maintenance, and before
  // the first after it restarted the counter (HAProxy's intervals for those
  // health values).
  int64_t paused_interval() const;
  int64_t restarted_interval() const;
  // `was_usable`: the server took load-balanced traffic before (not
  // stopping, not drained); as HAProxy, only then may its going DOWN leave
  // the backend with no server ("has no server available!").
  // `was_stopping`: stopping or draining before; as HAProxy, its going DOWN
  // is then logged at notice level, not alert.
  void transition(bool up, const CheckOutcome& why, bool was_usable = true,
                  bool was_stopping = false);

  Backend* be_;
  Server* srv_;
  CheckSpec spec_;
  int thread_;
  std::atomic<EventLoop*> loop_{nullptr};
  HealthCounter counter_;
  Phase phase_ = Phase::kIdle;
  Timer timer_;
  Tasklet tasklet_;
  WaitEvent wait_;
  net::Connection* conn_ = nullptr;
  Buffer buf_;
  std::string out_;  // the bytes of the send rule in progress
  size_t sent_ = 0;
  size_t cur_ = 0;                   // the rule being evaluated
  size_t expect_head_ = 0;           // the first expect of the run of expects cur_ is in
  const CheckStep* last_ = nullptr;  // the last connect, send or expect evaluated
  bool must_read_ = false;           // the next expect reads new bytes first
  bool last_read_ = false;           // the peer closed: no more bytes will come
  bool linger_ = false;              // the connect rule said "linger": close without a reset
  int code_ = 0;                     // the code of the last HTTP response or status-code
  CheckFetch fetch_;
  std::unique_ptr<ChildProcess> child_;  // the external check's command in flight
  // Commands killed (timeout, maintenance) and not reaped yet.
  std::vector<std::unique_ptr<ChildProcess>> killed_;
  int ext_code_ = 0;  // the last exit code of the external check's command
  int64_t start_ms_ = 0;
  bool paused_ = false;  // maintenance, as last applied on the loop
  // Set when the server left maintenance, until the loop has restarted the
  // counter: a quick disable + enable must restart it even if the loop never
  // saw the server in maintenance.
  std::atomic<bool> restart_{false};
  std::atomic<int> forced_{-1};  // force_health(): -1 none, 0 down, 1 up
  // The rules the next check runs (agent-send & co changed them meanwhile).
  std::shared_ptr<const CheckProgram> next_program_;
  ServerHealth& own_health();
  // A stopping server after a result that did not change the counter's
  // verdict: a passed check makes it plainly UP, a DOWN counter DOWN.
  void leave_stopping(bool passed, const CheckOutcome& why);
  // A check that passed conditionally (disable-on-404) on an UP server: it
  // stops taking new load-balanced traffic (NOLB), as HAProxy, unless it is
  // in maintenance or its agent holds it DOWN.
  void enter_stopping(const CheckOutcome& why);
};

// Puts a server into maintenance or takes it out ("disable server" / "enable
// server"), with its effects: LB and queue refreshed, a line logged, checks
// paused or restarted. Thread-safe.
void set_server_maintenance(Backend& be, Server& s, bool maintenance);

}  // namespace hearth::backend
