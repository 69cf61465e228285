#pragma once
// Event rates over a sliding period, with HAProxy's arithmetic (stick-table
// *_rate(PERIOD) data, and later the frontend and server rates): a counter
// for the current period and the count of the previous one; a reading adds
// the previous count weighted by the part of the period still to run, so
// the rate slides smoothly instead of dropping to zero at each boundary.
//
// Periods start where the first event of a quiet counter fell, and follow
// one another back to back; after a whole period without events both
// counts are gone. Not thread-safe: the owner (a table entry) locks.
#include <cstdint>

namespace hearth::stick {

struct FreqCtr {
  int64_t start = 0;   // where the current period began (ms); meaningful once count or prev
  uint32_t count = 0;  // events in the current period
  uint32_t prev = 0;   // events in the previous period
};

// Adds `n` events at `now_ms` to a rate over `period_ms`.
void freq_add(FreqCtr& f, uint32_t period_ms, uint32_t n, int64_t now_ms);

// Returns: the events over the last `period_ms` at `now_ms`: the current
// count plus prev × (time left in the current period) / period, rounded down
// as HAProxy rounds (32-bit fixed point).
uint32_t freq_read(const FreqCtr& f, uint32_t period_ms, int64_t now_ms);

}  // namespace hearth::stick
