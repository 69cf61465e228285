#include "core/tasklet.h"

namespace hearth {
namespace {

// The profile of the tasklet being called on this thread (null once it is
// freed by its own call).
thread_local TaskProfile* t_running = nullptr;

}  // namespace

void Tasklet::forget_running(const TaskProfile* p) {
  if (t_running == p) t_running = nullptr;
}

int RunQueue::run_batch(int max) {
  // Move the current queue into a local list so new wakes go to the next batch.
  List batch;
  int taken = 0;
  while (max <= 0 || taken < max) {
    ListHook* h = q_.pop_front();
    if (!h) break;
    batch.push_back(h);
    ++taken;
  }
  int n = 0;
  while (ListHook* h = batch.pop_front()) {
    Tasklet* t = container_of<Tasklet, &Tasklet::hook>(h);
    uint32_t state = t->state;
    t->state = 0;
    TaskProfile* p = t->prof;
    if (!p) {
      t->fn(t, t->ctx, state);  // may free t
      ++n;
      continue;
    }
    ++p->calls;
    const bool timed = profiling_active();
    int64_t start = 0;
    if (timed) {
      start = mono_ns();
      if (p->woken_ns) p->lat_ns += uint64_t(start - p->woken_ns);
      t_running = p;
    }
    p->woken_ns = 0;
    t->fn(t, t->ctx, state);  // may free t and p (then t_running is null)
    if (timed && t_running) p->cpu_ns += uint64_t(mono_ns() - start);
    t_running = nullptr;
    ++n;
  }
  return n;
}

}  // namespace hearth
