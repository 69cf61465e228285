#include "core/tasklet.h"

#include "core/loop_activity.h"

namespace hearth {
namespace {

// The profile of the tasklet being called on this thread (null once it is
// freed by its own call).
thread_local TaskProfile* t_running = nullptr;

}  // namespace

void Tasklet::forget_running(const TaskProfile* p) {
  if (t_running == p) t_running = nullptr;
}

// What the loop's thread runs now, for "show threads" (null: no loop).
static void note_running(LoopActivity* a, const Tasklet* t) {
  if (!a) return;
  a->cur_tasklet.store(t, std::memory_order_relaxed);
  a->cur_fn.store(t ? reinterpret_cast<const void*>(t->fn) : nullptr, std::memory_order_relaxed);
  a->cur_ctx.store(t ? t->ctx : nullptr, std::memory_order_relaxed);
}

int RunQueue::run_batch(int max) {
  LoopActivity* act = current_activity();
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
    note_running(act, t);
    if (act) act->ctxsw.add();
    if (!p) {
      t->fn(t, t->ctx, state);  // may free t
      ++n;
      continue;
    }
    if (act) act->stream_calls.add();
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
  if (n) note_running(act, nullptr);
  return n;
}

}  // namespace hearth
