#pragma once
// The new worker's end of the warm reload's direct channel: the master makes
// it before forking the new worker, which reads it from its start, and gives
// the other end to the workers it replaces with `leave`. They write their idle
// server connections into it (app/idle_handover.h), and whoever needs them
// first reads them into the servers' inboxes: a worker thread whose pool has
// nothing idle for a request (it reads the channel itself, so a client that
// reconnects at once finds the connection its old worker just sent, without
// waiting for another thread to wake up), or the main thread at its next
// tick. See docs/architecture.md, "Warm reload".
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
  // Reads what every channel holds, without waiting for a writer; a channel
  // whose writers left is closed. Another thread already reading: waits for
  // it to finish, then reads what came since (a thread whose pool is empty
  // must not give up on a connection another thread is reading).
  void read_all();

 private:
  static void starved_cb(void* ctx);

  const std::vector<std::unique_ptr<backend::Backend>>* backends_;
  std::mutex mu_;
  std::vector<int> fds_;
};

}  // namespace hearth::app
