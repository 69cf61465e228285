#include "app/worker_isolation.h"

#include <condition_variable>
#include <mutex>

#include "app/worker.h"
#include "backend/server_list_lock.h"

namespace hearth::app {
namespace {

struct Isolation {
  std::mutex mu;
  std::condition_variable cv;
  int parked = 0;
  bool released = false;
};

// On a worker's loop, between two tasklets: waits until released.
void park_cb(void* arg) {
  std::unique_ptr<std::shared_ptr<Isolation>> holder(static_cast<std::shared_ptr<Isolation>*>(arg));
  Isolation& st = **holder;
  std::unique_lock<std::mutex> lk(st.mu);
  if (st.released) return;  // the isolation gave up, or is over
  ++st.parked;
  st.cv.notify_all();
  st.cv.wait(lk, [&] { return st.released; });
}

}  // namespace

bool WorkerIsolation::run(const std::function<void()>& fn,
                          std::chrono::milliseconds timeout) const {
  auto st = std::make_shared<Isolation>();
  const int n = int(workers_->size());
  for (const auto& w : *workers_) w->loop()->post(&park_cb, new std::shared_ptr<Isolation>(st));
  std::unique_lock<std::mutex> lk(st->mu);
  const bool all = st->cv.wait_for(lk, timeout, [&] { return st->parked == n; });
  if (all) {
    lk.unlock();
    {
      std::unique_lock<std::shared_mutex> g(backend::server_list_mutex());
      fn();
    }
    lk.lock();
  }
  st->released = true;
  st->cv.notify_all();
  return all;
}

}  // namespace hearth::app
