#include "backend/lb.h"

#include <random>

#include "backend/lb_chash.h"
#include "backend/lb_first.h"
#include "backend/lb_leastconn.h"
#include "backend/lb_random.h"
#include "backend/lb_roundrobin.h"
#include "backend/lb_map_hash.h"
#include "backend/lb_static_rr.h"

namespace hearth::backend {
namespace {

// Seeds each random algorithm once, at construction, so that backends (and
// processes) do not draw in lockstep. Never called per pick.
uint64_t fresh_seed() {
  std::random_device rd;
  return (static_cast<uint64_t>(rd()) << 32) ^ rd();
}

}  // namespace

namespace {

std::unique_ptr<LbBase> make_algorithm(LbKind kind, const std::vector<Server*>& servers,
                                       const LbOptions& o) {
  if (config::is_hashing(kind)) {
    if (o.hash_method == config::HashMethod::kConsistent)
      return std::make_unique<ChashLb>(servers, o.hash_balance_factor);
    return std::make_unique<MapHashLb>(servers);
  }
  switch (kind) {
    case LbKind::kRoundRobin:
      return std::make_unique<RoundRobinLb>(servers);
    case LbKind::kStaticRr:
      return std::make_unique<StaticRrLb>(servers);
    case LbKind::kLeastConn:
      return std::make_unique<LeastConnLb>(servers);
    case LbKind::kRandom:
      return std::make_unique<RandomLb>(servers, o.random_draws, fresh_seed(),
                                        o.hash_balance_factor);
    case LbKind::kFirst:
      return std::make_unique<FirstLb>(servers);
    default:  // the hashing ones, above
      break;
  }
  return nullptr;
}

}  // namespace

std::unique_ptr<LbAlgorithm> make_lb(LbKind kind, const std::vector<Server*>& servers,
                                     const LbOptions& options) {
  std::unique_ptr<LbBase> lb = make_algorithm(kind, servers, options);
  if (lb && options.allbackups) {
    lb->allbackups_ = true;
    lb->rebuild();
  }
  return lb;
}

const char* lb_name(LbKind kind) {
  switch (kind) {
    case LbKind::kRoundRobin:
      return "roundrobin";
    case LbKind::kStaticRr:
      return "static-rr";
    case LbKind::kLeastConn:
      return "leastconn";
    case LbKind::kSource:
      return "source";
    case LbKind::kRandom:
      return "random";
    case LbKind::kFirst:
      return "first";
    case LbKind::kUri:
      return "uri";
    case LbKind::kUrlParam:
      return "url_param";
    case LbKind::kHdr:
      return "hdr";
    case LbKind::kHash:
      return "hash";
    case LbKind::kRdpCookie:
      return "rdp-cookie";
  }
  return "unknown";
}

}  // namespace hearth::backend
