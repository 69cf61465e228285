#pragma once
// Consistent hashing (hash-type consistent) for balance source, uri,
// url_param, hdr, hash and rdp-cookie, laid out as HAProxy 2.6 lays out its
// tree, so that a key reaches the same server behind either:
//
//   ring: every usable server of the tier owns weight * 16 points; point j
//         of the server with public id P sits at full_hash(P * 4096 + j).
//         The points are kept sorted by position (a flat vector: lookups
//         are a binary search, rebuilds a sort).
//   key:  lands on the nearer of the points just before and just after it
//         (the one before on a tie, wrapping around the ring).
//   walk: from there, forward around the ring past points whose server is
//         `avoid`, down since the last rebuild(), over its bounded load
//         (hash-balance-factor) or, for pick(), without room.
//
// A server's points depend only on its id and weight: when it goes down, is
// removed or comes back, only the keys nearest its points move; a weight
// change adds or removes its last points. rebuild() (state or weight
// change) recomputes the ring.
//
// Bounded loads (hash-balance-factor): lb_bounded_load.h.
//
// Requests without a key walk the ring one point at a time (HAProxy's round
// robin of consistent hashing).
#include <cstdint>
#include <vector>

#include "backend/lb_base.h"
#include "backend/lb_bounded_load.h"

namespace hearth::backend {

class ChashLb final : public LbBase {
 public:
  // Requires: `servers` outlives this object. balance_factor: 0 or > 100.
  ChashLb(const std::vector<Server*>& servers, int balance_factor);

  // HAProxy's scale of user weights into points on the ring.
  static constexpr uint32_t kPointsPerWeight = 16;
  // The spacing of two servers' point numbers (256 weights * 16 points).
  static constexpr uint32_t kIdRange = 4096;

 private:
  struct Point {
    uint32_t at;   // position on the ring
    uint32_t pos;  // the server's position in servers()
  };

  Server* pick_active(const LbRequest& req, const Server* skip) override;
  Server* key_target(const LbRequest& req, const Server* skip) override;
  void refresh() override;

  // Returns: the index in ring_ of the point nearest `key`.
  size_t nearest(uint32_t key) const;
  // Returns: the index of the first point at or after `from` (around the
  // ring) whose server may take the session, or ring_.size().
  size_t walk(size_t from, const Server* skip, bool need_room) const;
  BoundedLoad bound_;
  std::vector<Point> ring_;
  // Keyless requests: the point last used (kNoPoint: none yet, so the walk
  // starts at the ring's first point, as HAProxy's).
  static constexpr size_t kNoPoint = SIZE_MAX;
  size_t rr_last_ = kNoPoint;
};

}  // namespace hearth::backend
