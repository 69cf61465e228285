#pragma once
// balance random(N): power of N choices. A pick draws N distinct candidates,
// each with probability proportional to its weight among those not drawn
// yet, and keeps the one with the lowest cur_sess / weight (the earliest draw
// wins a tie, so an idle farm is served in proportion to weight).
//
// Draws are distinct, unlike HAProxy's: with N >= the number of candidates,
// every candidate is compared and the least loaded always wins; random(2)
// never sends a session to the most loaded of its candidates.
#include <cstdint>
#include <vector>

#include "backend/lb_base.h"

namespace hearth::backend {

class RandomLb final : public LbBase {
 public:
  static constexpr int kMaxDraws = 16;

  // Requires: `servers` outlives this object. `draws` is clamped to
  // [1, kMaxDraws]. The same seed gives the same sequence of picks.
  RandomLb(const std::vector<Server*>& servers, int draws, uint64_t seed);

 private:
  Server* pick_active(const LbRequest& req, const Server* skip) override;
  void refresh() override {}  // weights are read live on every pick
  // Returns: the position of one weighted draw among candidates not in
  // drawn[0..ndrawn), whose weights sum to `total`; servers().size() if none.
  size_t draw(const size_t* drawn, int ndrawn, int64_t total, const Server* skip);
  // splitmix64: a small, fast generator with no per-pick system call.
  uint64_t next_random();

  int draws_;
  uint64_t state_;
};

}  // namespace hearth::backend
