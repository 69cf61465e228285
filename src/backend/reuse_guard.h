#pragma once
// Adaptive protection of requests that cannot be replayed, per server.
//
// Tracks the recent rate of reused connections that died before any byte of
// their answer for a reason the learned keep-alive timeout and request limit
// do not explain (a flaky NAT, a conntrack table under pressure, a server
// that resets under load): an exponentially weighted average over reuse
// outcomes (weight kAlpha = 1/64 per outcome, so about the last 64 reuses)
// that also halves every kHalfLifeMs without outcomes. While the rate is at
// or above the threshold (`reuse-guard`), the guard is on: a non-idempotent
// request takes a new connection instead of an idle one. Idempotent requests
// keep reusing (and being replayed when their connection dies): their
// outcomes keep the average current. The guard goes off when the rate falls
// below half the threshold (hysteresis: a rate hovering at the threshold does
// not flip the policy at each outcome).
//
// Thread-safety: observed and read from every thread. The average and the
// time of its last update share one 64-bit atomic (compare-exchange); a
// healthy server (average 0) costs one relaxed load per answered reuse.
#include <atomic>
#include <cstdint>

namespace hearth::backend {

class ReuseGuard {
 public:
  static constexpr int kAlphaShift = 6;          // weight 1/64 per outcome
  static constexpr int64_t kHalfLifeMs = 30000;  // decay without outcomes
  static constexpr uint32_t kOne = 1u << 24;     // the average's fixed point (1.0)

  // threshold_ppm: the rate (parts per million) that turns the guard on; 0: never.
  void set_threshold_ppm(uint32_t ppm) { threshold_ppm_ = ppm; }
  uint32_t threshold_ppm() const { return threshold_ppm_; }

  // A reused connection answered (its response head arrived).
  void observe_answered(int64_t now_ms);
  // A reused connection died before any response byte, unexplained.
  void observe_unexplained_death(int64_t now_ms);
  // Counts a death explained by the learned limits (for the stats only).
  void note_explained_death() { explained_.fetch_add(1, std::memory_order_relaxed); }

  // Returns: true while requests that cannot be replayed must take new
  // connections. Updates the on/off state from the decayed average.
  bool active(int64_t now_ms) const;
  // Returns: the decayed average now, in parts per million.
  uint32_t rate_ppm(int64_t now_ms) const;
  uint64_t unexplained_deaths() const { return unexplained_.load(std::memory_order_relaxed); }
  uint64_t explained_deaths() const { return explained_.load(std::memory_order_relaxed); }
  // Returns: how many times the guard went on.
  uint64_t activations() const { return activations_.load(std::memory_order_relaxed); }

 private:
  void update(int64_t now_ms, bool died);
  // Returns: the average (kOne = 1.0) decayed from its last update to now.
  static uint32_t decayed(uint64_t packed, int64_t now_ms);
  void settle(uint32_t avg) const;

  uint32_t threshold_ppm_ = 0;
  // High 32 bits: time of the last update (ms, wrapping); low 32: average.
  std::atomic<uint64_t> state_{0};
  mutable std::atomic<bool> on_{false};
  mutable std::atomic<uint64_t> activations_{0};
  std::atomic<uint64_t> unexplained_{0};
  std::atomic<uint64_t> explained_{0};
};

}  // namespace hearth::backend
