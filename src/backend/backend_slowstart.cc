// A backend's part in slowstart (slowstart.h): the steps of its ramping
// servers, refreshed whenever its servers change and by worker 0's
// housekeeping tick, and the line HAProxy logs when a ramp ends.
#include <chrono>
#include <utility>

#include "backend/backend.h"
#include "backend/health_log.h"
#include "config/log_model.h"

namespace hearth::backend {

namespace {

int64_t wall_ms() {
  return std::chrono::duration_cast<std::chrono::milliseconds>(
             std::chrono::system_clock::now().time_since_epoch())
      .count();
}

// The steps of s at now_ms (monotonic) and wall (the date): the weight's
// and maxconn's.
std::pair<int, int> steps_of(const Server& s, int64_t now_ms, int64_t wall) {
  const int64_t up = s.health.came_up_ms();
  const int64_t up_wall = up < 0 ? -1 : wall - (now_ms - up);
  return {slowstart_step(s.slowstart_s, up, now_ms),
          slowstart_maxconn_step(s.slowstart_s, up_wall, wall)};
}

}  // namespace

std::vector<Server*> Backend::refresh_slowstart_locked(int64_t now_ms) {
  std::vector<Server*> ended;
  if (!has_slowstart_) return ended;
  const int64_t wall = wall_ms();
  for (const auto& s : servers_) {
    if (s->slowstart_s <= 0) continue;
    const auto [step, mc_step] = steps_of(*s, now_ms, wall);
    s->warm_maxconn_step.store(mc_step, std::memory_order_relaxed);
    const int before = s->warm_step.exchange(step, std::memory_order_relaxed);
    if (before >= 0 && step < 0 && s->health.came_up_ms() >= 0) ended.push_back(s.get());
  }
  return ended;
}

void Backend::tick_slowstart(int64_t now_ms) {
  if (!has_slowstart_) return;
  const int64_t wall = wall_ms();
  for (const auto& s : servers_) {
    if (s->slowstart_s <= 0) continue;
    const auto [step, mc_step] = steps_of(*s, now_ms, wall);
    if (step != s->warm_step.load(std::memory_order_relaxed) ||
        mc_step != s->warm_maxconn_step.load(std::memory_order_relaxed))
      return servers_changed();
  }
}

// As HAProxy: the end of the ramp is a state change (STARTING to UP).
void log_slowstart_end(Backend& be, const Server& s) {
  emit_backend_event(be, "[WARNING]", config::kLogNotice, server_state_text(be, s, true, nullptr));
}

}  // namespace hearth::backend
