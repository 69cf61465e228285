#pragma once
// slowstart: a server that comes back into service (its checks take it UP,
// it leaves maintenance, an operator sets it UP) is eased in over the
// `slowstart` period, never at start-up, as HAProxy 2.6 does:
//   - with a dynamic algorithm (roundrobin, leastconn, first, random, a
//     consistent hash) its weight grows from 1/16 of the configured one to
//     all of it;
//   - with any algorithm its maxconn (the dynamic one between minconn and
//     maxconn included) grows from 1 to all of it.
// HAProxy keeps the period in whole seconds (the configured time rounded
// up) and moves in whole-second steps: at step k (k whole seconds since
// the server came back) the weight factor is (16 k + P) / P sixteenths and
// the maxconn ratio 100 k / P percent, P the period in seconds; at k = P the
// ramp ends (the state goes from STARTING to UP, which is logged).
//
// State of one server (Server::warm_step):
//   -1 (not ramping)   start-up, DOWN, MAINT, or the period is over
//   0 .. P-1           ramping: refreshed by Backend::servers_changed and
//                      by worker 0's housekeeping tick (Backend::tick_slowstart)
#include <cstdint>

namespace hearth::backend {

// Returns: the period in whole seconds for a configured `ms` (0: none).
inline int slowstart_period_s(int64_t ms) { return int((ms + 999) / 1000); }

// Returns: the step of a server back in service since `up_ms` (-1: not back,
// see ServerHealth::came_up_ms) at `now_ms`, or -1 once the period is over.
int slowstart_step(int period_s, int64_t up_ms, int64_t now_ms);

// The weight scale of HAProxy's dynamic algorithms (BE_WEIGHT_SCALE).
constexpr int kWeightScale = 16;

// Returns: the step maxconn follows: the wall-clock seconds turned between
// `up_wall_ms` and `now_wall_ms` (-1 once they reach period_s, or when
// up_wall_ms < 0).
int slowstart_maxconn_step(int period_s, int64_t up_wall_ms, int64_t now_wall_ms);

// Returns: the factor, in 1/16, a ramping weight gets at `step` (16: full).
int slowstart_weight_factor(int step, int period_s);
// Returns: a limit of `max` sessions at `step` (never below 1).
int slowstart_maxconn(int max, int step, int period_s);

// show stat's "throttle" column: the effective weight in % of the
// configured one, rounded as HAProxy's (100 for the static algorithms).
int slowstart_throttle(int weight, int factor);

}  // namespace hearth::backend
