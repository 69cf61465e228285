#include "stick/freq_ctr.h"

namespace hearth::stick {
namespace {

// The counter as it stands at `now`: periods that ended move `count` to
// `prev` (one period) or clear both (two or more).
void roll(FreqCtr& f, uint32_t period, int64_t now) {
  const int64_t elapsed = now - f.start;
  if (elapsed < int64_t(period)) return;
  if (elapsed < 2 * int64_t(period)) {
    f.prev = f.count;
    f.start += period;
  } else {
    f.prev = 0;
    f.start = now;
  }
  f.count = 0;
}

}  // namespace

void freq_add(FreqCtr& f, uint32_t period_ms, uint32_t n, int64_t now_ms) {
  if (period_ms == 0) return;
  if (f.count == 0 && f.prev == 0) f.start = now_ms;  // a quiet counter starts a period here
  roll(f, period_ms, now_ms);
  f.count += n;
}

uint32_t freq_read(const FreqCtr& f, uint32_t period_ms, int64_t now_ms) {
  if (period_ms == 0) return 0;
  FreqCtr g = f;
  roll(g, period_ms, now_ms);
  const int64_t left = g.start + int64_t(period_ms) - now_ms;  // in (0, period]
  if (left <= 0 || g.prev == 0) return g.count;
  // prev × left / period in 32-bit fixed point, as HAProxy computes it: the
  // fraction is truncated to 32 bits first, then the product.
  const uint64_t frac = (uint64_t(left) << 32) / period_ms;
  const uint64_t part = (uint64_t(g.prev) * frac) >> 32;
  return g.count + uint32_t(part);
}

}  // namespace hearth::stick
