#pragma once
// File-descriptor pressure on the idle server connections, as HAProxy's
// tune.pool-low-fd-ratio and tune.pool-high-fd-ratio: above `low` percent of
// the process's descriptor limit in use, a connection that finished its
// exchange is closed instead of parked idle; above `high` percent, a request
// that must open a new server connection first closes one of that server's
// idle ones. "In use" counts the live connections (client, server, checks),
// the descriptors that grow with the traffic.
namespace hearth::backend {

// Sets the limit and the two percentages (0..100). Requires: before any
// worker runs. Until called, there is no pressure.
void set_fd_ratios(long max_fds, int low_pct, int high_pct);
// Returns: true if idle connections must no longer be kept.
bool fds_above_low();
// Returns: true if a new server connection must first retire an idle one.
bool fds_above_high();

}  // namespace hearth::backend
