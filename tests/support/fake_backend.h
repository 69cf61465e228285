#pragma once
// Ready-made fake backends. Each listens on 127.0.0.1:<ephemeral>, serves any
// number of concurrent connections on its own thread, and stops cleanly when
// destroyed. See fake_server.h for the shared interface (port, accepted,
// active, stop) and scripted_server.h for per-connection custom behaviour.
#include <atomic>
#include <cstdint>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include "support/fake_server.h"
#include "support/scripted_server.h"

namespace hearth::test {

// Echoes every byte back. On client EOF it sends FIN once everything is
// echoed, then closes: a half-close crosses a proxy and comes back.
class EchoServer : public FakeServer {
 public:
  EchoServer();
};

// Reads until EOF, then writes the 64-hex SHA-256 of what it read and closes.
class SinkHashServer : public FakeServer {
 public:
  struct Upload {
    uint64_t bytes;
    std::string sha256;
  };
  struct State {
    mutable std::mutex mu;
    std::vector<Upload> uploads;
  };

  SinkHashServer();
  // Returns: every completed upload (EOF seen), in completion order.
  std::vector<Upload> uploads() const;

 private:
  explicit SinkHashServer(std::shared_ptr<State> state);
  std::shared_ptr<State> state_;
};

// On each connection sends `size` bytes of pseudo_random_bytes(seed, size),
// then closes (the same bytes for every connection). Input is discarded.
class SourceServer : public FakeServer {
 public:
  struct State {
    uint64_t size;
    uint64_t seed;
    std::string sha256;                  // of the full payload
    std::atomic<uint64_t> completed{0};  // connections that got every byte
  };

  explicit SourceServer(uint64_t size, uint64_t seed = 1);
  uint64_t size() const { return state_->size; }
  // Returns: SHA-256 (64 hex) of the payload each connection receives.
  const std::string& expected_sha256() const { return state_->sha256; }
  // Returns: connections to which the whole payload was written.
  uint64_t completed() const { return state_->completed.load(); }

 private:
  explicit SourceServer(std::shared_ptr<State> state);
  std::shared_ptr<State> state_;
};

// On each connection writes "<name>\n", then discards input until EOF and
// closes. A client reads one line to learn which server it reached.
class NameServer : public FakeServer {
 public:
  explicit NameServer(std::string name);
  const std::string& name() const { return name_; }

 private:
  std::string name_;
};

}  // namespace hearth::test
