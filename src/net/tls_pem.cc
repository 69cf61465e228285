#include "net/tls_pem.h"

#include <openssl/err.h>
#include <openssl/pem.h>

#include <cerrno>
#include <cstring>

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

bool read_pem(const std::string& path, Pem* p, std::string* err) {
  BIO* b = BIO_new_file(path.c_str(), "r");
  if (!b) {
    *err = "cannot open certificate file '" + path + "': " + std::strerror(errno);
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
  if (!p->key) p->key = read_key(path + ".key");
  ERR_clear_error();
  if (!p->key) {
    *err = "no private key in '" + path + "' nor in '" + path + ".key'";
    return false;
  }
  if (X509_check_private_key(p->cert, p->key) != 1) {
    ERR_clear_error();
    *err = "the private key of '" + path + "' does not match its certificate";
    return false;
  }
  return true;
}

}  // namespace hearth::net
