#include "backend/lb.h"

#include <random>

#include "backend/lb_first.h"
#include "backend/lb_leastconn.h"
#include "backend/lb_random.h"
#include "backend/lb_roundrobin.h"
#include "backend/lb_source.h"
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
                                       int random_draws) {
  switch (kind) {
    case LbKind::kRoundRobin:
      return std::make_unique<RoundRobinLb>(servers);
    case LbKind::kStaticRr:
      return std::make_unique<StaticRrLb>(servers);
    case LbKind::kLeastConn:
      return std::make_unique<LeastConnLb>(servers);
    case LbKind::kSource:
      return std::make_unique<SourceLb>(servers);
    case LbKind::kRandom:
      return std::make_unique<RandomLb>(servers, random_draws, fresh_seed());
    case LbKind::kFirst:
      return std::make_unique<FirstLb>(servers);
  }
  return nullptr;
}

}  // namespace

std::unique_ptr<LbAlgorithm> make_lb(LbKind kind, const std::vector<Server*>& servers,
                                     int random_draws, bool allbackups) {
  std::unique_ptr<LbBase> lb = make_algorithm(kind, servers, random_draws);
  if (lb && allbackups) {
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
  }
  return "unknown";
}

}  // namespace hearth::backend
