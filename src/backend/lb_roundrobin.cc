#include "backend/lb_roundrobin.h"

namespace hearth::backend {

RoundRobinLb::RoundRobinLb(const std::vector<Server*>& servers) : LbBase(servers) { rebuild(); }

void RoundRobinLb::refresh() { credit_.assign(servers().size(), 0); }

Server* RoundRobinLb::pick_active(const LbRequest& /*req*/, const Server* skip) {
  const std::vector<Server*>& list = servers();
  const size_t none = list.size();
  size_t best = none;
  int64_t total = 0;
  for (size_t i = 0; i < list.size(); ++i) {
    if (!is_candidate(list[i], skip)) continue;
    const int64_t w = list[i]->lb_weight();
    credit_[i] += w;
    total += w;
    if (best == none || credit_[i] > credit_[best]) best = i;
  }
  if (best == none) return nullptr;
  credit_[best] -= total;
  return list[best];
}

}  // namespace hearth::backend
