#pragma once
// The OpenSSL side of a "bind ... ssl" line: one SSL_CTX per certificate
// file, the SNI index over them (the ClientHello chooses among the
// certificates of a name by the signatures the client accepts: ECDSA or
// RSA), and a base context that new connections start on. Built once; read-only afterwards, so every thread
// shares it.
#include <openssl/ssl.h>

#include <memory>
#include <string>
#include <vector>

#include "net/cert_names.h"
#include "net/tls_settings.h"
#include "net/tls_ticket_keys.h"

namespace hearth::net {

class TlsServerContext {
 public:
  ~TlsServerContext();
  TlsServerContext(const TlsServerContext&) = delete;
  TlsServerContext& operator=(const TlsServerContext&) = delete;

  // Loads the certificates and builds the contexts. Returns: the context, or
  // nullptr with *err saying which file or setting OpenSSL refused and why.
  // `keys`: the line's ticket keys (tls-ticket-keys), shared by the contexts
  // it is rebuilt into; nullptr: OpenSSL's own.
  static std::unique_ptr<TlsServerContext> build(const TlsBindSettings& s,
                                                 std::shared_ptr<TlsTicketKeys> keys,
                                                 std::string* err);

  // Returns: a new server-side SSL object on the base context (the
  // ClientHello switches it to the certificate group its SNI selects), or
  // nullptr when OpenSSL is out of memory.
  SSL* new_ssl() const;
  // Returns: the bind line's settings.
  const TlsBindSettings& settings() const { return settings_; }
  // Returns: how many certificate files were loaded (for messages and tests).
  size_t certificate_count() const { return cert_count_; }
  // A certificate file as loaded (certificate and chain owned here).
  struct Loaded {
    std::string path;
    X509* cert = nullptr;
    STACK_OF(X509) * chain = nullptr;
    // Reads PEM text `pem` as the certificate file `file` (certificate, chain,
    // and a matching key, here or in FILE.key). Returns: false with *err set.
    bool read(const std::string& file, const std::string& pem, std::string* err);
    // Reads only the certificate and chain of `pem` (its key may be missing,
    // or not match yet). Returns: false with *err set.
    bool read_cert(const std::string& file, const std::string& pem, std::string* err);
    void clear();  // frees cert and chain
  };
  // Returns: every certificate file loaded, in load order.
  const std::vector<Loaded>& loaded() const { return loaded_; }

 private:
  // One certificate file and its context.
  struct Group {
    SSL_CTX* ctx = nullptr;
    const TlsBindSettings* settings = nullptr;  // the bind line's or a crt-list line's
    int sig = 0;                                // the key's signature: RSA, ECDSA, other
    std::string alpn_wire;                      // settings->alpn in the ALPN wire format
  };
  TlsServerContext() = default;
  // Returns: a context set up with everything of `s` but certificates, or nullptr.
  SSL_CTX* new_ctx(const TlsBindSettings& s, Group* g, std::string* err);
  // Adds what `entry` names: a certificate of the store, a file, a directory
  // or a multi-cert bundle. Returns: false with *err set.
  bool add_cert_entry(const TlsCertEntry& entry, std::string* err);
  // Adds the certificate file `path` of `entry`. Returns: false with *err set.
  bool add_cert_file(const std::string& path, const TlsCertEntry& entry, std::string* err);
  // Adds every certificate file of directory `dir`, in name order.
  bool add_cert_dir(const std::string& dir, const TlsCertEntry& entry, std::string* err);
  // Moves `ssl` to group g: its certificates, and its settings when they are
  // a crt-list line's own. Returns: false if OpenSSL refused a setting.
  bool switch_to(SSL* ssl, const Group& g) const;
  // Returns: the group that answers `host` for this ClientHello, or -1.
  int choose(SSL* ssl, std::string_view host) const;
  static int on_client_hello(SSL* ssl, int* alert, void* arg);
  static int on_servername(SSL* ssl, int* alert, void* arg);
  static int on_alpn(SSL* ssl, const unsigned char** out, unsigned char* outlen,
                     const unsigned char* in, unsigned int inlen, void* arg);

  TlsBindSettings settings_;
  SSL_CTX* base_ = nullptr;  // the bind line's settings, no certificate
  Group base_group_;
  std::vector<std::unique_ptr<Group>> groups_;  // groups_[0] holds the default certificate
  CertNameIndex names_;
  std::shared_ptr<TlsTicketKeys> ticket_keys_;
  std::vector<Loaded> loaded_;
  size_t cert_count_ = 0;
};

}  // namespace hearth::net
