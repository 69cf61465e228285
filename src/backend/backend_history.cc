#include "backend/backend_history.h"

namespace hearth::backend {

void BackendHistory::start(int64_t now_ms, bool up) {
  std::lock_guard<std::mutex> g(mu_);
  up_ = up;
  last_change_ms_ = now_ms;
}

void BackendHistory::note(int64_t now_ms, bool up) {
  std::lock_guard<std::mutex> g(mu_);
  if (up == up_) return;
  if (up)
    down_total_ms_ += now_ms - last_change_ms_;
  else
    ++down_transitions_;
  up_ = up;
  last_change_ms_ = now_ms;
}

int64_t BackendHistory::last_change_ms() const {
  std::lock_guard<std::mutex> g(mu_);
  return last_change_ms_;
}

uint64_t BackendHistory::down_transitions() const {
  std::lock_guard<std::mutex> g(mu_);
  return down_transitions_;
}

int64_t BackendHistory::downtime_ms(int64_t now_ms) const {
  std::lock_guard<std::mutex> g(mu_);
  return down_total_ms_ + (up_ ? 0 : now_ms - last_change_ms_);
}

}  // namespace hearth::backend
