#include "backend/lb_first.h"

namespace hearth::backend {

FirstLb::FirstLb(const std::vector<Server*>& servers) : LbBase(servers) { rebuild(); }

Server* FirstLb::pick_active(const LbRequest& /*req*/, const Server* skip) {
  Server* first = nullptr;
  for (Server* s : servers()) {
    if (is_candidate(s, skip) && (first == nullptr || s->puid < first->puid)) first = s;
  }
  return first;
}

}  // namespace hearth::backend
