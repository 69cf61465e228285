#pragma once
// Runtime state of a frontend (or the front half of a listen section): its
// listeners on each thread, its limits, the backend it feeds and the resolved
// timeouts its streams use.
#include <atomic>
#include <cstdint>
#include <string>
#include <vector>

#include "backend/backend.h"
#include "net/listener.h"

namespace hearth::stream {

enum class ProxyMode { kTcp, kHttp };

// Milliseconds; 0 means "no timeout".
struct StreamTimeouts {
  int64_t connect = 0, client = 0, server = 0, tunnel = 0, client_fin = 0, server_fin = 0,
          queue = 0;
};

struct FrontendCounters {
  std::atomic<uint64_t> sessions{0};
  std::atomic<uint64_t> denied_maxconn{0};
  std::atomic<uint64_t> bytes_in{0}, bytes_out{0};
};

class Frontend {
 public:
  std::string name;
  ProxyMode mode = ProxyMode::kTcp;
  backend::Backend* backend = nullptr;
  StreamTimeouts timeouts;
  int retries = 3;
  bool redispatch = false;
  int maxconn = 0;  // 0: only the global limit
  bool log = false;
  FrontendCounters counters;
  std::atomic<int> cur_conns{0};

  // Listeners per thread index (owned by the worker that runs them).
  std::vector<std::vector<net::Listener*>> listeners_by_thread;

  // Returns: true if one more connection may be accepted now.
  bool may_accept() const;
  // A connection of this frontend ended on the calling thread's loop.
  void connection_closed();

  // Process-wide limit shared by every frontend (global maxconn).
  static void set_global_maxconn(int n);
  static int global_conns();
};

// Called by listeners for accepted sockets; ctx is the Frontend.
void frontend_accept(net::Listener* l, int fd, const net::Address& peer, void* ctx);
bool frontend_gate(void* ctx);

}  // namespace hearth::stream
