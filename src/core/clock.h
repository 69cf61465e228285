#pragma once
// Time source seam: production code reads a monotonic clock; tests install a
// FakeClock and move time by hand.
#include <cstdint>

namespace hearth {

constexpr int64_t kNever = INT64_MAX;

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
