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
  // The hashing algorithms (balance source, uri, url_param, hdr, hash,
  // rdp-cookie): the request's key, hashed as hash-type says (lb_key.h).
  // has_key false: the request has no key (no such header...), and the
  // algorithm turns to its round robin, as HAProxy's does.
  uint32_t key = 0;
  bool has_key = false;
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
  // `forced` is the full server the key designates (Backend::take): if it
  // goes down meanwhile, the waiter goes back to the algorithm.
  bool forced_by_key = false;
  // option persist or force-persist: `forced` is taken even when it is down
  // or in maintenance.
  bool forced_down_ok = false;
  // force-persist: a failed connect is never redispatched elsewhere.
  bool no_redispatch = false;
  // Its place in the backend's queue if it waits: the lower class first,
  // then the lower key (arrival ms plus set-priority-offset), then arrival.
  int32_t prio_class = 0;
  int64_t prio_key = 0;
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
  // Returns: the usable server req's key designates, full or not (HAProxy
  // queues a session on it rather than move the key elsewhere); nullptr for
  // algorithms that do not hash, or without a key.
  virtual Server* key_server(const LbRequest& req) = 0;
};

struct LbOptions {
  int random_draws = 2;     // kRandom: power of N choices
  bool allbackups = false;  // balance the backups when no active server is usable
  // The hashing algorithms: a static map of the servers, or a consistent ring.
  config::HashMethod hash_method = config::HashMethod::kMapBased;
  // Bounded loads for consistent hashing and kRandom, in % of the average
  // load (hash-balance-factor); 0: none.
  int hash_balance_factor = 0;
};

// Requires: `servers` outlives the algorithm.
std::unique_ptr<LbAlgorithm> make_lb(LbKind kind, const std::vector<Server*>& servers,
                                     const LbOptions& options);
inline std::unique_ptr<LbAlgorithm> make_lb(LbKind kind, const std::vector<Server*>& servers,
                                            int random_draws = 2, bool allbackups = false) {
  return make_lb(kind, servers, LbOptions{random_draws, allbackups});
}
const char* lb_name(LbKind kind);

}  // namespace hearth::backend
