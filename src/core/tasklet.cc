#include "core/tasklet.h"

namespace hearth {

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
    t->fn(t, t->ctx, state);  // may free t
    ++n;
  }
  return n;
}

}  // namespace hearth
