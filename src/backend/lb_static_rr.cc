#include "backend/lb_static_rr.h"

#include "backend/lb_map.h"

namespace hearth::backend {

StaticRrLb::StaticRrLb(const std::vector<Server*>& servers) : LbBase(servers) { rebuild(); }

void StaticRrLb::refresh() {
  map_ = build_weight_map(servers(), backup_tier(), 1);
  if (next_ >= map_.size()) next_ = 0;
}

Server* StaticRrLb::pick_active(const LbRequest& /*req*/, const Server* skip) {
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
