#include "backend/keepalive_estimator.h"

#include <algorithm>

namespace hearth::backend {

int64_t keepalive_retire_age(int64_t estimate_ms) {
  int64_t margin = std::max(estimate_ms / 4, KeepAliveEstimator::kMinMarginMs);
  return std::max<int64_t>(estimate_ms - margin, 0);
}

void KeepAliveEstimator::Ring::push(int64_t x) {
  v[size_t(next)] = x;
  next = (next + 1) % kWindow;
  if (size < kWindow) ++size;
}

std::vector<int64_t> KeepAliveEstimator::Ring::oldest_first() const {
  std::vector<int64_t> out;
  const int first = size < kWindow ? 0 : next;
  for (int i = 0; i < size; ++i) out.push_back(v[size_t((first + i) % kWindow)]);
  return out;
}

KeepAliveEstimator::Evidence KeepAliveEstimator::evidence() const {
  std::lock_guard<std::mutex> lock(mu_);
  return {closes_.oldest_first(), alives_.oldest_first()};
}

void KeepAliveEstimator::restore(const Evidence& e) {
  std::lock_guard<std::mutex> lock(mu_);
  for (int64_t x : e.closes) closes_.push(std::max<int64_t>(x, 0));
  for (int64_t x : e.alives) alives_.push(std::max<int64_t>(x, 0));
  recompute();
}

KeepAliveEstimator::KeepAliveEstimator() : retire_age_(kNever) {}

void KeepAliveEstimator::observe_close(int64_t idle_ms) {
  std::lock_guard<std::mutex> lock(mu_);
  closes_.push(std::max<int64_t>(idle_ms, 0));
  recompute();
}

void KeepAliveEstimator::observe_alive(int64_t idle_ms) {
  std::lock_guard<std::mutex> lock(mu_);
  const int64_t x = std::max<int64_t>(idle_ms, 0);
  const int64_t evicted = alives_.size == kWindow ? alives_.v[size_t(alives_.next)] : -1;
  alives_.push(x);
  // Alive observations count only through their largest (the lower bound):
  // when it cannot have changed, neither can anything published. This is the
  // common case, once per reused response.
  if (x <= alive_max_ && evicted < alive_max_) return;
  recompute();
}

void KeepAliveEstimator::recompute() {
  int64_t lower_bound = 0;
  for (int i = 0; i < alives_.size; ++i) lower_bound = std::max(lower_bound, alives_.v[size_t(i)]);
  alive_max_ = lower_bound;
  // Jitter tolerance: a reuse at t and a timeout close just under t are both
  // consistent with one timeout, since the server's timer starts a little before
  // we park the connection.
  const int64_t contradicted_below = lower_bound - lower_bound / 10;

  std::array<int64_t, kWindow> usable;
  int n = 0;
  for (int i = 0; i < closes_.size; ++i) {
    int64_t t = closes_.v[size_t(i)];
    if (t >= contradicted_below) usable[size_t(n++)] = t;
  }
  ignored_.store(closes_.size - n, std::memory_order_relaxed);
  if (n < kMinCloses) {
    estimate_.store(-1, std::memory_order_relaxed);
    retire_age_.store(kNever, std::memory_order_relaxed);
    proven_idle_.store(contradicted_below, std::memory_order_relaxed);
    return;
  }
  auto q = usable.begin() + n / 4;  // 25th percentile (the minimum while n < 4)
  std::nth_element(usable.begin(), q, usable.begin() + n);
  int64_t est = std::max(*q, lower_bound);
  estimate_.store(est, std::memory_order_relaxed);
  const int64_t retire = keepalive_retire_age(est);
  retire_age_.store(retire, std::memory_order_relaxed);
  proven_idle_.store(std::max(retire, contradicted_below), std::memory_order_relaxed);
}

std::optional<int64_t> KeepAliveEstimator::estimate_ms() const {
  int64_t e = estimate_.load(std::memory_order_relaxed);
  if (e < 0) return std::nullopt;
  return e;
}

int64_t KeepAliveEstimator::retire_age_ms() const {
  return retire_age_.load(std::memory_order_relaxed);
}

int64_t KeepAliveEstimator::proven_idle_ms() const {
  return proven_idle_.load(std::memory_order_relaxed);
}

int KeepAliveEstimator::ignored_closes() const { return ignored_.load(std::memory_order_relaxed); }

}  // namespace hearth::backend
