#pragma once
// The new worker's end of the warm reload's direct channels: each leaving
// worker writes its idle server connections into one (app/idle_handover.h),
// and whoever needs them first reads them into the servers' inboxes: a worker
// thread whose pool has nothing idle for a request (it reads the channel
// itself, so a client that reconnects at once finds the connection its old
// worker just sent, without waiting for another thread to wake up), or the
// main thread at its next tick. See docs/architecture.md, "Warm reload".
//
// Thread-safety: add() and read_all() may be called from any thread.
#include <memory>
#include <mutex>
#include <vector>

namespace hearth::backend {
class Backend;
}

namespace hearth::app {

class HandoverFeed {
 public:
  explicit HandoverFeed(const std::vector<std::unique_ptr<backend::Backend>>* backends)
      : backends_(backends) {}
  // Closes the channels left, and stops the pools from calling it.
  ~HandoverFeed();
  HandoverFeed(const HandoverFeed&) = delete;
  HandoverFeed& operator=(const HandoverFeed&) = delete;

  // Takes a channel (its descriptor is the feed's); starts the pools'
  // calls (backend::ConnPool::set_starved_hook).
  void add(int fd);
  // Reads what every channel holds, without waiting; a channel whose
  // writer left is closed. Another thread already reading: returns at once.
  void read_all();

 private:
  static void starved_cb(void* ctx);

  const std::vector<std::unique_ptr<backend::Backend>>* backends_;
  std::mutex mu_;
  std::vector<int> fds_;
};

}  // namespace hearth::app
