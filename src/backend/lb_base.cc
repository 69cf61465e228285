#include "backend/lb_base.h"

namespace hearth::backend {

Server* LbBase::pick(const LbRequest& req) {
  const bool backups = !any_active_usable(servers_);
  if (backups && !allbackups_) return first_backup(servers_);
  if (backups != backup_tier_) rebuild();  // a state change not announced yet
  Server* s = pick_active(req.source_hash, req.avoid);
  // `avoid` is only a preference: when it is the sole candidate, take it
  // rather than fail the session.
  if (s == nullptr && req.avoid != nullptr) s = pick_active(req.source_hash, nullptr);
  return s;
}

void LbBase::rebuild() {
  backup_tier_ = allbackups_ && !any_active_usable(servers_);
  refresh();
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
