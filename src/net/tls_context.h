#pragma once
// The OpenSSL side of a "bind ... ssl" line: one SSL_CTX per group of
// certificates that serve the same names (an RSA and an ECDSA certificate of
// the same names share one, and OpenSSL picks by what the client supports),
// the SNI index over them, and the settings every context shares. Built once
// at startup; read-only afterwards, so every thread shares it.
#include <openssl/ssl.h>

#include <memory>
#include <string>
#include <vector>

#include "net/cert_names.h"
#include "net/tls_settings.h"

namespace hearth::net {

class TlsServerContext {
 public:
  ~TlsServerContext();
  TlsServerContext(const TlsServerContext&) = delete;
  TlsServerContext& operator=(const TlsServerContext&) = delete;

  // Loads the certificates and builds the contexts. Returns: the context, or
  // nullptr with *err saying which file or setting OpenSSL refused and why.
  static std::unique_ptr<TlsServerContext> build(const TlsBindSettings& s, std::string* err);

  // Returns: a new server-side SSL object on the default context (SNI may
  // switch it during the handshake), or nullptr when OpenSSL is out of memory.
  SSL* new_ssl() const;
  // Returns: how many certificate files were loaded (for messages and tests).
  size_t certificate_count() const { return cert_count_; }

 private:
  struct Group {
    SSL_CTX* ctx = nullptr;
    std::vector<std::string> names;  // normalized, sorted
    int key_types = 0;               // bit per EVP_PKEY base id family (kRsa, kEc, ...)
  };
  TlsServerContext() = default;
  // Returns: a context set up with everything but certificates, or nullptr.
  SSL_CTX* new_ctx(std::string* err);
  // Adds the certificate file `path`. Returns: false with *err set.
  bool add_cert_file(const std::string& path, std::string* err);
  // Adds every certificate file of directory `dir`, in name order.
  bool add_cert_dir(const std::string& dir, std::string* err);
  static int on_servername(SSL* ssl, int* alert, void* arg);
  static int on_alpn(SSL* ssl, const unsigned char** out, unsigned char* outlen,
                     const unsigned char* in, unsigned int inlen, void* arg);

  TlsBindSettings settings_;
  std::vector<Group> groups_;  // groups_[0] holds the default certificate
  CertNameIndex names_;
  std::string alpn_wire_;  // settings_.alpn in the ALPN wire format
  size_t cert_count_ = 0;
};

}  // namespace hearth::net
