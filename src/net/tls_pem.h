#pragma once
// Reading PEM files for TLS contexts, shared by the accepting side
// (tls_context) and the connecting side (tls_client_context).
#include <openssl/ssl.h>

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

// Reads a certificate file: the first certificate, the chain after it, the
// key (here or in PATH.key) and any DH parameters. A passphrase is never
// asked for. Returns: false with *err saying what is missing or wrong.
bool read_pem(const std::string& path, Pem* p, std::string* err);

}  // namespace hearth::net
