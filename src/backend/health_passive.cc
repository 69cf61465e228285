// The on-error actions of passive health (passive_health.h), on the health
// check's own thread, as HAProxy 2.6 applies them:
//   fastinter     the next check comes within fastinter
//   fail-check    one failed check (status HANA), and fastinter
//   sudden-death  a fully UP server drops to one failure above DOWN, then
//                 one failed check, and fastinter
//   mark-down     the server goes DOWN at once (a failed check from rise),
//                 and fastinter
// "and fastinter": when fastinter is configured, the next check is brought
// forward to now + fastinter unless it comes sooner; a check in flight is
// left to finish. The failed check shows in show stat (check_status HANA,
// last_chk "Detected N consecutive errors, last one was: ...", no
// duration), in chkfail and in the logs like any failed check.
#include <algorithm>
#include <string>

#include "backend/health_check.h"
#include "backend/server.h"

namespace hearth::backend {

void HealthCheck::apply_passive(PassiveEvent last, int errors, int sessions) {
  EventLoop* loop = loop_.load();
  // Maintenance, or checks disabled from the runtime API: nothing to act on.
  if (!loop || paused_ || srv_->disabled.load() || !srv_->health.enabled.load()) return;
  const OnError mode = srv_->passive.on_error;
  if (mode != OnError::kFastinter) {
    if (const int f = forced_.exchange(-1); f >= 0)
      counter_.reset(f ? InitState::kFullyUp : InitState::kFullyDown);
    const int rise = counter_.rise();
    if (mode == OnError::kSuddenDeath && counter_.health() > rise) counter_.set_health(rise + 1);
    // From rise, the failure below takes the server DOWN; one DOWN already
    // stays at 0.
    if (mode == OnError::kMarkDown) counter_.set_health(counter_.up() ? rise : 0);
    const std::string info = "Detected " + std::to_string(errors) +
                             " consecutive errors, last one was: " + passive_event_text(last);
    record_result(CheckStatus::kHana, 0, info, -1, sessions);
  }
  const int64_t fast = spec_.intervals.fastinter;
  if (fast > 0 && phase_ == Phase::kIdle) arm(std::min(timer_.expire, loop->now_ms() + fast));
}

}  // namespace hearth::backend
