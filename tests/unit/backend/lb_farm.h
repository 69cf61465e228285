#pragma once
// Test helper for the load-balancing tests: a backend's worth of servers with
// stable addresses (they must outlive the algorithm), and pick counters.
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "backend/lb.h"
#include "backend/server.h"

namespace hearth::backend::lb_test {

class LbFarm {
 public:
  // Adds a server whose id is its position (public id: position + 1); returns it for further
  // tweaks.
  Server* add(const std::string& name, int weight = 1, bool backup = false, int maxconn = 0) {
    auto s = std::make_unique<Server>();
    s->name = name;
    s->id = static_cast<int>(owned_.size());
    s->puid = s->id + 1;  // as Backend::add_server numbers them
    s->weight = weight;
    s->backup = backup;
    s->maxconn = maxconn;
    servers.push_back(s.get());
    owned_.push_back(std::move(s));
    return servers.back();
  }

  std::vector<Server*> servers;  // what the algorithm is given

 private:
  std::vector<std::unique_ptr<Server>> owned_;
};

// Returns: the name of the picked server, or "-" for nullptr.
inline std::string pick_name(LbAlgorithm& lb, const LbRequest& req = {}) {
  Server* s = lb.pick(req);
  return s == nullptr ? "-" : s->name;
}

// Returns: how many of `n` picks went to each server name ("-" = nullptr).
inline std::map<std::string, int> count_picks(LbAlgorithm& lb, int n, const LbRequest& req = {}) {
  std::map<std::string, int> counts;
  for (int i = 0; i < n; ++i) ++counts[pick_name(lb, req)];
  return counts;
}

}  // namespace hearth::backend::lb_test
