#pragma once
// balance random(N): power of N choices. A pick draws N distinct candidates,
// each with probability proportional to its weight among those not drawn
// yet, and keeps the one with the lowest cur_sess / weight (the earliest draw
// wins a tie, so an idle farm is served in proportion to weight).
//
// Draws are distinct, unlike HAProxy's: with N >= the number of candidates,
// every candidate is compared and the least loaded always wins; random(2)
// never sends a session to the most loaded of its candidates.
//
// hash-balance-factor (as HAProxy's random, which shares consistent
// hashing's bound): servers at their bounded load (lb_bounded_load.h) are
// not drawn while another server is within its own.
#include <cstdint>
#include <vector>

#include "backend/lb_base.h"
#include "backend/lb_bounded_load.h"

namespace hearth::backend {

class RandomLb final : public LbBase {
 public:
  static constexpr int kMaxDraws = 16;

  // Requires: `servers` outlives this object. `draws` is clamped to
  // [1, kMaxDraws]. The same seed gives the same sequence of picks.
  RandomLb(const std::vector<Server*>& servers, int draws, uint64_t seed, int balance_factor = 0);

 private:
  Server* pick_active(const LbRequest& req, const Server* skip) override;
  // Weights are read live on every pick; only the bound's are kept.
  void refresh() override { bound_.refresh(servers(), backup_tier()); }
  // Returns: true if servers()[i] may be drawn: a candidate, within its
  // bound unless `unbounded`.
  bool drawable(size_t i, const Server* skip, bool unbounded, int64_t served) const;
  // Returns: the position of one weighted draw among candidates not in
  // drawn[0..ndrawn), whose weights sum to `total`; servers().size() if none.
  size_t draw(const size_t* drawn, int ndrawn, int64_t total, const Server* skip, bool unbounded,
              int64_t served);
  // splitmix64: a small, fast generator with no per-pick system call.
  uint64_t next_random();

  int draws_;
  uint64_t state_;
  BoundedLoad bound_;
};

}  // namespace hearth::backend
