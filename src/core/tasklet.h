#pragma once
// A tasklet is a callback plus a context, queued on its loop's run queue. Tasklets
// are the only way I/O wakes anyone: the poller marks readiness and queues the
// subscriber's tasklet; it never calls into upper layers directly.
#include <cstdint>

#include "core/list.h"
#include "core/task_profile.h"

namespace hearth {

struct Tasklet;
using TaskletFn = void (*)(Tasklet* t, void* ctx, uint32_t state);

// Wake reasons, accumulated in `state` until the tasklet runs.
enum : uint32_t {
  kWakeRecv = 1u << 0,
  kWakeSend = 1u << 1,
  kWakeTimer = 1u << 2,
  kWakeOther = 1u << 3,
};

struct Tasklet {
  TaskletFn fn = nullptr;
  void* ctx = nullptr;
  uint32_t state = 0;
  ListHook hook;
  // Where its calls are counted (cpu_calls & co; null: nowhere).
  TaskProfile* prof = nullptr;

  Tasklet() = default;
  Tasklet(TaskletFn f, void* c) : fn(f), ctx(c) {}
  Tasklet(const Tasklet&) = delete;
  Tasklet& operator=(const Tasklet&) = delete;
  // A tasklet must not be freed while queued.
  ~Tasklet() {
    hook.unlink();
    if (prof) forget_running(prof);
  }
  // The tasklet running now frees its profile: the run queue must not add
  // the call's time to it.
  static void forget_running(const TaskProfile* p);
  bool queued() const { return hook.linked(); }
  void cancel() {
    hook.unlink();
    state = 0;
  }
};

// A subscription: who to wake, and for which events (kWakeRecv/kWakeSend).
struct WaitEvent {
  Tasklet* tasklet = nullptr;
  uint32_t events = 0;
};

class RunQueue {
 public:
  // Adds `why` to the tasklet's state and queues it if it is not queued yet.
  void wake(Tasklet* t, uint32_t why) {
    t->state |= why;
    if (t->queued()) return;
    q_.push_back(&t->hook);
    if (t->prof && profiling_active()) t->prof->woken_ns = mono_ns();
  }
  bool empty() const { return q_.empty(); }
  // Tasklets queued now (walks the queue: for the runtime API).
  size_t size() const { return q_.size(); }
  // Runs every tasklet queued at the time of the call (not ones they queue), so a
  // tasklet that re-queues itself cannot starve the poller; with max > 0, only
  // the first `max` of them (tune.runqueue-depth: the rest wait for the next
  // turn, after the poller looked for I/O again). Returns: how many ran.
  int run_batch(int max = 0);

 private:
  List q_;
};

}  // namespace hearth
