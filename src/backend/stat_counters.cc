#include "backend/stat_counters.h"

namespace hearth::backend {

void RateMax::flush(uint32_t sec, uint32_t n) {
  std::atomic<uint64_t>& slot = done_[sec % kRing];
  uint64_t v = slot.load(std::memory_order_relaxed);
  for (;;) {
    const uint32_t tag = uint32_t(v >> 32);
    if (tag != sec && int32_t(tag - sec) > 0) {  // the ring moved past that second
      note(n);
      return;
    }
    const uint64_t total = (tag == sec ? uint32_t(v) : 0) + uint64_t(n);
    const uint64_t nv = (uint64_t(sec) << 32) | uint32_t(total);
    if (slot.compare_exchange_weak(v, nv, std::memory_order_relaxed)) {
      note(uint32_t(total));
      return;
    }
  }
}

uint32_t RateMax::flushed(uint32_t sec) const {
  const uint64_t v = done_[sec % kRing].load(std::memory_order_relaxed);
  return uint32_t(v >> 32) == sec ? uint32_t(v) : 0;
}

}  // namespace hearth::backend
