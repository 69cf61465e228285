#include "backend/lb_map.h"

#include <numeric>

namespace hearth::backend {
namespace {

// A slot's score: the credit in whole cycles, so that servers within one
// cycle of each other tie and the first in order takes the slot.
int64_t score(int64_t credit, int64_t total) { return (credit + total) / total; }

}  // namespace

std::vector<uint32_t> build_weight_map(const std::vector<Server*>& servers, bool backup,
                                       int wmult) {
  std::vector<int64_t> eweight(servers.size(), 0);
  int64_t total = 0;
  for (size_t i = 0; i < servers.size(); ++i) {
    const Server* s = servers[i];
    if (s->backup != backup || !s->usable()) continue;
    eweight[i] = (s->weight + wmult - 1) / wmult;
    total += eweight[i];
  }
  std::vector<int64_t> credit(servers.size(), 0);
  std::vector<uint32_t> map;
  map.reserve(size_t(total));
  for (int64_t n = 0; n < total; ++n) {
    size_t best = servers.size();
    for (size_t i = 0; i < servers.size(); ++i) {
      if (eweight[i] == 0) continue;
      credit[i] += eweight[i];
      if (best == servers.size() || score(credit[i], total) > score(credit[best], total)) best = i;
    }
    credit[best] -= total;
    map.push_back(uint32_t(best));
  }
  return map;
}

int weights_gcd(const std::vector<Server*>& servers) {
  int g = 0;
  for (const Server* s : servers) g = std::gcd(g, s->weight.load());
  return g > 0 ? g : 1;
}

}  // namespace hearth::backend
