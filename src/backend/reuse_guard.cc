#include "backend/reuse_guard.h"

#include <cmath>

namespace hearth::backend {
namespace {

uint64_t pack(int64_t now_ms, uint32_t avg) { return (uint64_t(uint32_t(now_ms)) << 32) | avg; }

}  // namespace

uint32_t ReuseGuard::decayed(uint64_t packed, int64_t now_ms) {
  const uint32_t avg = uint32_t(packed);
  if (avg == 0) return 0;
  const int64_t dt = int64_t(uint32_t(uint32_t(now_ms) - uint32_t(packed >> 32)));
  if (dt <= 0) return avg;
  if (dt >= 32 * kHalfLifeMs) return 0;
  return uint32_t(double(avg) * std::exp2(-double(dt) / double(kHalfLifeMs)));
}

void ReuseGuard::update(int64_t now_ms, bool died) {
  uint64_t cur = state_.load(std::memory_order_relaxed);
  if (!died && uint32_t(cur) == 0) return;  // healthy: nothing to move
  uint32_t avg = 0;
  for (;;) {
    avg = decayed(cur, now_ms);
    avg -= avg >> kAlphaShift;
    if (died) avg += kOne >> kAlphaShift;
    if (state_.compare_exchange_weak(cur, pack(now_ms, avg), std::memory_order_relaxed)) break;
  }
  settle(avg);
}

void ReuseGuard::observe_answered(int64_t now_ms) { update(now_ms, false); }

void ReuseGuard::observe_unexplained_death(int64_t now_ms) {
  unexplained_.fetch_add(1, std::memory_order_relaxed);
  update(now_ms, true);
}

void ReuseGuard::settle(uint32_t avg) const {
  if (threshold_ppm_ == 0) return;
  const uint64_t ppm = uint64_t(avg) * 1000000 / kOne;
  const bool on = on_.load(std::memory_order_relaxed);
  if (!on && ppm >= threshold_ppm_) {
    if (!on_.exchange(true, std::memory_order_relaxed))
      activations_.fetch_add(1, std::memory_order_relaxed);
  } else if (on && 2 * ppm < threshold_ppm_) {
    on_.store(false, std::memory_order_relaxed);
  }
}

bool ReuseGuard::active(int64_t now_ms) const {
  if (!on_.load(std::memory_order_relaxed)) return false;
  settle(decayed(state_.load(std::memory_order_relaxed), now_ms));
  return on_.load(std::memory_order_relaxed);
}

uint32_t ReuseGuard::rate_ppm(int64_t now_ms) const {
  return uint32_t(uint64_t(decayed(state_.load(std::memory_order_relaxed), now_ms)) * 1000000 /
                  kOne);
}

}  // namespace hearth::backend
