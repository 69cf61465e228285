#pragma once
// Thread isolation: runs a function on the calling thread while every worker
// thread is parked between two tasklets (a posted callback that waits), so
// that it may change what the workers read without locks (a backend's server
// list). The function also holds backend::server_list_mutex() exclusively.
// See docs/architecture.md, "Dynamic servers".
#include <chrono>
#include <functional>
#include <memory>
#include <vector>

namespace hearth::app {

class Worker;

class WorkerIsolation {
 public:
  explicit WorkerIsolation(const std::vector<std::unique_ptr<Worker>>* workers)
      : workers_(workers) {}
  // Requires: not called on a worker thread (it would wait for itself).
  // Returns: false, fn not run, if some worker did not park within `timeout`
  // (its loop stopped, or is stuck); the parked ones are released.
  bool run(const std::function<void()>& fn,
           std::chrono::milliseconds timeout = std::chrono::milliseconds(2000)) const;

 private:
  const std::vector<std::unique_ptr<Worker>>* workers_;
};

}  // namespace hearth::app
