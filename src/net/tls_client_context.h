#pragma once
// The OpenSSL side of a "server ... ssl" line: one client SSL_CTX (verification,
// client certificate, ALPN, versions, ciphers) and the session kept for
// resumption, one per thread (as HAProxy: a new connection of a thread resumes
// the last session that thread got from the server, if it was for the same
// SNI). Built once at startup; the context is read-only afterwards and each
// session slot is only touched by its own thread.
#include <openssl/ssl.h>

#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "core/pool.h"
#include "net/tls_settings.h"

namespace hearth::net {

class TlsClientContext {
 public:
  ~TlsClientContext();
  TlsClientContext(const TlsClientContext&) = delete;
  TlsClientContext& operator=(const TlsClientContext&) = delete;

  // Loads the CA, CRL and client certificate files and builds the context.
  // Returns: the context, or nullptr with *err saying which file or setting
  // OpenSSL refused and why.
  static std::unique_ptr<TlsClientContext> build(const TlsClientSettings& s, std::string* err);

  // Returns: a new client-side SSL object, or nullptr when out of memory.
  SSL* new_ssl() const;
  // Sets what depends on the connection's server name `sni` ("": none sent):
  // the SNI extension, the name the certificate must carry under verify
  // required (the SNI, else verifyhost), and this thread's cached session if
  // it was made for the same SNI. Returns: false when OpenSSL refused.
  bool prepare(SSL* ssl, std::string_view sni) const;
  const TlsClientSettings& settings() const { return settings_; }

 private:
  struct Slot {
    SSL_SESSION* session = nullptr;
    std::string sni;  // the server name it was made with
  };
  TlsClientContext() = default;
  // OpenSSL hands over each new session (after a TLS 1.2 handshake, or with
  // a TLS 1.3 ticket): a copy replaces the slot of the thread. Returns: 0
  // (the session itself stays OpenSSL's).
  static int on_new_session(SSL* ssl, SSL_SESSION* sess);

  TlsClientSettings settings_;
  SSL_CTX* ctx_ = nullptr;
  // One per thread (thread_index()); mutable: a cache, not the configuration.
  mutable Slot slots_[kMaxThreads];
};

}  // namespace hearth::net
