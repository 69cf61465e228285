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

// What a CA or CRL file holds, parsed from its PEM text: certificates, or
// revocation lists. Owns them.
struct PemObjects {
  STACK_OF(X509) * certs = nullptr;
  STACK_OF(X509_CRL) * crls = nullptr;
  PemObjects();
  PemObjects(const PemObjects&) = delete;
  PemObjects& operator=(const PemObjects&) = delete;
  ~PemObjects();
};
// Parses PEM `text` into *out. Returns: false if it holds something that is
// not PEM (nothing at all is fine: an empty file).
bool parse_pem_objects(const std::string& text, PemObjects* out);

// Loads the CAs of `path` (the CA store's text, net/cert_store.h, else the
// file, then kept) into ctx's verify store, and, with `names`, their subjects
// as the CA names a certificate request sends. Returns: false with *err.
bool load_ca_file(SSL_CTX* ctx, const std::string& path, bool names, std::string* err);

// Loads the revocation lists of `path` (the CRL store's text, else the file,
// then kept) into ctx's store and checks the whole chain against them.
// Returns: false with *err.
bool load_crl_file(SSL_CTX* ctx, const std::string& path, std::string* err);

}  // namespace hearth::net
