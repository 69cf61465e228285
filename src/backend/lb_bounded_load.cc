#include "backend/lb_bounded_load.h"

namespace hearth::backend {

void BoundedLoad::refresh(const std::vector<Server*>& servers, bool backup_tier) {
  eweight_.assign(servers.size(), 0);
  cumulative_.assign(servers.size(), 0);
  total_ = 0;
  for (size_t i = 0; i < servers.size(); ++i) {
    const Server* s = servers[i];
    if (s->backup != backup_tier || !s->usable()) continue;
    eweight_[i] = s->lb_weight();  // HAProxy's weight scale, slowstart included
    cumulative_[i] = total_;
    total_ += eweight_[i];
  }
}

int64_t BoundedLoad::served(const std::vector<Server*>& servers) const {
  if (!enabled()) return 0;
  int64_t n = 0;
  for (const Server* s : servers) n += s->cur_sess.load(std::memory_order_relaxed);
  return n;
}

bool BoundedLoad::within(const std::vector<Server*>& servers, size_t pos, int64_t served) const {
  if (!enabled() || total_ == 0 || pos >= eweight_.size()) return true;
  const int64_t slots_total = ((served + 1) * factor_ + 99) / 100;
  const int64_t per_weight = slots_total / total_;
  const int64_t rest = slots_total % total_;
  const int64_t w = eweight_[pos], before = cumulative_[pos];
  int64_t slots = w * per_weight;
  slots += (before + w) * rest / total_ - before * rest / total_;
  if (slots == 0) slots = 1;
  return servers[pos]->cur_sess.load(std::memory_order_relaxed) < slots;
}

}  // namespace hearth::backend
