#pragma once
// Learns a server's unannounced limit of requests per connection: a server
// that closes a connection after its Nth request without saying
// "connection: close" (worker recycling, per-connection request caps, a load
// balancer in front of the server). The idle pools then retire a connection
// once it served N requests, so that no request is ever sent as the (N+1)th
// (a non-idempotent one could not be replayed; an idempotent one would cost a
// retry), the way KeepAliveEstimator retires connections by idle age.
//
// Evidence:
//   - observe_served(k): a connection answered its kth request. The largest k
//     of the current and the previous interval is the proven count: the server
//     serves at least that many requests on one connection;
//   - observe_death(n): a connection that had served n requests died (closed
//     while idle, or before any byte of the answer to its (n+1)th request) at
//     an idle age the keep-alive timeout does not explain (the caller filters
//     those). It counts as evidence of a cap only if n >= the proven count then
//     (a death below what the server has been seen to serve has another cause).
// Estimate: among the deaths of the last kWindow kept (and younger than
// kEvidenceTtlMs), the most frequent count N (the smaller on a tie), if it was
// seen at least deaths_needed() times, makes more than half of them, and no
// connection has since been seen serving more than N. A cap only produces
// deaths at N; random deaths spread over counts and fall below the proven count.
// Random deaths still land at the proven count now and then (the busiest
// connection dies), and, while a cap is suspected, the connections waiting
// at the proven count die there one probe after another: with a background
// death rate p per reuse, k deaths in a row at one count happen by chance
// with probability p^(k-1). deaths_needed() is the smallest k >= kMinDeaths
// that makes it below kFalseCapOdds, p being the deaths below the proven
// count (which no cap explains) per reuse; a clean server needs kMinDeaths.
// The evidence expires so that a server whose cap was raised is re-learned (at
// the cost of up to kMinDeaths idempotent retries per kEvidenceTtlMs).
//
// Thread-safety: one estimator per server, observed from every thread. The
// request path only does relaxed atomic loads (and a compare-exchange when a
// count exceeds the proven one); deaths and the roll take a small mutex.
#include <array>
#include <atomic>
#include <cstdint>
#include <mutex>

namespace hearth::backend {

class RequestLimitEstimator {
 public:
  static constexpr int kWindow = 16;
  static constexpr int kMinDeaths = 3;
  static constexpr int kMaxDeaths = kWindow / 2;
  static constexpr double kFalseCapOdds = 0.001;
  static constexpr uint32_t kMinRateSample = 20;  // reuses before a rate is trusted whole
  static constexpr int64_t kEvidenceTtlMs = 60000;
  static constexpr uint32_t kMinTrusted = 2;  // requests trusted without proof
  static constexpr int64_t kProbeLeaseMs = 1000;

  // A connection answered its count-th request (count >= 1).
  void observe_served(uint32_t count) {
    uint32_t cur = cur_.load(std::memory_order_relaxed);
    while (count > cur) {
      if (cur_.compare_exchange_weak(cur, count, std::memory_order_relaxed)) {
        end_probe();  // a new count proven: the probe, if any, succeeded
        return;
      }
    }
  }
  // A connection that had served `served` requests died, for a reason its
  // idle age does not explain. Returns: true if the death is consistent with
  // a cap (served >= proven()) and was kept as evidence.
  bool observe_death(uint32_t served, int64_t now_ms);
  // A reused connection answered: the denominator of the background death
  // rate (see deaths_needed()).
  void note_reuse_answered() { answered_.fetch_add(1, std::memory_order_relaxed); }
  // Returns: how many deaths at one count make a cap, given the background
  // death rate (kMinDeaths on a server whose connections die only at a cap).
  int deaths_needed() const;
  // Starts a new interval of the proven count (the pool's purge does, every
  // pool-purge-delay) and drops expired evidence.
  void roll(int64_t now_ms);
  // An idempotent request went to the server in this interval: while some do,
  // they probe connection counts beyond the proven one, and requests that
  // cannot be replayed stay within it (see max_unproven_exchanges()).
  void note_idempotent() {
    if (!idem_cur_.load(std::memory_order_relaxed))
      idem_cur_.store(true, std::memory_order_relaxed);
  }

  // Returns: true while a death consistent with a cap was seen within
  // kEvidenceTtlMs: exploring beyond the proven count is then one probe at a
  // time. A server that never showed one is explored freely (serializing
  // would cost new connections whenever several connections reach the
  // proven count together).
  bool suspected(int64_t now_ms) const {
    return suspect_until_.load(std::memory_order_relaxed) > now_ms;
  }
  // Probing: one request at a time per server goes beyond the proven count
  // (an idempotent one, which a death costs only a replay). Concurrent probes
  // would all meet a cap at once, before the first death taught it.
  // Returns: true if the caller may probe (it holds the lease until a count
  // is proven, a death is observed, end_probe(), or kProbeLeaseMs passed).
  bool take_probe(int64_t now_ms) {
    int64_t until = probe_until_.load(std::memory_order_relaxed);
    return until <= now_ms && probe_until_.compare_exchange_strong(until, now_ms + kProbeLeaseMs,
                                                                   std::memory_order_relaxed);
  }
  void end_probe() {
    if (probe_until_.load(std::memory_order_relaxed))
      probe_until_.store(0, std::memory_order_relaxed);
  }
  // Returns: the most requests a connection may have served for a request
  // to take it without probing: max(proven(), kMinTrusted) - 1.
  uint32_t max_proven_exchanges() const {
    const uint32_t p = proven();
    return (p > kMinTrusted ? p : kMinTrusted) - 1;
  }

  // Returns: the largest number of requests one connection was seen to serve,
  // over the current and previous interval (0: none yet).
  uint32_t proven() const {
    const uint32_t a = cur_.load(std::memory_order_relaxed);
    const uint32_t b = prev_.load(std::memory_order_relaxed);
    return a > b ? a : b;
  }
  // Returns: the learned limit of requests per connection; 0 while none.
  uint32_t limit() const { return limit_.load(std::memory_order_relaxed); }
  // Returns: for a request that cannot be replayed, the most requests a
  // connection may already have served to carry it (it becomes the
  // (n+1)th): max(proven(), kMinTrusted) - 1 while a cap is suspected
  // (suspected(now_ms)) and idempotent requests explore beyond it; else
  // unbounded (UINT32_MAX): a server that never closed a connection the way
  // a cap does keeps its POSTs on warm connections (each keep-alive request
  // is "past the proven count" on a server's busiest connection), and so
  // does a server taking only POSTs.
  uint32_t max_unproven_exchanges(int64_t now_ms) const;
  // Returns: deaths kept as evidence (for stats and tests).
  int evidence_count() const { return kept_.load(std::memory_order_relaxed); }

 private:
  struct Death {
    uint32_t served = 0;
    int64_t at_ms = 0;
  };
  void recompute();             // Requires: mu_ held.
  void expire(int64_t now_ms);  // Requires: mu_ held.

  mutable std::mutex mu_;
  std::array<Death, kWindow> ring_{};
  int size_ = 0;  // the newest size_ entries before next_
  int next_ = 0;
  std::atomic<uint32_t> cur_{0}, prev_{0};
  std::atomic<bool> idem_cur_{false}, idem_prev_{false};
  std::atomic<uint32_t> limit_{0};
  std::atomic<int> kept_{0};
  // The background: deaths below the proven count, and answered reuses
  // (both halved by roll() once they pass kRateHorizon, so the rate follows
  // the recent past).
  static constexpr uint32_t kRateHorizon = 1024;
  std::atomic<uint32_t> stray_{0}, answered_{0};
  std::atomic<int64_t> probe_until_{0};    // the probe lease's end (0: free)
  std::atomic<int64_t> suspect_until_{0};  // see suspected()
};

}  // namespace hearth::backend
