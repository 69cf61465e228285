#pragma once
// Accept rate limits: the process's (global maxconnrate, maxsessrate, the
// runtime API's "set rate-limit connections|sessions global"; maxsslrate and
// "set rate-limit ssl-sessions global" for the TLS binds) and a
// frontend's ("rate-limit sessions"). Over a limit, a listener stops
// accepting (the kernel keeps queuing in its backlog) and looks again when
// the rate of the last second will have dropped below it.
#include <atomic>
#include <cstdint>

#include "core/rate_counter.h"

namespace hearth::stream {

// The process's counters and limits (0: none), shared by every thread.
struct ProcessRates {
  RateCounter conns;  // connections accepted
  RateCounter sess;   // sessions: connections past their connection rules
  std::atomic<uint32_t> conn_limit{0};
  std::atomic<uint32_t> sess_limit{0};
  // TLS connections accepted (net::tls_stats().fe_conns, SslRate): only the
  // listeners of ssl binds wait for it.
  std::atomic<uint32_t> ssl_limit{0};
};
ProcessRates& process_rates();

// Returns: the ms to wait, from now_ms, until rate_at(time) is below `limit`
// (0: it is now; no limit: 0), with no more events counted: the rate only
// falls then. At most 2000: an idle counter is empty by then.
template <typename RateAt>
int64_t rate_wait_ms(RateAt rate_at, uint32_t limit, int64_t now_ms) {
  if (limit == 0) return 0;
  for (int64_t d = 0; d < 2000; ++d)
    if (rate_at(now_ms + d) < limit) return d;
  return 2000;
}

// The same for one counter.
inline int64_t rate_wait_ms(const RateCounter& c, uint32_t limit, int64_t now_ms) {
  return rate_wait_ms([&c](int64_t t) { return c.rate(t); }, limit, now_ms);
}

}  // namespace hearth::stream
