#pragma once
// Bounded loads (hash-balance-factor F), HAProxy's arithmetic: with `served`
// sessions held by the backend's servers, ceil((served + 1) * F / 100)
// slots are shared among the usable servers of the tier by weight (whole
// slots per unit of weight, the remainder spread by cumulative weight); a
// server may take a new session only while it holds fewer than its slots
// (never fewer than 1). Used by consistent hashing and balance random.
#include <cstdint>
#include <vector>

#include "backend/server.h"

namespace hearth::backend {

class BoundedLoad {
 public:
  // factor: 0 (no bound) or above 100.
  explicit BoundedLoad(int factor) : factor_(factor) {}

  bool enabled() const { return factor_ > 0; }
  // Recomputes the weights from the usable servers of the tier (rebuild()).
  void refresh(const std::vector<Server*>& servers, bool backup_tier);
  // Returns: the sessions the servers hold now (0 when disabled).
  int64_t served(const std::vector<Server*>& servers) const;
  // Returns: true if servers[pos] may take one more session (always when
  // disabled).
  bool within(const std::vector<Server*>& servers, size_t pos, int64_t served) const;

 private:
  const int factor_;
  // Per position: the effective weight (16 per unit; 0 outside the tier or
  // unusable) and the weight of the usable servers before it.
  std::vector<int64_t> eweight_, cumulative_;
  int64_t total_ = 0;
};

}  // namespace hearth::backend
