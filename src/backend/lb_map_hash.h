#pragma once
// Map-based hashing (hash-type map-based, the default) for balance source,
// uri, url_param, hdr, hash and rdp-cookie, as HAProxy's: rebuild() lays out
// the weighted map of the usable servers of the tier (lb_map.h, weights
// divided by the gcd of the configured ones); a key designates
// map[key % size]. A request without a key takes the map's turns, as
// static-rr does.
//
// If the designated server has gone down since the last rebuild(), is
// `avoid`, or (for pick()) has no room, the walk goes on to the next map
// entry. Keys of healthy servers stay put until rebuild(); after it the map
// is laid out afresh and most keys move (map-based hashing is not
// consistent). If no entry can serve (a server came back up since the last
// rebuild()), a live scan of the tier is the last resort.
#include <cstdint>
#include <vector>

#include "backend/lb_base.h"

namespace hearth::backend {

class MapHashLb final : public LbBase {
 public:
  explicit MapHashLb(const std::vector<Server*>& servers);

 private:
  Server* pick_active(const LbRequest& req, const Server* skip) override;
  Server* key_target(const LbRequest& req, const Server* skip) override;
  void refresh() override;
  // Returns: the position in map_ of the first server at or after map
  // position `from` that is usable, in the tier and not `skip` (and has
  // room if `need_room`), or map_.size().
  size_t walk(size_t from, const Server* skip, bool need_room) const;

  const int wmult_;            // gcd of the configured weights
  std::vector<uint32_t> map_;  // positions in servers()
  size_t rr_next_ = 0;         // keyless requests: the next map entry
};

}  // namespace hearth::backend
