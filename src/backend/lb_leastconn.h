#pragma once
// balance leastconn: the candidate whose load after taking this session,
// (cur_sess + 1) / weight, is lowest. Ties go round robin: the scan starts
// just after the previous pick, so equally loaded servers alternate instead
// of the first one absorbing every short burst.
#include <cstddef>
#include <cstdint>
#include <vector>

#include "backend/lb_base.h"

namespace hearth::backend {

class LeastConnLb final : public LbBase {
 public:
  explicit LeastConnLb(const std::vector<Server*>& servers);

 private:
  Server* pick_active(const LbRequest& req, const Server* skip) override;
  void refresh() override;

  size_t next_ = 0;  // position in servers() where the next scan starts
};

}  // namespace hearth::backend
