#pragma once
// A backend's UP/DOWN history, as HAProxy keeps it for show stat's lastchg,
// chkdown and downtime (its last_change, down_trans and down_time): a
// backend is DOWN while none of its servers is usable with a weight, UP
// otherwise. Noted by Backend::servers_changed (any thread, rarely), read by
// the stats (any thread).
#include <cstdint>
#include <mutex>

namespace hearth::backend {

class BackendHistory {
 public:
  // The state at `now_ms` (the start, or the first look).
  void start(int64_t now_ms, bool up);
  // The state seen at now_ms; a change is a transition.
  void note(int64_t now_ms, bool up);
  // Returns: when the state last changed (the start if never).
  int64_t last_change_ms() const;
  // Returns: how many times it went DOWN.
  uint64_t down_transitions() const;
  // Returns: the time spent DOWN so far, now included if it is DOWN.
  int64_t downtime_ms(int64_t now_ms) const;

 private:
  mutable std::mutex mu_;
  bool up_ = true;
  int64_t last_change_ms_ = 0;
  int64_t down_total_ms_ = 0;
  uint64_t down_transitions_ = 0;
};

}  // namespace hearth::backend
