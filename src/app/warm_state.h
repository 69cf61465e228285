#pragma once
// The warm reload's server knowledge: what the current worker knows about its
// servers, handed to the worker that replaces it so that the first requests
// after a reload go where the old worker would have sent them (never to a
// server it knew DOWN or in maintenance) and reuse keeps the keep-alive
// timeouts it learned. See docs/architecture.md, "Warm reload".
//
// Path: the master asks the current worker ("warm-state?") just before it
// forks the new one; the answer travels as channel messages (the master
// gathers them), and the new worker, forked from the master, finds it in
// memory and applies it while its runtime is built, before any check runs.
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace hearth::backend {
class Backend;
}

namespace hearth::app {

struct WarmState {
  // The servers' rows in `show servers state` format (version 1).
  std::string servers;
  // The keep-alive evidence, one line per server with any:
  // "BACKEND SERVER c=MS,MS,... a=MS,MS,..." (closes, then alives, oldest first).
  std::string keepalive;
  bool empty() const { return servers.empty() && keepalive.empty(); }
};

// Returns: what the worker's backends know now.
WarmState collect_warm_state(const std::vector<backend::Backend*>& backends, int64_t now_ms);

// The request the master sends the current worker.
inline constexpr std::string_view kWarmStateRequest = "warm-state?";

// Sends `st` as a sequence of messages ending with "warm-end".
// Returns: false if the channel failed.
bool send_warm_state(int channel, const WarmState& st);

// Gathers the messages send_warm_state() produced.
class WarmStateReader {
 public:
  // Returns: true when `msg` belonged to a warm state (consumed).
  bool feed(std::string_view msg);
  bool complete() const { return complete_; }
  WarmState& state() { return st_; }

 private:
  WarmState st_;
  bool complete_ = false;
};

// The master's side: asks the worker on `channel` and waits up to
// timeout_ms for the whole answer. Messages of another kind that arrive
// meanwhile are dropped (their descriptors closed).
// Returns: false (and *out empty) on timeout or a closed channel.
bool fetch_warm_state(int channel, int timeout_ms, WarmState* out);

}  // namespace hearth::app
