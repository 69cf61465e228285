// A backend's part in slowstart (slowstart.h): the steps of its ramping
// servers, refreshed whenever its servers change and by worker 0's
// housekeeping tick, and the line HAProxy logs when a ramp ends.
#include "backend/backend.h"
#include "backend/health_log.h"
#include "config/log_model.h"

namespace hearth::backend {

std::vector<Server*> Backend::refresh_slowstart_locked(int64_t now_ms) {
  std::vector<Server*> ended;
  if (!has_slowstart_) return ended;
  for (const auto& s : servers_) {
    if (s->slowstart_s <= 0) continue;
    const int64_t up = s->health.came_up_ms();
    const int step = slowstart_step(s->slowstart_s, up, now_ms);
    const int before = s->warm_step.exchange(step, std::memory_order_relaxed);
    if (before >= 0 && step < 0 && up >= 0) ended.push_back(s.get());
  }
  return ended;
}

void Backend::tick_slowstart(int64_t now_ms) {
  if (!has_slowstart_) return;
  for (const auto& s : servers_) {
    if (s->slowstart_s <= 0) continue;
    const int step = slowstart_step(s->slowstart_s, s->health.came_up_ms(), now_ms);
    if (step != s->warm_step.load(std::memory_order_relaxed)) return servers_changed();
  }
}

// As HAProxy: the end of the ramp is a state change (STARTING to UP).
void log_slowstart_end(Backend& be, const Server& s) {
  emit_backend_event(be, "[WARNING]", config::kLogNotice, server_state_text(be, s, true, nullptr));
}

}  // namespace hearth::backend
