#include "core/timer.h"

namespace hearth {

TimerQueue::~TimerQueue() {
  for (Timer* t : heap_) t->heap_index = Timer::kNotQueued;
}

void TimerQueue::arm(Timer* t, int64_t when) {
  t->expire = when;
  if (when == kNever) {
    cancel(t);
    return;
  }
  if (t->queued()) {
    if (when >= t->key) return;  // later: fixed up lazily at the top
    t->key = when;
    sift_up(t->heap_index);
    return;
  }
  t->key = when;
  push(t);
}

void TimerQueue::cancel(Timer* t) {
  t->expire = kNever;
  if (t->queued()) remove_at(t->heap_index);
}

int TimerQueue::run_expired(int64_t now) {
  int fired = 0;
  while (!heap_.empty() && heap_[0]->key <= now) {
    Timer* t = heap_[0];
    remove_at(0);
    // A stale early key (lazy re-arm): requeue at the real deadline, even if that
    // is due too, so that due timers still fire in deadline order.
    if (t->expire != t->key) {
      if (t->expire != kNever) {
        t->key = t->expire;
        push(t);
      }
      continue;
    }
    t->expire = kNever;
    t->fn(t, t->ctx);  // may re-arm or free t
    ++fired;
  }
  return fired;
}

void TimerQueue::push(Timer* t) {
  heap_.push_back(t);
  t->heap_index = heap_.size() - 1;
  sift_up(t->heap_index);
}

void TimerQueue::remove_at(size_t i) {
  Timer* t = heap_[i];
  Timer* last = heap_.back();
  heap_.pop_back();
  t->heap_index = Timer::kNotQueued;
  if (last == t) return;
  place(i, last);
  sift_up(i);
  sift_down(last->heap_index);
}

void TimerQueue::sift_up(size_t i) {
  Timer* t = heap_[i];
  while (i > 0) {
    size_t parent = (i - 1) / 2;
    if (heap_[parent]->key <= t->key) break;
    place(i, heap_[parent]);
    i = parent;
  }
  place(i, t);
}

void TimerQueue::sift_down(size_t i) {
  Timer* t = heap_[i];
  const size_t n = heap_.size();
  for (;;) {
    size_t c = 2 * i + 1;
    if (c >= n) break;
    if (c + 1 < n && heap_[c + 1]->key < heap_[c]->key) ++c;
    if (heap_[c]->key >= t->key) break;
    place(i, heap_[c]);
    i = c;
  }
  place(i, t);
}

}  // namespace hearth
