#pragma once
// balance roundrobin: smooth weighted round robin. Every pick credits each
// candidate with its weight, takes the one with the most credit (the lowest
// position wins a tie) and debits it by the candidates' total weight. The
// schedule is deterministic and spreads heavy servers evenly: weights 5,1,1
// give a a b a c a a, not a a a a a b c.
#include <cstdint>
#include <vector>

#include "backend/lb_base.h"

namespace hearth::backend {

class RoundRobinLb final : public LbBase {
 public:
  explicit RoundRobinLb(const std::vector<Server*>& servers);

 private:
  Server* pick_active(const LbRequest& req, const Server* skip) override;
  // Clears all credit, so the schedule restarts from its first pick.
  void refresh() override;

  // Running credit per position in servers(). A server without room keeps
  // its credit frozen until it comes back.
  std::vector<int64_t> credit_;
};

}  // namespace hearth::backend
