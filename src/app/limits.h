#pragma once
// The file-descriptor budget, as HAProxy reasons about it: every connection
// costs two descriptors (client and server side), plus a fixed share for
// listeners, pollers and the like. "ulimit-n" sets the budget and maxconn
// follows; otherwise an explicit maxconn sets the budget; otherwise the
// budget is the hard limit and maxconn is what fits in it.
#include <string>
#include <vector>

#include "config/model.h"

namespace hearth::app {

struct FdPlan {
  long limit = 0;   // RLIMIT_NOFILE soft limit to set
  int maxconn = 0;  // the global maxconn that fits
};

// Returns: the plan for a process that may raise its soft limit up to
// `hard`. `extra`: descriptors not tied to a connection. `maxconn_override`
// (-n; 0: none) wins over the configuration.
FdPlan plan_fds(const config::ProcessConfig& p, int config_maxconn, int maxconn_override,
                long extra, long hard);

// Applies the plan to RLIMIT_NOFILE and `g.maxconn`, and -m's budget to the
// memory pools (BlockPool::set_budget).
// Returns: false with *err when a limit that strict-limits requires could not
// be set; warnings (limits lowered to what the system allows) go to *notes.
bool apply_limits(config::GlobalConfig& g, int maxconn_override, int mem_limit_mb, long extra,
                  std::string* err, std::vector<std::string>* notes);

}  // namespace hearth::app
