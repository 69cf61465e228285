#include "net/tls_pem.h"

#include <openssl/err.h>
#include <openssl/pem.h>
#include <openssl/x509_vfy.h>

#include <cerrno>
#include <cstring>
#include <optional>

#include "net/cert_store.h"
#include "net/tls_settings.h"

namespace hearth::net {
namespace {

// A key or certificate protected by a passphrase cannot be asked for: fail.
int no_passphrase(char*, int, int, void*) { return 0; }

// Returns: the private key of `path` (its first PEM private key), or nullptr.
EVP_PKEY* read_key(const std::string& path) {
  BIO* b = BIO_new_file(path.c_str(), "r");
  if (!b) return nullptr;
  EVP_PKEY* k = PEM_read_bio_PrivateKey(b, nullptr, no_passphrase, nullptr);
  BIO_free(b);
  return k;
}

}  // namespace

// Returns: OpenSSL's last queued error as text ("" if none); clears the queue.
std::string openssl_error() {
  unsigned long e = 0, last = 0;
  while ((e = ERR_get_error()) != 0) last = e;
  if (!last) return "";
  char buf[256];
  ERR_error_string_n(last, buf, sizeof buf);
  return buf;
}

Pem::~Pem() {
  X509_free(cert);
  sk_X509_pop_free(chain, X509_free);
  EVP_PKEY_free(key);
  EVP_PKEY_free(dh);
}

bool read_pem(const std::string& path, Pem* p, std::string* err, const std::string* text) {
  std::optional<std::string> stored;
  bool from_file = false;
  if (!text) {
    stored = PemStore::certs().pem(path, err, &from_file);
    if (!stored) return false;
    text = &*stored;
  }
  BIO* b = BIO_new_mem_buf(text->data(), int(text->size()));
  if (!b) {
    *err = "out of memory reading certificate '" + path + "'";
    ERR_clear_error();
    return false;
  }
  p->cert = PEM_read_bio_X509_AUX(b, nullptr, no_passphrase, nullptr);
  if (!p->cert) {
    BIO_free(b);
    *err = "no certificate found in '" + path + "' (" + openssl_error() + ")";
    return false;
  }
  p->chain = sk_X509_new_null();
  while (X509* x = PEM_read_bio_X509(b, nullptr, no_passphrase, nullptr)) sk_X509_push(p->chain, x);
  ERR_clear_error();  // the end of the file ends the loop with an error
  BIO_seek(b, 0);
  p->key = PEM_read_bio_PrivateKey(b, nullptr, no_passphrase, nullptr);
  ERR_clear_error();
  BIO_seek(b, 0);
  p->dh = PEM_read_bio_Parameters(b, nullptr);
  ERR_clear_error();
  BIO_free(b);
  const std::string key_path = key_file_of(path);
  if (!p->key && !key_path.empty()) p->key = read_key(key_path);
  ERR_clear_error();
  if (!p->key) {
    *err = "no private key in '" + path + "'" +
           (key_path.empty() ? std::string() : " nor in '" + key_path + "'");
    return false;
  }
  if (X509_check_private_key(p->cert, p->key) != 1) {
    ERR_clear_error();
    *err = "the private key of '" + path + "' does not match its certificate";
    return false;
  }
  if (from_file) PemStore::certs().keep(path, *text);
  return true;
}

bool set_common_ctx(SSL_CTX* ctx, uint64_t extra_opts, int min_version, int max_version,
                    const std::string& ciphers, const std::string& ciphersuites, std::string* err) {
  SSL_CTX_set_options(ctx,
                      SSL_OP_NO_COMPRESSION | SSL_OP_NO_RENEGOTIATION | SSL_OP_ALL | extra_opts);
  SSL_CTX_set_mode(ctx, SSL_MODE_RELEASE_BUFFERS | SSL_MODE_ENABLE_PARTIAL_WRITE |
                            SSL_MODE_ACCEPT_MOVING_WRITE_BUFFER);
  if (!SSL_CTX_set_min_proto_version(ctx, min_version) ||
      !SSL_CTX_set_max_proto_version(ctx, max_version)) {
    *err = "OpenSSL refuses the protocol versions: " + openssl_error();
    return false;
  }
  const std::string list = ciphers.empty() ? std::string(kDefaultTlsCiphers) : ciphers;
  if (SSL_CTX_set_cipher_list(ctx, list.c_str()) != 1) {
    *err = "OpenSSL refuses the cipher list '" + list + "': " + openssl_error();
    return false;
  }
  if (!ciphersuites.empty() && SSL_CTX_set_ciphersuites(ctx, ciphersuites.c_str()) != 1) {
    *err = "OpenSSL refuses the TLS 1.3 cipher suites '" + ciphersuites + "': " + openssl_error();
    return false;
  }
  return true;
}

PemObjects::PemObjects() : certs(sk_X509_new_null()), crls(sk_X509_CRL_new_null()) {}

PemObjects::~PemObjects() {
  sk_X509_pop_free(certs, X509_free);
  sk_X509_CRL_pop_free(crls, X509_CRL_free);
}

bool parse_pem_objects(const std::string& text, PemObjects* out) {
  BIO* b = BIO_new_mem_buf(text.data(), int(text.size()));
  if (!b) return false;
  STACK_OF(X509_INFO)* infos = PEM_X509_INFO_read_bio(b, nullptr, no_passphrase, nullptr);
  BIO_free(b);
  const bool ok = infos != nullptr;
  ERR_clear_error();
  for (int i = 0; infos && i < sk_X509_INFO_num(infos); ++i) {
    X509_INFO* info = sk_X509_INFO_value(infos, i);
    if (info->x509) {
      sk_X509_push(out->certs, info->x509);
      info->x509 = nullptr;
    }
    if (info->crl) {
      sk_X509_CRL_push(out->crls, info->crl);
      info->crl = nullptr;
    }
  }
  sk_X509_INFO_pop_free(infos, X509_INFO_free);
  return ok;
}

namespace {

// Reads `path` through `store` and parses it. Returns: false with *err.
bool read_objects(PemStore& store, const std::string& path, const char* what, PemObjects* out,
                  std::string* err) {
  bool from_file = false;
  const std::optional<std::string> text = store.pem(path, err, &from_file);
  if (!text) return false;
  if (!parse_pem_objects(*text, out)) {
    *err = std::string("cannot read ") + what + " '" + path + "': not PEM";
    return false;
  }
  if (from_file) store.keep(path, *text);
  return true;
}

}  // namespace

bool load_ca_file(SSL_CTX* ctx, const std::string& path, bool names, std::string* err) {
  PemObjects o;
  if (!read_objects(PemStore::ca_files(), path, "CA file", &o, err)) return false;
  if (sk_X509_num(o.certs) == 0) {
    *err = "no certificate in CA file '" + path + "'";
    return false;
  }
  X509_STORE* store = SSL_CTX_get_cert_store(ctx);
  STACK_OF(X509_NAME)* list = names ? sk_X509_NAME_new_null() : nullptr;
  for (int i = 0; i < sk_X509_num(o.certs); ++i) {
    X509* x = sk_X509_value(o.certs, i);
    X509_STORE_add_cert(store, x);  // a duplicate is not an error
    if (!list) continue;
    const X509_NAME* subject = X509_get_subject_name(x);
    bool seen = false;
    for (int j = 0; j < sk_X509_NAME_num(list) && !seen; ++j)
      seen = X509_NAME_cmp(sk_X509_NAME_value(list, j), subject) == 0;
    if (!seen) sk_X509_NAME_push(list, X509_NAME_dup(subject));
  }
  ERR_clear_error();
  if (list) SSL_CTX_set_client_CA_list(ctx, list);
  return true;
}

bool load_crl_file(SSL_CTX* ctx, const std::string& path, std::string* err) {
  PemObjects o;
  if (!read_objects(PemStore::crl_files(), path, "CRL file", &o, err)) return false;
  if (sk_X509_CRL_num(o.crls) == 0) {
    *err = "cannot load CRL file '" + path + "': no revocation list in it";
    return false;
  }
  X509_STORE* store = SSL_CTX_get_cert_store(ctx);
  for (int i = 0; i < sk_X509_CRL_num(o.crls); ++i)
    X509_STORE_add_crl(store, sk_X509_CRL_value(o.crls, i));
  ERR_clear_error();
  X509_STORE_set_flags(store, X509_V_FLAG_CRL_CHECK | X509_V_FLAG_CRL_CHECK_ALL);
  return true;
}

}  // namespace hearth::net
