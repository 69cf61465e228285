#include "backend/slowstart.h"

namespace hearth::backend {

int slowstart_step(int period_s, int64_t up_ms, int64_t now_ms) {
  if (period_s <= 0 || up_ms < 0 || now_ms < up_ms) return -1;
  const int64_t k = (now_ms - up_ms) / 1000;
  return k < period_s ? int(k) : -1;
}

int slowstart_maxconn_step(int period_s, int64_t up_wall_ms, int64_t now_wall_ms) {
  if (period_s <= 0 || up_wall_ms < 0 || now_wall_ms < up_wall_ms) return -1;
  const int64_t k = now_wall_ms / 1000 - up_wall_ms / 1000;
  return k < period_s ? int(k) : -1;
}

int slowstart_weight_factor(int step, int period_s) {
  if (step < 0 || period_s <= 0) return kWeightScale;
  const int f = (kWeightScale * step + period_s) / period_s;
  return f < kWeightScale ? f : kWeightScale;
}

int slowstart_maxconn(int max, int step, int period_s) {
  if (step < 0 || period_s <= 0) return max;
  const int64_t ratio = 100 * int64_t(step) / period_s;
  const int64_t m = int64_t(max) * ratio / 100;
  return m > 1 ? int(m) : 1;
}

int slowstart_throttle(int weight, int factor) {
  if (weight <= 0) return 100;
  const int64_t eweight = int64_t(weight) * factor;
  return int((100 * eweight + kWeightScale - 1) / (int64_t(kWeightScale) * weight));
}

}  // namespace hearth::backend
