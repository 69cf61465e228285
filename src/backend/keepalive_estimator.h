#pragma once
// Learns a server's keep-alive timeout from what happens to its idle connections,
// so that idle pools can retire connections shortly before the server would close
// them (a request sent on a connection the server is closing fails or needs a
// retry; a fresh connection only costs a handshake).
//
// Model: a server with a fixed keep-alive timeout T closes a connection after it
// has been idle ~T. Two kinds of evidence:
//   - observe_close(t): the server closed a connection idle t ms  => T ~ t, unless
//     the close had another cause (restart, eviction, max requests): an outlier;
//   - observe_alive(t): a connection idle t ms was reused successfully => T > t.
// Estimate (recomputed on each observation):
//   1. lower_bound = the largest of the last kWindow alive observations;
//   2. usable closes = the last kWindow closes, minus those contradicted by a
//      proven-alive idle time (close < lower_bound - 10%): those were early closes
//      with another cause;
//   3. no estimate until kMinCloses usable closes exist;
//   4. estimate = max(lower_bound, 25th percentile of usable closes). A low
//      quantile rather than the minimum: one stray early close must not collapse
//      the estimate (which would disable reuse), and late detections (a busy loop)
//      must not inflate it; it sits at the lower edge of the cluster around T.
// Both windows slide, so a server whose timeout changes is re-learned.
//
// Retire age = estimate - max(estimate / 4, 50 ms), never below 0: a quarter of
// the timeout absorbs server timer slack and the delay between the server's last
// byte and our parking of the connection; 50 ms covers short timeouts where a
// quarter is less than scheduling jitter. For a 200 ms timeout it is 150 ms.
//
// Thread-safety: one estimator per server, observed from every thread. Observers
// take a small mutex; readers read cached atomics and never block.
#include <array>
#include <atomic>
#include <cstdint>
#include <mutex>
#include <optional>
#include <vector>

#include "core/clock.h"

namespace hearth::backend {

class KeepAliveEstimator {
 public:
  static constexpr int kWindow = 16;    // recent observations kept, per kind
  static constexpr int kMinCloses = 3;  // usable closes needed for an estimate
  static constexpr int64_t kMinMarginMs = 50;

  KeepAliveEstimator();

  // The server closed a connection that had been idle idle_ms (< 0 counts as 0).
  void observe_close(int64_t idle_ms);
  // A connection idle for idle_ms was reused and the server answered on it.
  void observe_alive(int64_t idle_ms);

  // Returns: the learned keep-alive timeout, or nullopt while evidence is short.
  std::optional<int64_t> estimate_ms() const;
  // Returns: the idle age past which a connection should be retired instead of
  // reused; kNever (no limit) while there is no estimate.
  int64_t retire_age_ms() const;

  // Returns: the idle age up to which evidence says the server keeps a connection
  // open: the retire age once there is an estimate, and otherwise (or if larger)
  // 90% of the largest idle age a reused connection was answered at (the same
  // jitter tolerance as above). 0 with no evidence. A request that must not be
  // sent twice may reuse a connection idle up to this age (or the configured
  // reuse window, whichever is larger; the retire age still caps both).
  int64_t proven_idle_ms() const;

  // Returns: close observations discarded as contradicted by alive ones, among
  // those currently in the window (for stats and tests).
  int ignored_closes() const;

  // The evidence itself, oldest first, so another process can resume the
  // learning where this one is (the warm reload hands it to the new worker).
  struct Evidence {
    std::vector<int64_t> closes;
    std::vector<int64_t> alives;
  };
  Evidence evidence() const;
  // Replays `e` as observations (the newest kWindow of each kind count).
  void restore(const Evidence& e);

 private:
  struct Ring {
    std::array<int64_t, kWindow> v{};
    int size = 0;
    int next = 0;
    void push(int64_t x);
    std::vector<int64_t> oldest_first() const;
  };
  void recompute();  // Requires: mu_ held.

  mutable std::mutex mu_;  // guards the rings; the atomics are its published results
  Ring closes_;
  Ring alives_;
  int64_t alive_max_ = 0;              // the largest in alives_, as recompute() last saw it
  std::atomic<int64_t> estimate_{-1};  // -1: none
  std::atomic<int64_t> retire_age_;
  std::atomic<int64_t> proven_idle_{0};
  std::atomic<int> ignored_{0};
};

// Returns: the retire age for a given timeout estimate (see the header comment).
int64_t keepalive_retire_age(int64_t estimate_ms);

}  // namespace hearth::backend
