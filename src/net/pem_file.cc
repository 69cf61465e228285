#include "net/pem_file.h"

#include <openssl/err.h>
#include <openssl/pem.h>
#include <openssl/x509v3.h>

#include <algorithm>
#include <cerrno>
#include <cstring>

#include "net/cert_names.h"
#include "net/tls_bind_registry.h"

namespace hearth::net {

// Returns: OpenSSL's last queued error as text ("" if none); clears the queue.
std::string openssl_error() {
  unsigned long e = 0, last = 0;
  while ((e = ERR_get_error()) != 0) last = e;
  if (!last) return "";
  char buf[256];
  ERR_error_string_n(last, buf, sizeof buf);
  return buf;
}

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

// Reads a certificate file: the first certificate, the chain after it, the
// key (here or in PATH.key) and any DH parameters. Returns: false with *err.
// `text`: the PEM to read instead of the file's (nullptr: a certificate
// replaced through the CLI ("set ssl cert") if any, else the file).
bool read_pem(const std::string& path, Pem* p, std::string* err, const std::string* text) {
  std::optional<std::string> replaced;
  if (!text) replaced = TlsBindRegistry::instance().replaced_pem(path);
  if (replaced) text = &*replaced;
  BIO* b =
      text ? BIO_new_mem_buf(text->data(), int(text->size())) : BIO_new_file(path.c_str(), "r");
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

// Returns: the DNS names of the subjectAltName, or the CN when there is none,
// normalized and sorted.
std::vector<std::string> cert_names(X509* cert) {
  std::vector<std::string> out;
  auto* sans =
      static_cast<GENERAL_NAMES*>(X509_get_ext_d2i(cert, NID_subject_alt_name, nullptr, nullptr));
  for (int i = 0; sans && i < sk_GENERAL_NAME_num(sans); ++i) {
    const GENERAL_NAME* g = sk_GENERAL_NAME_value(sans, i);
    if (g->type != GEN_DNS) continue;
    const ASN1_IA5STRING* s = g->d.dNSName;
    out.push_back(normalize_server_name(std::string_view(
        reinterpret_cast<const char*>(ASN1_STRING_get0_data(s)), size_t(ASN1_STRING_length(s)))));
  }
  GENERAL_NAMES_free(sans);
  if (out.empty()) {
    X509_NAME* subject = X509_get_subject_name(cert);
    const int at = X509_NAME_get_index_by_NID(subject, NID_commonName, -1);
    if (at >= 0) {
      ASN1_STRING* s = X509_NAME_ENTRY_get_data(X509_NAME_get_entry(subject, at));
      out.push_back(normalize_server_name(std::string_view(
          reinterpret_cast<const char*>(ASN1_STRING_get0_data(s)), size_t(ASN1_STRING_length(s)))));
    }
  }
  std::sort(out.begin(), out.end());
  return out;
}

Pem::~Pem() {
  X509_free(cert);
  sk_X509_pop_free(chain, X509_free);
  EVP_PKEY_free(key);
  EVP_PKEY_free(dh);
}

}  // namespace hearth::net
