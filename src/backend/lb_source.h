#pragma once
// balance source: map-based hashing of the client address. rebuild() lays out
// a table in which each usable active server appears weight/g times (g = gcd
// of the weights), interleaved by smooth round robin; a pick indexes it with
// the mixed source hash modulo its size. The same client keeps its server as
// long as the table is unchanged.
//
// If the chosen server has gone down, is full or is `avoid`, the pick walks
// forward through the table to the next candidate. Clients of healthy servers
// keep their server even before rebuild() is called; after it, the table is
// laid out afresh and some clients move (map-based hashing is not consistent).
// If no server in the table can take the session (say one came back up since
// the last rebuild()), a live scan of all active servers is the last resort.
#include <cstdint>
#include <vector>

#include "backend/lb_base.h"

namespace hearth::backend {

class SourceLb final : public LbBase {
 public:
  explicit SourceLb(const std::vector<Server*>& servers);

 private:
  Server* pick_active(uint32_t source_hash, const Server* skip) override;
  void refresh() override;
  // Returns: the first candidate at or after `start`, positions taken modulo
  // the server count, or nullptr.
  Server* scan_servers(uint32_t start, const Server* skip) const;

  std::vector<uint32_t> table_;  // positions in servers()
};

// Returns: `h` with its bits well mixed, so nearby addresses land apart.
uint32_t mix_source_hash(uint32_t h);

}  // namespace hearth::backend
