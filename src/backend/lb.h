#pragma once
// Load-balancing algorithms. An algorithm sees its backend's servers and picks
// one for a new session. Callers hold the backend's lock around pick(), so
// algorithms keep plain (non-atomic) state.
#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "backend/server.h"
#include "config/enums.h"

namespace hearth::backend {

// The algorithm of "balance" (defined once, in config/enums.h).
using LbKind = config::BalanceAlgo;

struct LbRequest {
  uint32_t source_hash = 0;       // Address::ip_hash() of the client (balance source)
  const Server* avoid = nullptr;  // redispatch: do not pick this one if another fits
  // option prefer-last-server: take this one, if usable, not full and not
  // avoided, without asking the algorithm (the client holds a connection to it).
  Server* prefer = nullptr;
  // The client's connection to `prefer` is bound to it (NTLM/Negotiate): take
  // it even when full or when others wait, as long as it is usable.
  bool prefer_strict = false;
  // use-server, or a persistence cookie: this server and no other; wait for
  // it while it is full.
  Server* forced = nullptr;
  // option persist or force-persist: `forced` is taken even when it is down
  // or in maintenance.
  bool forced_down_ok = false;
  // force-persist: a failed connect is never redispatched elsewhere.
  bool no_redispatch = false;
};

class LbAlgorithm {
 public:
  virtual ~LbAlgorithm() = default;
  // Returns: a server that is usable() and not full(), or nullptr if none is.
  // Active servers are preferred; backup servers are considered only when no
  // active server is usable (full active servers do not make backups eligible).
  virtual Server* pick(const LbRequest& req) = 0;
  // Weights or states changed: recompute internal schedules.
  virtual void rebuild() = 0;
};

// Requires: `servers` outlives the algorithm. random_draws applies to kRandom
// (power of N choices, 2 by default); allbackups balances the backups when no
// active server is usable (option allbackups) instead of using the first.
std::unique_ptr<LbAlgorithm> make_lb(LbKind kind, const std::vector<Server*>& servers,
                                     int random_draws = 2, bool allbackups = false);
const char* lb_name(LbKind kind);

}  // namespace hearth::backend
