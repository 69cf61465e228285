#pragma once
// Process-wide TLS counters, as HAProxy 2.6's `show info` reports them
// (MaxSslConns .. SslCacheMisses). Updated by the worker threads with relaxed
// atomics from the TLS transport, read by the runtime API.
#include <atomic>
#include <cstdint>

#include "core/rate_counter.h"

typedef struct ssl_st SSL;

namespace hearth::net {

struct TlsStats {
  std::atomic<int64_t> cur_conns{0};   // CurrSslConns: TLS connections open, both sides
  std::atomic<uint64_t> cum_conns{0};  // CumSslConns: every one since the start
  RateCounter fe_conns;                // SslRate: TLS connections accepted
  RateCounter fe_keys;                 // SslFrontendKeyRate: full (not resumed) handshakes
  RateCounter be_keys;                 // SslBackendKeyRate: full handshakes to servers
  // SslCacheLookups / SslCacheMisses: accepted handshakes that looked a
  // session up in the server-side cache (a TLS 1.2 session ID offered
  // without a ticket, or a TLS 1.3 PSK identity under no-tls-tickets), and
  // those that did not find it.
  std::atomic<uint64_t> cache_lookups{0};
  std::atomic<uint64_t> cache_misses{0};
  // The rates' seconds are counted from here (the process start), so that
  // a burst shortly after the start falls in one second, as with HAProxy,
  // whose clock starts at a fixed point of its period.
  std::atomic<int64_t> origin_ms{0};
  int64_t since_origin(int64_t now_ms) const {
    return now_ms - origin_ms.load(std::memory_order_relaxed);
  }
};

TlsStats& tls_stats();

// At startup: the rates' seconds start now (the loops' monotonic ms).
void start_tls_stats(int64_t now_ms);

// A TLS connection starts (`accepted`: on a bind line) or ends.
void note_tls_conn_start(bool accepted, int64_t now_ms);
void note_tls_conn_end();

// From the ClientHello callback: remembers on `ssl` whether the client
// offered a session ID, a session ticket, a PSK (for the cache counters).
void note_tls_client_hello(SSL* ssl);

// A handshake completed on `ssl` (`accepted`: on a bind line).
void note_tls_handshake_done(SSL* ssl, bool accepted, int64_t now_ms);

// SslFrontendSessionReuse_pct: the share of accepted TLS connections of the
// last second that resumed a session, rounded as HAProxy does. (now_ms: the
// loops' clock; every `now_ms` here is, the origin is taken off inside.)
unsigned tls_frontend_reuse_pct(int64_t now_ms);

}  // namespace hearth::net
