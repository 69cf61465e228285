#include "backend/lb_map_hash.h"

#include "backend/lb_map.h"

namespace hearth::backend {

MapHashLb::MapHashLb(const std::vector<Server*>& servers)
    : LbBase(servers), wmult_(weights_gcd(servers)) {
  rebuild();
}

void MapHashLb::refresh() {
  map_ = build_weight_map(servers(), backup_tier(), wmult_);
  if (rr_next_ >= map_.size()) rr_next_ = 0;
}

size_t MapHashLb::walk(size_t from, const Server* skip, bool need_room) const {
  const std::vector<Server*>& list = servers();
  const size_t n = map_.size();
  for (size_t k = 0; k < n; ++k) {
    const size_t at = (from + k) % n;
    const Server* s = list[map_[at]];
    if (need_room ? is_candidate(s, skip) : in_tier(s) && s != skip && s->usable()) return at;
  }
  return n;
}

Server* MapHashLb::key_target(const LbRequest& req, const Server* skip) {
  if (map_.empty()) return nullptr;
  const size_t at = walk(req.key % map_.size(), skip, false);
  return at < map_.size() ? servers()[map_[at]] : nullptr;
}

Server* MapHashLb::pick_active(const LbRequest& req, const Server* skip) {
  if (map_.empty()) return scan_candidates(req.key, skip);
  const size_t from = req.has_key ? req.key % map_.size() : rr_next_;
  const size_t at = walk(from, skip, true);
  if (at == map_.size()) return scan_candidates(req.key, skip);
  if (!req.has_key) rr_next_ = (at + 1) % map_.size();
  return servers()[map_[at]];
}

}  // namespace hearth::backend
