#pragma once
// Certificate files as a bind line loads them: a PEM with the certificate,
// its chain and the private key (or the key in FILE.key beside it), and DH
// parameters if any; and the names a certificate answers for SNI.
#include <openssl/ssl.h>

#include <string>
#include <vector>

namespace hearth::net {

// What one PEM file (and its ".key" companion) holds; owns it all.
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

// Returns: OpenSSL's last queued error as text ("" if none); clears the queue.
std::string openssl_error();

// Reads certificate file `path`: the first certificate, the chain after it,
// the key (here or in PATH.key) and any DH parameters; `text` is the PEM to
// read instead of the file's (nullptr: a certificate replaced through the
// CLI, "set ssl cert", if any, else the file). Returns: false with *err set.
bool read_pem(const std::string& path, Pem* p, std::string* err, const std::string* text = nullptr);

// Returns: the DNS names of the subjectAltName, or the CN when there is none,
// normalized and sorted.
std::vector<std::string> cert_names(X509* cert);

}  // namespace hearth::net
