#include "backend/lb_base.h"

namespace hearth::backend {

Server* LbBase::pick(const LbRequest& req) {
  if (!any_active_usable(servers_)) return first_backup(servers_);
  Server* s = pick_active(req.source_hash, req.avoid);
  // `avoid` is only a preference: when it is the sole candidate, take it
  // rather than fail the session.
  if (s == nullptr && req.avoid != nullptr) s = pick_active(req.source_hash, nullptr);
  return s;
}

void LbBase::rebuild() { refresh(); }

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
