#include "backend/lb_base.h"

namespace hearth::backend {

bool LbBase::settle_tier() {
  const bool backups = !any_active_usable(servers_);
  if (backups && !allbackups_) return false;
  if (backups != backup_tier_) rebuild();  // a state change not announced yet
  return true;
}

Server* LbBase::pick(const LbRequest& req) {
  if (!settle_tier()) return first_backup(servers_);
  Server* s = pick_active(req, req.avoid);
  // `avoid` is only a preference: when it is the sole candidate, take it
  // rather than fail the session.
  if (s == nullptr && req.avoid != nullptr) s = pick_active(req, nullptr);
  return s;
}

Server* LbBase::key_server(const LbRequest& req) {
  if (!req.has_key || !settle_tier()) return nullptr;
  Server* s = key_target(req, req.avoid);
  if (s == nullptr && req.avoid != nullptr) s = key_target(req, nullptr);
  return s;
}

void LbBase::rebuild() {
  backup_tier_ = allbackups_ && !any_active_usable(servers_);
  refresh();
}

Server* LbBase::scan_candidates(size_t start, const Server* skip) const {
  const size_t n = servers_.size();
  for (size_t k = 0; k < n; ++k) {
    Server* s = servers_[(start % n + k) % n];
    if (is_candidate(s, skip)) return s;
  }
  return nullptr;
}

bool any_active_usable(const std::vector<Server*>& servers) {
  for (const Server* s : servers) {
    if (!s->backup && s->usable()) return true;
  }
  return false;
}

Server* first_backup(const std::vector<Server*>& servers) {
  Server* first = nullptr;
  for (Server* s : servers) {
    if (s->backup && s->usable() && (first == nullptr || s->id < first->id)) first = s;
  }
  if (first == nullptr || first->full()) return nullptr;
  return first;
}

}  // namespace hearth::backend
