#include "backend/fd_pressure.h"

#include <cstdint>

#include "net/connection.h"

namespace hearth::backend {
namespace {
int64_t g_low = INT64_MAX, g_high = INT64_MAX;
}

void set_fd_ratios(long max_fds, int low_pct, int high_pct) {
  g_low = int64_t(max_fds) * low_pct / 100;
  g_high = int64_t(max_fds) * high_pct / 100;
}

bool fds_above_low() { return int64_t(net::Connection::live_count()) >= g_low; }

bool fds_above_high() { return int64_t(net::Connection::live_count()) > g_high; }

}  // namespace hearth::backend
