#pragma once
// Master-worker mode (-W, "master-worker"): a master process that binds and
// keeps the listening sockets, runs the configuration in a worker process it
// forks, and reloads on SIGUSR2 / SIGHUP (docs/architecture.md, "Master and
// workers").
#include "app/options.h"
#include "config/diagnostic.h"

namespace hearth::app {

// Runs the master with a configuration already loaded (and valid).
// Returns: the exit status (the current worker's, as HAProxy's master does;
// 0 after SIGTERM).
int run_master(const Options& o, config::ParseResult parsed, bool quiet);

}  // namespace hearth::app
