#include "backend/lb_static_rr.h"

namespace hearth::backend {
namespace {

int64_t score(int64_t credit, int64_t total) { return (credit + total) / total; }

}  // namespace

StaticRrLb::StaticRrLb(const std::vector<Server*>& servers) : LbBase(servers) { rebuild(); }

void StaticRrLb::refresh() {
  const std::vector<Server*>& list = servers();
  std::vector<int64_t> credit(list.size(), 0);
  int64_t total = 0;
  for (const Server* s : list)
    if (in_tier(s) && s->usable()) total += s->weight;
  map_.clear();
  map_.reserve(size_t(total));
  for (int64_t n = 0; n < total; ++n) {
    size_t best = list.size();
    for (size_t i = 0; i < list.size(); ++i) {
      if (!in_tier(list[i]) || !list[i]->usable() || list[i]->weight == 0) continue;
      credit[i] += list[i]->weight;
      // HAProxy's score: the credit in whole cycles, so that servers within
      // one cycle of each other tie and the first in order takes the slot.
      if (best == list.size() || score(credit[i], total) > score(credit[best], total)) best = i;
    }
    credit[best] -= total;
    map_.push_back(uint32_t(best));
  }
  if (next_ >= map_.size()) next_ = 0;
}

Server* StaticRrLb::pick_active(uint32_t /*source_hash*/, const Server* skip) {
  const std::vector<Server*>& list = servers();
  const size_t n = map_.size();
  for (size_t k = 0; k < n; ++k) {
    const size_t at = (next_ + k) % n;
    Server* s = list[map_[at]];
    if (!is_candidate(s, skip)) continue;
    next_ = (at + 1) % n;
    return s;
  }
  return nullptr;
}

}  // namespace hearth::backend
