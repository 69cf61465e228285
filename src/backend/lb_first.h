#pragma once
// balance first: the usable, non-full active server with the lowest id.
// Servers fill up one after another once they have a maxconn; a server with
// maxconn 0 is never full, so it takes every session while it is usable.
#include <cstdint>
#include <vector>

#include "backend/lb_base.h"

namespace hearth::backend {

class FirstLb final : public LbBase {
 public:
  explicit FirstLb(const std::vector<Server*>& servers);

 private:
  Server* pick_active(const LbRequest& req, const Server* skip) override;
  void refresh() override {}  // no schedule: every pick scans live state
};

}  // namespace hearth::backend
