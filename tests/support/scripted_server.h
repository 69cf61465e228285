#pragma once
// A fake backend running custom, blocking code per connection, one thread each.
#include <atomic>
#include <chrono>
#include <cstdint>
#include <functional>
#include <list>
#include <memory>
#include <mutex>
#include <string>
#include <thread>

#include "support/fake_server.h"

namespace hearth::test {

// Listens on 127.0.0.1:<ephemeral>; runs handler(fd) on a new thread for each
// accepted connection (a blocking socket). The handler must not close fd:
// the server closes it when the handler returns (so returning at once means
// "accept then close"; setting SO_LINGER {1, 0} first means "reset"). stop()
// shuts every open connection down, so a handler blocked in recv() sees EOF
// and one in send() sees an error; handlers must then return promptly.
class ScriptedServer : public FakeBackend {
 public:
  using Handler = std::function<void(int fd)>;

  // port 0: an ephemeral port; otherwise that port (aborts if it is taken).
  explicit ScriptedServer(Handler handler, uint16_t port = 0);
  ~ScriptedServer() override;
  ScriptedServer(const ScriptedServer&) = delete;
  ScriptedServer& operator=(const ScriptedServer&) = delete;

  uint16_t port() const override { return port_; }
  uint64_t accepted() const override { return accepted_.load(); }
  int active() const override { return active_.load(); }
  void stop() override;
  // Returns: true once stop() has begun (for handlers that loop or sleep).
  bool stopping() const { return stopping_.load(); }

 private:
  struct Worker {
    std::thread thread;
    int fd = -1;  // guarded by mu_; -1 once closed
    std::atomic<bool> done{false};
  };

  void accept_loop();
  void start_worker(int fd);
  void reap_done_workers();

  Handler handler_;
  int listen_fd_ = -1;
  int wake_fd_ = -1;
  uint16_t port_ = 0;
  std::atomic<uint64_t> accepted_{0};
  std::atomic<int> active_{0};
  std::atomic<bool> stopping_{false};
  std::mutex mu_;
  std::list<std::unique_ptr<Worker>> workers_;  // guarded by mu_
  std::thread acceptor_;
};

// Canned handlers for common backend misbehaviour.
namespace scripted {

// Accepts, then closes at once (FIN) without reading.
ScriptedServer::Handler close_immediately();
// Accepts, then resets (RST) at once.
ScriptedServer::Handler reset_immediately();
// Reads the first bytes the client sends, then resets (RST).
ScriptedServer::Handler reset_after_request();
// Reads and discards until the client (or stop()) closes; never writes.
ScriptedServer::Handler never_answer();
// Writes text at once, then closes.
ScriptedServer::Handler send_and_close(std::string text);
// Waits for the first bytes from the client, writes text, then closes.
ScriptedServer::Handler reply_and_close(std::string text);
// Waits for the first bytes from the client, then writes text one byte every
// `gap`, then closes.
ScriptedServer::Handler reply_slowly(std::string text, std::chrono::milliseconds gap);

}  // namespace scripted

}  // namespace hearth::test
