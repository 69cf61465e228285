#pragma once
// A syslog server in a test: a UDP socket on 127.0.0.1 (a free port) or a
// unix datagram socket at a path, whose datagrams the test reads one by one.
#include <chrono>
#include <cstdint>
#include <optional>
#include <string>

#include "support/unique_fd.h"

namespace hearth::test {

class DatagramListener {
 public:
  // A UDP socket on 127.0.0.1 and a port the kernel picks.
  DatagramListener();
  // A unix datagram socket bound at `path` (replaced if it exists); `rcvbuf`
  // > 0 sets SO_RCVBUF.
  explicit DatagramListener(const std::string& path, int rcvbuf = 0);

  bool valid() const { return fd_.valid(); }
  uint16_t port() const { return port_; }
  // "127.0.0.1:PORT"
  std::string address() const { return "127.0.0.1:" + std::to_string(port_); }

  // Returns: the next datagram, or nullopt if none came within `timeout`.
  std::optional<std::string> next(std::chrono::milliseconds timeout = std::chrono::milliseconds{
                                      5000});
  // Returns: true if no datagram arrives within `quiet`.
  bool none_within(std::chrono::milliseconds quiet) { return !next(quiet).has_value(); }

 private:
  UniqueFd fd_;
  uint16_t port_ = 0;
};

}  // namespace hearth::test
