#pragma once
// Time source seam: production code reads a monotonic clock; tests install a
// FakeClock and move time by hand.
#include <cstdint>

namespace hearth {

constexpr int64_t kNever = INT64_MAX;

// Returns: the deadline `timeout_ms` after now_ms, or kNever when the timeout
// is 0 (not set).
inline int64_t deadline_after(int64_t now_ms, int64_t timeout_ms) {
  return timeout_ms ? now_ms + timeout_ms : kNever;
}
// Returns: true if deadline `exp` (kNever: none) has come at now_ms.
inline bool deadline_reached(int64_t exp, int64_t now_ms) { return exp != kNever && exp <= now_ms; }

class Clock {
 public:
  virtual ~Clock() = default;
  // Returns: milliseconds on a monotonic scale (not wall time).
  virtual int64_t now_ms() const = 0;
};

class MonotonicClock final : public Clock {
 public:
  int64_t now_ms() const override;
  static MonotonicClock* instance();
};

class FakeClock final : public Clock {
 public:
  explicit FakeClock(int64_t start = 1000) : now_(start) {}
  int64_t now_ms() const override { return now_; }
  void advance(int64_t ms) { now_ += ms; }
  void set(int64_t ms) { now_ = ms; }

 private:
  int64_t now_;
};

}  // namespace hearth
