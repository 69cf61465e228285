#pragma once
// Server health, as pure logic: the rise/fall counter that turns check results
// into UP and DOWN, the choice of the next check interval, the check result
// codes, and the per-server figures the runtime API shows. No I/O here; the
// checks themselves are in health_check.h.
#include <atomic>
#include <cstdint>
#include <mutex>
#include <string>
#include <string_view>

#include "config/enums.h"

namespace hearth::backend {

// Where a checked server starts, and restarts when it leaves maintenance
// (server keyword "init-state"; defined once, in config/enums.h).
using InitState = config::InitState;

// Outcome of one check (defined once, in config/enums.h).
using CheckStatus = config::CheckStatus;

// Returns: "L4OK", "L7STS", ... ("" for kNone, "INI" for kInit).
const char* check_status_code(CheckStatus s);
// Returns: a short description, such as "Layer4 connection problem".
const char* check_status_reason(CheckStatus s);
// Returns: true for the statuses that count as a passed check.
bool check_passed(CheckStatus s);

// Check periods in ms. fastinter applies while a server is in a transition
// (UP with failures, DOWN with successes), downinter while it is fully DOWN;
// 0 means "same as inter".
struct CheckIntervals {
  int64_t inter = 2000;
  int64_t fastinter = 0;
  int64_t downinter = 0;
};

// spread-checks: `interval` moved by up to +/- `pct` percent, where the
// position in that range is `rnd` / 2^32 (0: -pct%, 2^32-1: +pct%).
// Returns: the interval to wait, at least 1 ms when `interval` is positive.
int64_t spread_interval(int64_t interval, int pct, uint32_t rnd);

// Returns: a pseudo-random 32-bit value from the calling thread's generator
// (xorshift; not for anything secret).
uint32_t check_random();

// The health counter of one server, HAProxy's model: a value in
// [0, rise + fall - 1]. The server is UP while it is >= rise. A passed check
// adds one, and once the value reaches rise it jumps to the top (fully UP); a
// failed check takes one away, and once the value drops below rise it falls to
// 0 (fully DOWN). So a fully UP server needs `fall` consecutive failures to go
// DOWN and a fully DOWN one `rise` consecutive successes to come back UP.
// Not thread-safe: owned by the check's thread.
class HealthCounter {
 public:
  enum class Change { kNone, kWentUp, kWentDown };

  // Requires: rise >= 1, fall >= 1.
  HealthCounter(int rise, int fall, InitState init) : rise_(rise), fall_(fall) { reset(init); }
  void reset(InitState init);
  // Records one check. Returns: whether the server crossed between UP and DOWN.
  Change record(bool passed);

  // Puts the value at `health` (an on-error action). Requires: 0 <= health
  // <= rise + fall - 1.
  void set_health(int health) { health_ = health; }
  bool up() const { return health_ >= rise_; }
  int health() const { return health_; }
  int rise() const { return rise_; }
  int fall() const { return fall_; }
  // Returns: the delay until the next check, after the current state.
  int64_t next_interval(const CheckIntervals& iv) const;

 private:
  int top() const { return rise_ + fall_ - 1; }
  int rise_;
  int fall_;
  int health_ = 0;
};

// Returns: the state as `show stat` prints it: "UP", "UP 2/3" (UP with one
// failure of fall 3), "DOWN", or "DOWN 1/2" (DOWN with one success of rise 2).
std::string health_status_text(int health, int rise, int fall);
// The same for a server whose state (`up`) an operator or an agent set
// apart from its counter, as HAProxy prints it then ("UP -1/3", "DOWN 4/2").
std::string health_status_text(int health, int rise, int fall, bool up);

// What a server's checks found, for the runtime API and the logs. Written by
// the check's thread (and by the admin thread for maintenance), read from any
// thread.
class ServerHealth {
 public:
  struct LastCheck {
    CheckStatus status = CheckStatus::kNone;
    int code = 0;              // HTTP status of an HTTP check, else 0
    int64_t duration_ms = -1;  // -1: no check completed
    std::string info;          // e.g. "Connection refused"
  };

  // Set once when the runtime is built, before any thread runs.
  bool checked = false;
  // Checks run ("disable health|agent" on the runtime API stops them; the
  // state they left stays).
  std::atomic<bool> enabled{true};
  int rise = 2;
  int fall = 3;

  std::atomic<int> health{0};                 // the HealthCounter's value
  std::atomic<uint64_t> checks{0};            // checks completed
  std::atomic<uint64_t> failed_checks{0};     // failures of a server not fully DOWN
  std::atomic<uint64_t> down_transitions{0};  // UP -> DOWN by the checks

  void set_last(CheckStatus status, int code, int64_t duration_ms, std::string_view info);
  LastCheck last() const;

  // Sets the starting serving state. Requires: before any thread runs.
  void start(bool serving, int64_t now_ms);
  // Records whether the server takes traffic (UP and not in maintenance) at
  // now_ms; a change restarts lastchg and opens or closes a downtime period.
  void note_serving(bool serving, int64_t now_ms);
  // Moves the last change back to `ms` (a state file's age). Requires: before
  // any thread runs.
  void set_last_change_ms(int64_t ms);
  // Returns: when the serving state last changed (ms, monotonic clock).
  int64_t last_change_ms() const;
  // Returns: when the server last came back into service (ms, monotonic
  // clock), or -1 while it is out of service or has served since the start
  // (slowstart.h).
  int64_t came_up_ms() const { return came_up_ms_.load(std::memory_order_acquire); }
  // Returns: total time spent not serving (DOWN or in maintenance) until now_ms.
  int64_t downtime_ms(int64_t now_ms) const;

 private:
  mutable std::mutex mu_;
  LastCheck last_;
  bool serving_ = true;
  int64_t last_change_ms_ = 0;
  int64_t down_since_ms_ = -1;
  int64_t down_total_ms_ = 0;
  std::atomic<int64_t> came_up_ms_{-1};
};

}  // namespace hearth::backend
