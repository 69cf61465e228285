#include "app/limits.h"

#include <sys/resource.h>

#include <algorithm>

#include "core/pool.h"

namespace hearth::app {

FdPlan plan_fds(const config::ProcessConfig& p, int config_maxconn, int maxconn_override,
                long extra, long hard) {
  FdPlan plan;
  const bool maxconn_given = maxconn_override > 0 || p.maxconn_given;
  const int maxconn = maxconn_override > 0 ? maxconn_override : config_maxconn;
  if (p.ulimit_n) {
    plan.limit = *p.ulimit_n;
    plan.maxconn = maxconn_given ? maxconn : int(std::max(1L, (plan.limit - extra) / 2));
  } else if (maxconn_given) {
    plan.limit = 2L * maxconn + extra;
    plan.maxconn = maxconn;
  } else {
    plan.limit = hard;
    plan.maxconn = int(std::clamp((hard - extra) / 2, 1L, 10000000L));
  }
  return plan;
}

bool apply_limits(config::GlobalConfig& g, int maxconn_override, int mem_limit_mb, long extra,
                  std::string* err, std::vector<std::string>* notes) {
  // -m: the memory pools (connections, streams, buffers: what grows with
  // traffic) take at most that much from the system; past it, new work is
  // refused (a connection closed at accept, a stream that cannot get a
  // buffer ends with its error) and the process goes on. HAProxy also sets
  // RLIMIT_AS to it; Hearth does not: the address space counts reservations
  // (glibc's per-thread arenas, thread stacks) that are not memory, and an
  // allocation it refuses outside the pools ends a C++ process (HAProxy 2.6
  // with -m 16 does not start either: it crashes).
  if (mem_limit_mb > 0) BlockPool::set_budget(uint64_t(mem_limit_mb) * 1048576);
  rlimit cur{};
  getrlimit(RLIMIT_NOFILE, &cur);
  const long hard = cur.rlim_max == RLIM_INFINITY ? 1L << 20 : long(cur.rlim_max);
  FdPlan plan = plan_fds(g.process, g.maxconn, maxconn_override, extra, hard);
  // The limit is only ever raised, as HAProxy does: a larger soft limit
  // inherited from the shell stays.
  rlimit want{std::max(cur.rlim_cur, rlim_t(plan.limit)),
              std::max(cur.rlim_max, rlim_t(plan.limit))};
  const bool maxconn_given = maxconn_override > 0 || g.process.maxconn_given;
  if (want.rlim_cur != cur.rlim_cur && setrlimit(RLIMIT_NOFILE, &want) != 0) {
    // Above the hard limit without the privilege to raise it: fatal under
    // strict-limits (HAProxy 2.6's default, with or without ulimit-n).
    const std::string msg = "cannot raise the file descriptor limit to " +
                            std::to_string(plan.limit) + ": the hard limit is " +
                            std::to_string(hard);
    if (g.process.strict_limits) {
      *err = msg + " (strict-limits; write 'no strict-limits' to go on with " +
             std::to_string(hard) + ")";
      return false;
    }
    want = rlimit{rlim_t(hard), cur.rlim_max};
    setrlimit(RLIMIT_NOFILE, &want);
    notes->push_back(msg);
    // A maxconn the configuration derived from the limit follows it; one it
    // set stays, as in HAProxy (the warning below says what it risks).
    const int fits = int(std::max(1L, (hard - extra) / 2));
    if (!maxconn_given && plan.maxconn > fits) plan.maxconn = fits;
  }
  // What the connections need beyond what the process may open: accepting
  // then meets EMFILE, and pauses until connections end (net::Listener).
  const long need = 2L * plan.maxconn + extra;
  if (long(want.rlim_cur) < need)
    notes->push_back("the file descriptor limit (" + std::to_string(want.rlim_cur) +
                     ") is too low for maxconn " + std::to_string(plan.maxconn) + " (" +
                     std::to_string(need) + " needed): raise 'ulimit-n' to " +
                     std::to_string(need) + " or more");
  g.maxconn = plan.maxconn;
  return true;
}

}  // namespace hearth::app
