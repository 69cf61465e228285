#pragma once
// What the accepting side (tls_context) and the connecting side
// (tls_client_context) share: reading PEM files, and the setup every Hearth
// TLS context gets.
#include <openssl/ssl.h>

#include <cstdint>
#include <string>

namespace hearth::net {

// Returns: OpenSSL's last queued error as text ("" if none); clears the queue.
std::string openssl_error();

// What one PEM file (and its ".key" companion) holds. Owns what it points to.
struct Pem {
  X509* cert = nullptr;
  STACK_OF(X509) * chain = nullptr;
  EVP_PKEY* key = nullptr;
  EVP_PKEY* dh = nullptr;
  Pem() = default;
  Pem(const Pem&) = delete;
  Pem& operator=(const Pem&) = delete;
  ~Pem();
};

// Reads certificate file `path`: the first certificate, the chain after it,
// the key (here or in PATH.key) and any DH parameters. A passphrase is never
// asked for. `text` is the PEM to read (nullptr: the certificate store's,
// net/cert_store.h, else the file's, which a good read then stores).
// Returns: false with *err saying what is missing or wrong.
bool read_pem(const std::string& path, Pem* p, std::string* err, const std::string* text = nullptr);

// Sets what every context shares: no compression, no renegotiation,
// OpenSSL's bug workarounds and `extra_opts`; released buffers while idle and
// partial, moving writes; the versions [min, max]; the TLS 1.2 ciphers
// (empty: kDefaultTlsCiphers) and TLS 1.3 suites (empty: OpenSSL's).
// Returns: false with *err naming what OpenSSL refused.
bool set_common_ctx(SSL_CTX* ctx, uint64_t extra_opts, int min_version, int max_version,
                    const std::string& ciphers, const std::string& ciphersuites, std::string* err);

// Loads the revocation lists of `path` (PEM) into ctx's store and checks the
// whole chain against them. Returns: false with *err.
bool load_crl_file(SSL_CTX* ctx, const std::string& path, std::string* err);

}  // namespace hearth::net
