#pragma once
// Server tracking ("track [<backend>/]<server>"), as HAProxy 2.6: a server
// that tracks another runs no check of its own and follows the other's
// state. Links are made at load (Runtime) or by "add server", undone by
// "del server" of the tracker; a tracked server cannot be deleted.
//
// What a tracker takes from the server it tracks (its "tracked"), and when:
//   UP / DOWN / stopping   on each of the tracked's transitions: "is UP|DOWN|
//                          stopping via B/S" (nothing logged while the tracker
//                          is in maintenance)
//   maintenance (IMAINT)   the tracked enters maintenance (forced, inherited
//                          or resolution): "is going DOWN for maintenance via
//                          B/S" ("was DOWN and now enters maintenance via B/S"
//                          for a DOWN tracker); leaving it: "is UP/READY
//                          (leaving maintenance)"
//   drain (IDRAIN)         the tracked drains (forced or inherited)
// Each change is then passed on to the tracker's own trackers, depth first,
// newest tracker first (HAProxy's order).
#include <cstdint>
#include <string>

#include "backend/server.h"

namespace hearth::backend {

// Returns: HAProxy's refusal of `s` (of `be`) tracking `target` (of `tbe`),
// or "" when it may. `target_checked`: it has a check or an agent, or tracks
// another server itself (at load its own link may not be made yet).
std::string track_refusal(const Backend& be, const Server& s, const Backend& tbe,
                          const Server& target, bool target_checked);

// Links `s` (of `be`) to `target` (of `tbe`), which becomes non-deletable.
// Requires: track_refusal() was "" and no worker runs, or all are parked.
void link_track(Backend& be, Server& s, Backend& tbe, Server& target);
// Removes `s` from its tracked server's trackers ("del server" of a tracker).
// Requires: as link_track.
void unlink_track(Server& s);

// Sets `s`'s state from its tracked server's, and its trackers' from its own,
// logging nothing (start-up, a new dynamic server). Requires: as link_track.
void sync_trackers(Server& s);

// After a change of `s`'s state (UP/DOWN, stopping, maintenance, drain,
// address): every tracker of `s` follows, with its log lines, and so on down
// the chains. Any thread (the one that changed `s`), holding
// server_state_mutex() since before that change (server_state_lock.h), so
// that the change, its lines and the trackers' make one step.
void propagate_to_trackers(Server& s, int64_t now_ms);

// Returns: the server at the end of `s`'s tracking chain (`s` if it tracks
// none): the one whose checks decide, as `show stat` reads them.
const Server& track_root(const Server& s);

}  // namespace hearth::backend
