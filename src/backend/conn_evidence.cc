#include "backend/conn_evidence.h"

#include <algorithm>

#include "backend/server.h"

namespace hearth::backend {
namespace {

// The idle age past which a close is the keep-alive timeout's doing: past the
// learned retire age once there is an estimate; before, for a connection that
// died while parked, past kCountCloseMs, and for one that died carrying a
// request, past both what reused connections proved and the reuse window (no
// server is assumed to close a connection idle less than that, as for
// non-idempotent reuse).
// A parked connection closed more than kCountCloseMs after its last response
// was closed by an idle timer: a server that closes after its Nth request
// does so as it sends the Nth response (or when the next request arrives).
constexpr int64_t kCountCloseMs = 20;

bool idle_explains(const Server& s, int64_t idle_ms, bool in_flight) {
  if (s.keepalive.estimate_ms()) return idle_ms > s.keepalive.retire_age_ms();
  if (!in_flight) return idle_ms > kCountCloseMs;
  return idle_ms > std::max(s.keepalive.proven_idle_ms(), s.pool_settings.reuse_window_ms);
}

}  // namespace

DeathCause note_conn_death(Server& s, uint32_t served, int64_t idle_ms, bool in_flight,
                           int64_t now_ms) {
  idle_ms = std::max<int64_t>(idle_ms, 0);
  DeathCause cause = DeathCause::kUnexplained;
  if (idle_explains(s, idle_ms, in_flight))
    cause = DeathCause::kIdle;
  else if (s.reqlimit.observe_death(served, now_ms))
    cause = DeathCause::kCount;
  // A death at a request count is not an idle timeout: it would teach the
  // keep-alive estimator a timeout of ~0. Nor is an unexplained one younger
  // than the estimator's smallest margin: a timeout that short leaves a
  // retire age of 0 (no reuse at all), which random drops on busy
  // connections must not cause; idempotent requests keep reusing them and
  // the reuse guard protects the others. The rest is its evidence (it
  // discards those contradicted by reused connections that survived longer).
  const bool too_young =
      cause == DeathCause::kUnexplained && idle_ms < KeepAliveEstimator::kMinMarginMs;
  if (cause != DeathCause::kCount && !too_young) s.keepalive.observe_close(idle_ms);
  if (in_flight) {
    if (cause == DeathCause::kUnexplained)
      s.reuse_guard.observe_unexplained_death(now_ms);
    else
      s.reuse_guard.note_explained_death();
  }
  return cause;
}

void note_reuse_answered(Server& s, int64_t idle_ms, int64_t now_ms) {
  s.keepalive.observe_alive(idle_ms);
  s.reqlimit.note_reuse_answered();
  s.reuse_guard.observe_answered(now_ms);
}

}  // namespace hearth::backend
