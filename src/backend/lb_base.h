#pragma once
// The skeleton every load-balancing algorithm shares: which servers may take a
// session, the active/backup split and `avoid` handling. An algorithm only
// says how to choose among the active servers that currently have room.
//
// Tiers (decided live on every pick):
//   some active server usable()   -> choose among active servers with room;
//                                    if all of them are full, return nullptr
//                                    (the session waits; backups stay idle)
//   no active server usable()     -> the first usable backup in id order, and
//                                    only that one (HAProxy's default without
//                                    `option allbackups`); if it is full,
//                                    return nullptr rather than spill over.
//                                    With `option allbackups`: the algorithm
//                                    chooses among the backups, as it does
//                                    among active servers
//   nothing usable                -> nullptr
#include <cstddef>
#include <cstdint>
#include <vector>

#include "backend/lb.h"

namespace hearth::backend {

// Returns: true if `s` can take a new session right now.
inline bool has_room(const Server& s) { return s.usable() && !s.full(); }

class LbBase : public LbAlgorithm {
 public:
  Server* pick(const LbRequest& req) final;
  void rebuild() final;
  Server* key_server(const LbRequest& req) final;

 protected:
  // Requires: every Server in `servers` outlives this object. The list itself
  // is copied: callers build it on the fly (Backend::finalize passes a local),
  // and the set of servers is fixed once a backend is finalized.
  explicit LbBase(const std::vector<Server*>& servers) : servers_(servers) {}

  const std::vector<Server*>& servers() const { return servers_; }

  // Returns: true if `s` belongs to the tier being balanced (active servers,
  // or with allbackups the backups once no active server is usable).
  bool in_tier(const Server* s) const { return s->backup == backup_tier_; }
  bool backup_tier() const { return backup_tier_; }
  // Returns: true if `s` is a server of the tier with room that is not `skip`.
  bool is_candidate(const Server* s, const Server* skip) const {
    return in_tier(s) && s != skip && has_room(*s);
  }

  // Requires: at least one server of the tier is usable.
  // Returns: a server for which is_candidate(s, skip) held when checked, or
  // nullptr if there is none. `skip` may be nullptr.
  virtual Server* pick_active(const LbRequest& req, const Server* skip) = 0;
  // Requires: req.has_key; some server of the tier is usable.
  // Returns: the usable server of the tier (full or not) the key designates,
  // skipping `skip`; nullptr for algorithms that do not hash.
  virtual Server* key_target(const LbRequest& /*req*/, const Server* /*skip*/) { return nullptr; }

  // Returns: the first candidate in servers() at or after position `start`
  // (taken modulo their count), or nullptr: the last resort of schedules
  // built before a server came back up.
  Server* scan_candidates(size_t start, const Server* skip) const;

  // Recomputes weight- or state-dependent schedules from servers(). Each
  // final class calls rebuild() from its constructor.
  virtual void refresh() = 0;

 private:
  // Returns: true when the tier to balance is known: false when only the
  // first backup may serve (no active server usable, no allbackups).
  bool settle_tier();
  friend std::unique_ptr<LbAlgorithm> make_lb(LbKind, const std::vector<Server*>&,
                                              const LbOptions&);
  const std::vector<Server*> servers_;
  bool allbackups_ = false;   // option allbackups
  bool backup_tier_ = false;  // the backups are balanced (allbackups, no active usable)
};

// Returns: true if any non-backup server is usable() (full or not).
bool any_active_usable(const std::vector<Server*>& servers);

// Returns: the usable backup server with the lowest id if it has room;
// nullptr if there is no usable backup or that one is full.
Server* first_backup(const std::vector<Server*>& servers);

}  // namespace hearth::backend
