#pragma once
// The old-style reload of a standalone process (docs/architecture.md,
// "Old-style reload"): a new process started with -x SOCKET takes the
// listening sockets of the running one through its stats socket, serves,
// then -sf / -st PID... stops the old one. A master (-W) does the same at
// its first start only: afterwards it keeps the sockets itself.
#include <string>

#include "app/options.h"
#include "net/adopted_sockets.h"

namespace hearth::app {

// -x: fetches the old process's listening sockets into *out; nothing to do
// without -x or with "-x /dev/null". Returns: false with *err.
bool take_old_sockets(const Options& o, net::AdoptedSockets* out, std::string* err);

// Once every listener is open: closes the sockets no bind took (if not
// done yet), and says how many were taken (unless quiet).
void release_old_sockets(net::AdoptedSockets* a, bool quiet);

// -sf / -st: sends the signal to every pid given (a pid already gone is
// skipped silently, as HAProxy does).
void signal_old_processes(const Options& o, bool quiet);

}  // namespace hearth::app
