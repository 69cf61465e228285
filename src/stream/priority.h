#pragma once
// set-priority-class and set-priority-offset (http-request, tcp-request
// content): where a transaction waits in its backend's queue. Waiters are
// served by class first (the lower, the sooner), then by their arrival time
// plus the offset in milliseconds (backend::Backend::take). prio_class and
// prio_offset read the values back.
#include <cstdint>

namespace hearth::expr {
struct SampleExpr;
}

namespace hearth::stream {

class TxnFetch;

struct StreamPriority {
  static constexpr int32_t kClassMax = 2047;     // HAProxy's range: -2047 .. 2047
  static constexpr int32_t kOffsetMax = 524287;  // ms: -524287 .. 524287
  int32_t cls = 0;
  int32_t offset = 0;
};

// Evaluates `e` as an integer and stores it, brought into the range, as the
// class (or the offset) of the transaction `ctx` runs for. An expression
// with no integer value changes nothing.
void apply_priority(const expr::SampleExpr& e, bool offset, TxnFetch& ctx);

}  // namespace hearth::stream
