#include "backend/lb_chash.h"

#include <algorithm>

#include "expr/hash.h"

namespace hearth::backend {

ChashLb::ChashLb(const std::vector<Server*>& servers, int balance_factor)
    : LbBase(servers), bound_(balance_factor) {
  rebuild();
}

void ChashLb::refresh() {
  const std::vector<Server*>& list = servers();
  ring_.clear();
  bound_.refresh(list, backup_tier());
  for (size_t i = 0; i < list.size(); ++i) {
    const Server* s = list[i];
    if (!in_tier(s) || !s->usable()) continue;
    // weight x 16 points, fewer while slowstart ramps (lb_weight is in 1/16).
    const uint32_t points = uint32_t(s->lb_weight()) * kPointsPerWeight / kWeightScale;
    const uint32_t base = uint32_t(s->puid) * kIdRange;
    for (uint32_t j = 0; j < points; ++j) ring_.push_back({expr::full_hash(base + j), uint32_t(i)});
  }
  std::sort(ring_.begin(), ring_.end(), [](const Point& a, const Point& b) { return a.at < b.at; });
  if (rr_last_ >= ring_.size()) rr_last_ = kNoPoint;
}

size_t ChashLb::nearest(uint32_t key) const {
  auto it = std::lower_bound(ring_.begin(), ring_.end(), key,
                             [](const Point& p, uint32_t k) { return p.at < k; });
  const size_t next = it == ring_.end() ? 0 : size_t(it - ring_.begin());
  const size_t prev = next == 0 ? ring_.size() - 1 : next - 1;
  // Distances around the ring, in 32-bit arithmetic as HAProxy's.
  const uint32_t dp = key - ring_[prev].at;
  const uint32_t dn = ring_[next].at - key;
  return dp <= dn ? prev : next;
}

size_t ChashLb::walk(size_t from, const Server* skip, bool need_room) const {
  const int64_t served = bound_.served(servers());
  const size_t n = ring_.size();
  for (size_t k = 0; k < n; ++k) {
    const size_t at = (from + k) % n;
    const uint32_t pos = ring_[at].pos;
    const Server* s = servers()[pos];
    const bool fits = need_room ? is_candidate(s, skip) : in_tier(s) && s != skip && s->usable();
    if (fits && bound_.within(servers(), pos, served)) return at;
  }
  return n;
}

Server* ChashLb::key_target(const LbRequest& req, const Server* skip) {
  if (ring_.empty()) return nullptr;
  const size_t at = walk(nearest(req.key), skip, false);
  return at < ring_.size() ? servers()[ring_[at].pos] : nullptr;
}

Server* ChashLb::pick_active(const LbRequest& req, const Server* skip) {
  if (ring_.empty()) return scan_candidates(req.key, skip);
  if (req.has_key) {
    const size_t at = walk(nearest(req.key), skip, true);
    return at < ring_.size() ? servers()[ring_[at].pos] : scan_candidates(req.key, skip);
  }
  // No key: the point after the last one used, round the ring. Bounded
  // loads do not apply here (HAProxy's round robin ignores them too).
  const size_t n = ring_.size();
  const size_t first = rr_last_ == kNoPoint ? 0 : rr_last_ + 1;
  for (size_t k = 0; k < n; ++k) {
    const size_t at = (first + k) % n;
    Server* s = servers()[ring_[at].pos];
    if (!is_candidate(s, skip)) continue;
    rr_last_ = at;
    return s;
  }
  return scan_candidates(0, skip);
}

}  // namespace hearth::backend
