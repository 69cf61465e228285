#include "backend/health.h"

#include <chrono>
#include <cstdint>

namespace hearth::backend {

const char* check_status_code(CheckStatus s) {
  switch (s) {
    case CheckStatus::kNone:
      return "";
    case CheckStatus::kInit:
      return "INI";
    case CheckStatus::kL4Ok:
      return "L4OK";
    case CheckStatus::kL4Timeout:
      return "L4TOUT";
    case CheckStatus::kL4Con:
      return "L4CON";
    case CheckStatus::kL6Ok:
      return "L6OK";
    case CheckStatus::kL6Timeout:
      return "L6TOUT";
    case CheckStatus::kL6Rsp:
      return "L6RSP";
    case CheckStatus::kL7Ok:
      return "L7OK";
    case CheckStatus::kL7OkCd:
      return "L7OKC";
    case CheckStatus::kL7Timeout:
      return "L7TOUT";
    case CheckStatus::kL7Rsp:
      return "L7RSP";
    case CheckStatus::kL7Sts:
      return "L7STS";
    case CheckStatus::kSockErr:
      return "SOCKERR";
    case CheckStatus::kChecked:
      return "CHECKED";
    case CheckStatus::kHana:
      return "HANA";
    case CheckStatus::kProcErr:
      return "PROCERR";
    case CheckStatus::kProcTout:
      return "PROCTOUT";
    case CheckStatus::kProcOk:
      return "PROCOK";
  }
  return "UNK";
}

const char* check_status_reason(CheckStatus s) {
  switch (s) {
    case CheckStatus::kNone:
      return "no check";
    case CheckStatus::kInit:
      return "Initializing";
    case CheckStatus::kL4Ok:
      return "Layer4 check passed";
    case CheckStatus::kL4Timeout:
      return "Layer4 timeout";
    case CheckStatus::kL4Con:
      return "Layer4 connection problem";
    case CheckStatus::kL6Ok:
      return "Layer6 check passed";
    case CheckStatus::kL6Timeout:
      return "Layer6 timeout";
    case CheckStatus::kL6Rsp:
      return "Layer6 invalid response";
    case CheckStatus::kL7Ok:
      return "Layer7 check passed";
    case CheckStatus::kL7OkCd:
      return "Layer7 check conditionally passed";
    case CheckStatus::kL7Timeout:
      return "Layer7 timeout";
    case CheckStatus::kL7Rsp:
      return "Layer7 invalid response";
    case CheckStatus::kL7Sts:
      return "Layer7 wrong status";
    case CheckStatus::kSockErr:
      return "Socket error";
    case CheckStatus::kChecked:
      return "No status change";
    case CheckStatus::kHana:
      return "Health analyze";
    case CheckStatus::kProcErr:
      return "External check error";
    case CheckStatus::kProcTout:
      return "External check timeout";
    case CheckStatus::kProcOk:
      return "External check passed";
  }
  return "Unknown";
}

bool check_passed(CheckStatus s) {
  return s == CheckStatus::kL4Ok || s == CheckStatus::kL6Ok || s == CheckStatus::kL7Ok ||
         s == CheckStatus::kL7OkCd || s == CheckStatus::kProcOk;
}

void HealthCounter::reset(InitState init) {
  switch (init) {
    case InitState::kFullyUp:
      health_ = top();
      break;
    case InitState::kUp:
      health_ = rise_;
      break;
    case InitState::kDown:
      health_ = rise_ - 1;
      break;
    case InitState::kFullyDown:
      health_ = 0;
      break;
  }
}

HealthCounter::Change HealthCounter::record(bool passed) {
  const bool was_up = up();
  if (passed) {
    if (health_ < top()) ++health_;
    if (health_ >= rise_) health_ = top();
  } else {
    if (health_ > 0) --health_;
    if (health_ < rise_) health_ = 0;
  }
  if (up() == was_up) return Change::kNone;
  return up() ? Change::kWentUp : Change::kWentDown;
}

int64_t spread_interval(int64_t interval, int pct, uint32_t rnd) {
  if (pct <= 0 || interval <= 0) return interval;
  const int64_t range = interval * pct / 100;
  // From -range to +range as rnd goes from 0 to 2^32-1.
  const int64_t offset = range - (2 * range * int64_t(rnd)) / int64_t(0xffffffffu);
  const int64_t out = interval + offset;
  return out < 1 ? 1 : out;
}

uint32_t check_random() {
  thread_local uint32_t state = 0;
  if (state == 0)  // seeded per thread from the clock and the thread's address
    state = uint32_t(std::chrono::steady_clock::now().time_since_epoch().count()) ^
            uint32_t(reinterpret_cast<uintptr_t>(&state)) ^ 0x9e3779b9u;
  state ^= state << 13;
  state ^= state >> 17;
  state ^= state << 5;
  return state;
}

int64_t HealthCounter::next_interval(const CheckIntervals& iv) const {
  if (health_ == top()) return iv.inter;
  if (health_ == 0) return iv.downinter > 0 ? iv.downinter : iv.inter;
  return iv.fastinter > 0 ? iv.fastinter : iv.inter;
}

std::string health_status_text(int health, int rise, int fall) {
  return health_status_text(health, rise, fall, health >= rise);
}

std::string health_status_text(int health, int rise, int fall, bool up) {
  const int top = rise + fall - 1;
  if (up) {
    if (health == top) return "UP";
    return "UP " + std::to_string(health - rise + 1) + "/" + std::to_string(fall);
  }
  if (health == 0) return "DOWN";
  return "DOWN " + std::to_string(health) + "/" + std::to_string(rise);
}

void ServerHealth::set_last(CheckStatus status, int code, int64_t duration_ms,
                            std::string_view info) {
  std::lock_guard<std::mutex> g(mu_);
  last_.status = status;
  last_.code = code;
  last_.duration_ms = duration_ms;
  last_.info.assign(info);
}

ServerHealth::LastCheck ServerHealth::last() const {
  std::lock_guard<std::mutex> g(mu_);
  return last_;
}

void ServerHealth::start(bool serving, int64_t now_ms) {
  std::lock_guard<std::mutex> g(mu_);
  serving_ = serving;
  last_change_ms_ = now_ms;
  down_since_ms_ = serving ? -1 : now_ms;
}

void ServerHealth::set_last_change_ms(int64_t ms) {
  std::lock_guard<std::mutex> g(mu_);
  last_change_ms_ = ms;
  if (down_since_ms_ >= 0) down_since_ms_ = ms;
}

void ServerHealth::note_serving(bool serving, int64_t now_ms) {
  std::lock_guard<std::mutex> g(mu_);
  if (serving == serving_) return;
  serving_ = serving;
  last_change_ms_ = now_ms;
  came_up_ms_.store(serving ? now_ms : -1, std::memory_order_release);
  if (!serving) {
    down_since_ms_ = now_ms;
  } else if (down_since_ms_ >= 0) {
    down_total_ms_ += now_ms - down_since_ms_;
    down_since_ms_ = -1;
  }
}

int64_t ServerHealth::last_change_ms() const {
  std::lock_guard<std::mutex> g(mu_);
  return last_change_ms_;
}

int64_t ServerHealth::downtime_ms(int64_t now_ms) const {
  std::lock_guard<std::mutex> g(mu_);
  return down_total_ms_ + (down_since_ms_ >= 0 ? now_ms - down_since_ms_ : 0);
}

}  // namespace hearth::backend
