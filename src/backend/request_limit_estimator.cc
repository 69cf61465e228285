#include "backend/request_limit_estimator.h"

#include <algorithm>
#include <cmath>

namespace hearth::backend {

bool RequestLimitEstimator::observe_death(uint32_t served, int64_t now_ms) {
  end_probe();  // the probe, if any, may have been this one
  if (served == 0) return false;
  if (served < proven()) {
    stray_.fetch_add(1, std::memory_order_relaxed);
    return false;
  }
  suspect_until_.store(now_ms + kEvidenceTtlMs, std::memory_order_relaxed);
  std::lock_guard<std::mutex> lock(mu_);
  ring_[size_t(next_)] = {served, now_ms};
  next_ = (next_ + 1) % kWindow;
  if (size_ < kWindow) ++size_;
  expire(now_ms);
  recompute();
  return true;
}

void RequestLimitEstimator::roll(int64_t now_ms) {
  prev_.store(cur_.exchange(0, std::memory_order_relaxed), std::memory_order_relaxed);
  idem_prev_.store(idem_cur_.exchange(false, std::memory_order_relaxed), std::memory_order_relaxed);
  const uint32_t stray = stray_.load(std::memory_order_relaxed);
  const uint32_t answered = answered_.load(std::memory_order_relaxed);
  if (stray + answered > kRateHorizon) {
    stray_.store(stray / 2, std::memory_order_relaxed);
    answered_.store(answered / 2, std::memory_order_relaxed);
  }
  std::lock_guard<std::mutex> lock(mu_);
  expire(now_ms);
  recompute();
}

int RequestLimitEstimator::deaths_needed() const {
  const double stray = stray_.load(std::memory_order_relaxed);
  const double trials = stray + answered_.load(std::memory_order_relaxed);
  if (stray == 0) return kMinDeaths;
  const double p = stray / std::max<double>(trials, kMinRateSample);
  if (p >= 1) return kMaxDeaths;
  // The smallest k with p^(k-1) < kFalseCapOdds.
  const int k = 1 + int(std::ceil(std::log(kFalseCapOdds) / std::log(p)));
  return std::clamp(k, kMinDeaths, kMaxDeaths);
}

void RequestLimitEstimator::expire(int64_t now_ms) {
  // The oldest entries come first from next_ - size_: drop those past the TTL.
  while (size_ > 0) {
    const int oldest = (next_ - size_ + kWindow) % kWindow;
    if (now_ms - ring_[size_t(oldest)].at_ms <= kEvidenceTtlMs) break;
    --size_;
  }
}

void RequestLimitEstimator::recompute() {
  kept_.store(size_, std::memory_order_relaxed);
  uint32_t best = 0;
  int best_n = 0;
  for (int i = 0; i < size_; ++i) {
    const uint32_t v = ring_[size_t((next_ - 1 - i + kWindow) % kWindow)].served;
    int n = 0;
    for (int j = 0; j < size_; ++j)
      n += ring_[size_t((next_ - 1 - j + kWindow) % kWindow)].served == v;
    if (n > best_n || (n == best_n && v < best)) {
      best = v;
      best_n = n;
    }
  }
  const bool cluster = best_n >= deaths_needed() && 2 * best_n > size_ && best >= proven();
  limit_.store(cluster ? best : 0, std::memory_order_relaxed);
}

uint32_t RequestLimitEstimator::max_unproven_exchanges(int64_t now_ms) const {
  if (!suspected(now_ms)) return UINT32_MAX;
  if (!idem_cur_.load(std::memory_order_relaxed) && !idem_prev_.load(std::memory_order_relaxed))
    return UINT32_MAX;
  // At least the second request: a server that answered with keep-alive
  // meant to take one more (one that closes right after is caught by the
  // drain such a request pays).
  return max_proven_exchanges();
}

}  // namespace hearth::backend
