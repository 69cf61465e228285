#include "net/tls_stats.h"

#include <openssl/ssl.h>
#include <openssl/tls1.h>

namespace hearth::net {
namespace {

// What a ClientHello offered, kept on the SSL* until its handshake ends.
enum : uintptr_t { kOfferedId = 1, kOfferedTicket = 2, kOfferedPsk = 4, kNoted = 8 };

int offer_index() {
  static const int idx = SSL_get_ex_new_index(0, nullptr, nullptr, nullptr, nullptr);
  return idx;
}

bool has_ext(SSL* ssl, unsigned type, bool non_empty) {
  const unsigned char* p = nullptr;
  size_t len = 0;
  return SSL_client_hello_get0_ext(ssl, type, &p, &len) == 1 && (!non_empty || len > 0);
}

}  // namespace

TlsStats& tls_stats() {
  static TlsStats s;
  return s;
}

void start_tls_stats(int64_t now_ms) { tls_stats().origin_ms = now_ms; }

void note_tls_conn_start(bool accepted, int64_t now_ms) {
  TlsStats& s = tls_stats();
  s.cur_conns.fetch_add(1, std::memory_order_relaxed);
  s.cum_conns.fetch_add(1, std::memory_order_relaxed);
  if (accepted) s.fe_conns.add(s.since_origin(now_ms));
}

void note_tls_conn_end() { tls_stats().cur_conns.fetch_sub(1, std::memory_order_relaxed); }

void note_tls_client_hello(SSL* ssl) {
  const unsigned char* id = nullptr;
  uintptr_t bits = kNoted;
  if (SSL_client_hello_get0_session_id(ssl, &id) > 0) bits |= kOfferedId;
  if (has_ext(ssl, TLSEXT_TYPE_session_ticket, true)) bits |= kOfferedTicket;
  if (has_ext(ssl, TLSEXT_TYPE_psk, false)) bits |= kOfferedPsk;
  SSL_set_ex_data(ssl, offer_index(), reinterpret_cast<void*>(bits));
}

void note_tls_handshake_done(SSL* ssl, bool accepted, int64_t now_ms) {
  TlsStats& s = tls_stats();
  const bool resumed = SSL_session_reused(ssl) == 1;
  if (!resumed) (accepted ? s.fe_keys : s.be_keys).add(s.since_origin(now_ms));
  if (!accepted) return;
  const auto bits = reinterpret_cast<uintptr_t>(SSL_get_ex_data(ssl, offer_index()));
  bool lookup;
  if (SSL_version(ssl) >= TLS1_3_VERSION)
    // A PSK is looked up in the cache only when tickets are stateful
    // (no-tls-tickets); otherwise it is a ticket to decrypt.
    lookup = (bits & kOfferedPsk) && (SSL_get_options(ssl) & SSL_OP_NO_TICKET);
  else
    // A non-empty ticket is tried instead of the session ID, and never both.
    lookup = (bits & kOfferedId) && !(bits & kOfferedTicket);
  if (!lookup) return;
  s.cache_lookups.fetch_add(1, std::memory_order_relaxed);
  if (!resumed) s.cache_misses.fetch_add(1, std::memory_order_relaxed);
}

unsigned tls_frontend_reuse_pct(int64_t now_ms) {
  const TlsStats& s = tls_stats();
  const uint64_t sess = s.fe_conns.rate(s.since_origin(now_ms));
  const uint64_t keys = s.fe_keys.rate(s.since_origin(now_ms));
  if (keys >= sess) return 0;
  // As HAProxy: 100 - keys/sessions, the division rounded to the nearest.
  return unsigned(100 - (100 * keys + (sess - 1) / 2) / sess);
}

}  // namespace hearth::net
