#include "core/clock.h"

#include <time.h>

namespace hearth {

int64_t MonotonicClock::now_ms() const {
  timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return int64_t(ts.tv_sec) * 1000 + ts.tv_nsec / 1000000;
}

MonotonicClock* MonotonicClock::instance() {
  static MonotonicClock clock;
  return &clock;
}

}  // namespace hearth
