#pragma once
// The common face of fake backends, and FakeServer: an epoll loop on its own
// thread that runs one Session per accepted connection.
#include <atomic>
#include <chrono>
#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <string_view>
#include <thread>
#include <unordered_map>

namespace hearth::test {

// What every fake backend offers a test. Counters may be read from any thread.
class FakeBackend {
 public:
  virtual ~FakeBackend() = default;
  // The 127.0.0.1 port it listens on (still returned after stop()).
  virtual uint16_t port() const = 0;
  // Connections accepted since start.
  virtual uint64_t accepted() const = 0;
  // Connections accepted and not yet closed by the server.
  virtual int active() const = 0;
  // Closes the listener (new connects are refused) and every connection, and
  // joins the server's threads. Idempotent. Call from the owning thread.
  virtual void stop() = 0;

  // Returns: true once accepted() >= n, false if timeout passes first.
  bool wait_accepted(uint64_t n, std::chrono::milliseconds timeout) const;
  // Returns: true once active() == n, false if timeout passes first.
  bool wait_active(int n, std::chrono::milliseconds timeout) const;
};

// One connection as its Session sees it. Output is queued and flushed when
// the socket is writable. Used only on the server thread.
class ConnIo {
 public:
  void write(std::string_view data);
  // Sends FIN once queued output is flushed; reading goes on.
  void shutdown_write() { want_shutw_ = true; }
  // Closes once queued output is flushed.
  void close() { want_close_ = true; }
  // Closes now with a reset (SO_LINGER 0); queued output is dropped.
  void reset() { want_reset_ = true; }
  // Returns: queued bytes not yet sent.
  size_t pending() const { return out_.size() - out_pos_; }

 private:
  friend class FakeServer;
  std::string out_;
  size_t out_pos_ = 0;
  bool want_shutw_ = false;
  bool want_close_ = false;
  bool want_reset_ = false;
};

// Behaviour of one connection. All callbacks run on the server thread.
class Session {
 public:
  virtual ~Session() = default;
  // Right after accept.
  virtual void on_open(ConnIo&) {}
  // Bytes from the client, in order.
  virtual void on_data(ConnIo&, std::string_view) {}
  // The client half-closed (EOF). Default: close once flushed.
  virtual void on_eof(ConnIo& io) { io.close(); }
  // All queued output was sent and no close/shutdown is requested; may write
  // more (called repeatedly while it does).
  virtual void on_drained(ConnIo&) {}
};

// Listens on 127.0.0.1:<ephemeral> and serves each connection with a Session
// made by the factory, on one thread. Reading pauses while more than 1 MiB of
// output is queued for a connection (so a client that does not read causes
// back-pressure, not unbounded memory). A connection is closed when its
// session asks, on a reset or error, or when the client hung up both ways.
// Aborts if it cannot listen.
class FakeServer : public FakeBackend {
 public:
  using SessionFactory = std::function<std::unique_ptr<Session>()>;

  explicit FakeServer(SessionFactory factory);
  ~FakeServer() override;
  FakeServer(const FakeServer&) = delete;
  FakeServer& operator=(const FakeServer&) = delete;

  uint16_t port() const override { return port_; }
  uint64_t accepted() const override { return accepted_.load(); }
  int active() const override { return active_.load(); }
  void stop() override;

  uint64_t bytes_received() const { return bytes_in_.load(); }
  uint64_t bytes_sent() const { return bytes_out_.load(); }

 private:
  struct Conn;

  void run();
  void accept_ready();
  void handle(Conn& c, uint32_t events);
  bool read_some(Conn& c);
  bool flush(Conn& c);
  // Closes c if finished, else updates its epoll interest. Returns: alive.
  bool settle(Conn& c);
  void destroy(Conn& c);

  SessionFactory factory_;
  int listen_fd_ = -1;
  int epoll_fd_ = -1;
  int wake_fd_ = -1;
  uint16_t port_ = 0;
  std::atomic<uint64_t> accepted_{0};
  std::atomic<int> active_{0};
  std::atomic<uint64_t> bytes_in_{0};
  std::atomic<uint64_t> bytes_out_{0};
  uint64_t next_id_ = 2;                                       // 0 = listener, 1 = wake fd
  std::unordered_map<uint64_t, std::unique_ptr<Conn>> conns_;  // server thread only
  std::thread thread_;
};

}  // namespace hearth::test
