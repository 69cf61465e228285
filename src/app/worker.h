#pragma once
// A worker is one thread with its own event loop and its own listening sockets
// (SO_REUSEPORT), so threads share nothing on the accept path.
#include <atomic>
#include <memory>
#include <string>
#include <thread>
#include <unordered_map>
#include <vector>

#include "app/runtime.h"
#include "core/event_loop.h"
#include "core/timer.h"
#include "net/getsocks.h"
#include "net/listener.h"

namespace hearth::app {

class Worker {
 public:
  Worker(int index, Runtime* rt);
  ~Worker();
  // Opens this worker's listening sockets: the master's (listen_set), else
  // one received from the old process (adopted, -x), else a new one.
  // Returns: false with *err set.
  bool open_listeners(std::string* err);
  // The sockets open_listeners() opened, for `_getsocks` (expose-fd listeners).
  const std::vector<net::ExportedSocket>& exported() const { return exported_; }
  void start();  // runs the loop on a new thread
  void join();
  // Thread-safe: stop accepting, let live sessions finish, then exit the loop.
  void begin_stop();
  // Thread-safe: SIGTTOU / SIGTTIN, stop or start polling the listeners.
  void suspend_listeners(bool suspend);
  bool finished() const { return finished_.load(); }
  int index() const { return index_; }
  EventLoop* loop() { return &loop_; }
  // Requires: start() was called. Returns: the thread, for cpu-map.
  pthread_t native_thread() { return thread_.native_handle(); }

 private:
  static void housekeeping_cb(Timer* t, void* ctx);
  static void stop_cb(void* ctx);
  static void suspend_cb(void* ctx);
  static void resume_cb(void* ctx);
  static void parked_cb(void* ctx);
  void housekeeping();
  // Every server's pool on this thread: purge, or close all when not serving.
  void tick_pools();
  void close_idle_pools();
  // Warm reload: hands this thread's idle server connections to the newer
  // worker, when there is one (Runtime::handover_channel).
  void hand_over_idle_pools();

  int index_;
  Runtime* rt_;
  EventLoop loop_;
  Timer housekeeping_;
  std::vector<std::unique_ptr<net::Listener>> listeners_;
  std::vector<net::ExportedSocket> exported_;
  std::thread thread_;
  bool stopping_ = false;
  std::atomic<bool> finished_{false};
};

}  // namespace hearth::app
