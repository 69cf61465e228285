#pragma once
// balance static-rr: a fixed map of picks, one full cycle of a weighted round
// robin scored as HAProxy does (each server appears weight times, spread
// evenly; weights 3,1,2 give a a c a b c),
// rebuilt only when servers change state. A pick walks the map from where the
// previous one stopped and takes the first server with room, so a full server
// loses its turn rather than keeping credit (unlike roundrobin). The map is
// HAProxy's static-rr; its cost per pick does not depend on the weights.
#include <cstdint>
#include <vector>

#include "backend/lb_base.h"

namespace hearth::backend {

class StaticRrLb final : public LbBase {
 public:
  explicit StaticRrLb(const std::vector<Server*>& servers);

 private:
  Server* pick_active(const LbRequest& req, const Server* skip) override;
  // Rebuilds the map from the usable servers of the tier.
  void refresh() override;

  std::vector<uint32_t> map_;  // positions in servers()
  size_t next_ = 0;            // the map entry the next pick starts from
};

}  // namespace hearth::backend
