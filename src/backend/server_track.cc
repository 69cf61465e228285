#include "backend/server_track.h"

#include <algorithm>

#include "backend/backend.h"
#include "backend/health_log.h"
#include "backend/server_marked.h"
#include "backend/server_state_lock.h"
#include "config/log_model.h"

namespace hearth::backend {
namespace {

std::string full_name(const Backend& be, const Server& s) { return be.name() + "/" + s.name; }

// What a tracker takes from the server it tracks.
struct Followed {
  bool up, stopping, maint, drain;
};

Followed followed(const Server& s) {
  return {s.up.load(), s.stopping.load(), s.in_maintenance() || !s.has_addr.load(), s.draining()};
}

// Sets `t` from `f`. Returns: whether anything changed.
bool apply(Server& t, const Followed& f) {
  const bool was_up = t.up.load();
  bool changed = t.up.exchange(f.up) != f.up;
  changed = (t.stopping.exchange(f.stopping) != f.stopping) || changed;
  const bool was_maint = t.imaint.exchange(f.maint);
  changed = was_maint != f.maint || changed;
  changed = (t.idrain.exchange(f.drain) != f.drain) || changed;
  // As HAProxy, a server going DOWN for maintenance shows a check health of
  // 0; one already DOWN keeps the value it had.
  if (f.maint && !was_maint && was_up) t.health.health.store(0);
  return changed;
}

// One tracker `tl` of `s` follows it, with its log lines; then its own trackers.
void follow(const Backend& sbe, Server& s, const TrackLink& tl, int64_t now_ms) {
  Server& t = *tl.srv;
  Backend& be = *tl.be;
  const bool was_maint = t.in_maintenance();
  const bool was_up = t.up.load(), was_stopping = t.stopping.load();
  const bool was_serving = t.serving();
  const bool was_drain = t.idrain.load();
  if (!apply(t, followed(s))) return;
  t.health.note_serving(t.serving(), now_ms);
  be.servers_changed();
  if (was_serving && !t.serving() && (!t.up.load() || t.in_maintenance()))
    server_marked_down(t);
  else if (!was_serving && t.serving())
    server_marked_up(be, t);
  const bool maint = t.in_maintenance();
  const std::string via = full_name(sbe, s);
  if (!was_maint && maint && !was_up) {  // as HAProxy: nothing more is lost
    emit_backend_event(be, "[WARNING]", config::kLogNotice, maintenance_from_down_text(be, t, via));
  } else if (!was_maint && maint) {
    emit_backend_event(be, "[WARNING]", config::kLogAlert, tracked_maintenance_text(be, t, via));
    log_if_no_server(be);
  } else if (was_maint && !maint) {
    emit_backend_event(be, "[WARNING]", config::kLogNotice, tracked_maintenance_left_text(be, t));
  } else if (!maint && (was_up != t.up.load() || was_stopping != t.stopping.load())) {
    const bool up = t.up.load();
    const char* state = !up ? "DOWN" : t.stopping.load() ? "stopping" : "UP";
    emit_backend_event(be, "[WARNING]", up ? config::kLogNotice : config::kLogAlert,
                       tracked_state_text(be, t, state, via));
    if (!up) log_if_no_server(be);
  }
  if (!was_maint && !maint && was_drain != t.idrain.load()) {
    emit_backend_event(be, "[WARNING]", config::kLogNotice,
                       drain_text(be, t, t.idrain.load(), via));
    if (t.idrain.load()) log_if_no_server(be);
  }
  propagate_to_trackers(t, now_ms);
}

}  // namespace

std::string track_refusal(const Backend& be, const Server& s, const Backend& tbe,
                          const Server& target, bool target_checked) {
  (void)be;
  const std::string name = full_name(tbe, target);
  if (target.dynamic) return "unable to use " + name + " for tracking as it is a dynamic server.";
  if (!target_checked)
    return "unable to use " + name +
           " for tracking as it does not have any check nor agent enabled.";
  const Server* loop = target.track.srv;
  while (loop && loop != &s) loop = loop->track.srv;
  if (&target == &s || loop)
    return "unable to track " + name + " as it belongs to a tracking chain looping back to " +
           full_name(be, s) + ".";
  return "";
}

void link_track(Backend& be, Server& s, Backend& tbe, Server& target) {
  s.track = TrackLink{&tbe, &target};
  target.trackers.insert(target.trackers.begin(), TrackLink{&be, &s});
  target.referenced = true;  // as HAProxy: a tracked server cannot be deleted
}

void unlink_track(Server& s) {
  Server* target = s.track.srv;
  if (!target) return;
  auto& v = target->trackers;
  v.erase(std::remove_if(v.begin(), v.end(), [&](const TrackLink& l) { return l.srv == &s; }),
          v.end());
  s.track = TrackLink{};
}

void sync_trackers(Server& s) {
  ServerStateGuard guard;
  if (s.track.srv) apply(s, followed(*s.track.srv));
  for (const TrackLink& tl : s.trackers) sync_trackers(*tl.srv);
}

void propagate_to_trackers(Server& s, int64_t now_ms) {
  ServerStateGuard guard;  // its callers hold it already, with the change they made
  if (s.trackers.empty()) return;
  const Backend* sbe = s.trackers.front().srv->track.be;
  for (const TrackLink& tl : s.trackers) follow(*sbe, s, tl, now_ms);
}

const Server& track_root(const Server& s) {
  const Server* r = &s;
  while (r->track.srv) r = r->track.srv;
  return *r;
}

}  // namespace hearth::backend
