#pragma once
// Active health checks. Each checked server has one HealthCheck, which runs on
// one worker thread's event loop (the runtime spreads them over the workers):
// a timer starts a check, the check opens a non-blocking connection, sends an
// HTTP request if the backend has `option httpchk`, reads the response head,
// and closes the socket. The result feeds the server's HealthCounter; when the
// server crosses between UP and DOWN, its `up` flag changes, the backend's LB
// schedule and queue are refreshed, and a line is logged (health_log.h).
//
// Per-check lifecycle (one check at a time per server):
//   IDLE --timer--> CONNECTING --connected--> (TCP check) result L4OK
//                              \--connected--> SENDING --sent--> READING --head--> result
//   any phase: error or deadline -> result (L4CON, L4TOUT, L7TOUT, L7RSP, SOCKERR)
//   result: socket closed, counter updated, next check armed -> IDLE
// Deadlines, as HAProxy: without `timeout check`, `inter` bounds the whole
// check; with it, min(`timeout connect`, inter) bounds the connect and
// `timeout check` the rest.
#include <regex.h>

#include <atomic>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "backend/health.h"
#include "backend/health_log.h"
#include "core/buffer.h"
#include "core/event_loop.h"
#include "net/address.h"

namespace hearth::net {
class Connection;
}

namespace hearth::backend {

class Backend;
class Server;

// Which HTTP statuses pass a check ("http-check expect"). Copyable.
class StatusExpect {
 public:
  // Without "http-check expect": 2xx and 3xx pass.
  StatusExpect() = default;
  // "status CODES": codes in one of the inclusive ranges pass.
  static StatusExpect status(std::vector<std::pair<int, int>> ranges, bool negate,
                             std::string text);
  // "rstatus REGEX": codes whose 3-digit text matches the POSIX extended
  // regex pass. Returns: false (out untouched) if it does not compile.
  static bool rstatus(const std::string& regex, bool negate, StatusExpect* out);

  bool passes(int status) const;
  // Returns: the rule as written ("status 200", "! rstatus ^5"), or
  // "2xx or 3xx" for the default.
  std::string describe() const;

 private:
  enum class Kind { kDefault, kStatus, kRStatus };
  Kind kind_ = Kind::kDefault;
  bool negate_ = false;
  std::vector<std::pair<int, int>> ranges_;
  std::shared_ptr<regex_t> regex_;
  std::string text_;
};

// Returns: the bytes of an HTTP check request. raw_lines are extra header
// lines, each already ending with CRLF. A body gets a content-length; an
// HTTP/1.1 request without a Connection field gets "connection: close".
std::string build_check_request(std::string_view method, std::string_view uri,
                                std::string_view version, std::string_view raw_lines,
                                const std::vector<std::pair<std::string, std::string>>& headers,
                                std::string_view body);

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
  int64_t connect_timeout_ms = 0;  // the backend's timeout connect; 0: none
  int64_t check_timeout_ms = 0;    // timeout check; 0: not set
  int64_t first_delay_ms = 0;      // delay before the first check
  int spread_pct = 0;              // spread-checks: +/- this % on every interval
  bool http = false;               // option httpchk
  std::string request;             // HTTP checks: the request bytes
  StatusExpect expect;             // HTTP checks: which statuses pass
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
  // Any thread, after Server::disabled changed: in maintenance checks pause;
  // leaving it (after prepare_restart) restarts the counter and checks at once.
  void maintenance_changed();

 private:
  enum class Phase { kIdle, kConnecting, kSending, kReading };

  static void timer_cb(Timer* t, void* ctx);
  static void io_cb(Tasklet* t, void* ctx, uint32_t state);
  static void maintenance_cb(void* ctx);
  void begin();
  void on_connect();
  void send_request();
  void read_response();
  void evaluate(int status);
  void on_deadline();
  void finish(CheckStatus status, int code, std::string_view info);
  void close_conn();
  void arm(int64_t at_ms);
  void apply_maintenance();
  void transition(bool up, const CheckOutcome& why);

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
  size_t sent_ = 0;
  int64_t start_ms_ = 0;
  bool paused_ = false;  // maintenance, as last applied on the loop
  // Set when the server left maintenance, until the loop has restarted the
  // counter: a quick disable + enable must restart it even if the loop never
  // saw the server in maintenance.
  std::atomic<bool> restart_{false};
};

// Puts a server into maintenance or takes it out ("disable server" / "enable
// server"), with its effects: LB and queue refreshed, a line logged, checks
// paused or restarted. Thread-safe.
void set_server_maintenance(Backend& be, Server& s, bool maintenance);

}  // namespace hearth::backend
