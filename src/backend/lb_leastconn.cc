#include "backend/lb_leastconn.h"

namespace hearth::backend {

LeastConnLb::LeastConnLb(const std::vector<Server*>& servers) : LbBase(servers) { rebuild(); }

void LeastConnLb::refresh() { next_ = 0; }

Server* LeastConnLb::pick_active(const LbRequest& /*req*/, const Server* skip) {
  const std::vector<Server*>& list = servers();
  const size_t n = list.size();
  size_t best = n;
  // Compare (cur+1)/weight as cross products to stay in integers.
  int64_t best_load = 0;
  int64_t best_weight = 1;
  for (size_t k = 0; k < n; ++k) {
    const size_t i = (next_ + k) % n;
    const Server* s = list[i];
    if (!is_candidate(s, skip)) continue;
    const int64_t load = static_cast<int64_t>(s->cur_sess.load()) + 1;
    const int64_t weight = s->lb_weight();
    if (best == n || load * best_weight < best_load * weight) {
      best = i;
      best_load = load;
      best_weight = weight;
    }
  }
  if (best == n) return nullptr;
  next_ = (best + 1) % n;
  return list[best];
}

}  // namespace hearth::backend
