#pragma once
// What the certificate fetches read from one X.509 certificate, shared by the
// three families: ssl_c_* (the client's certificate), ssl_f_* (the
// certificate the frontend presented) and ssl_s_* (the server's, on a
// backend connection) (HAProxy manual 7.3.4).
#include <openssl/ssl.h>
#include <openssl/x509.h>

#include <cstddef>
#include <string>

#include "expr/fetch.h"
#include "expr/sample.h"

namespace hearth::stream {

enum class CertField : uint8_t {
  kDer,        // the certificate in DER (binary)
  kChainDer,   // the peer's chain as OpenSSL keeps it, each in DER, one after the other
  kKeyAlg,     // the public key's algorithm, short name ("rsaEncryption")
  kNotAfter,   // "YYMMDDhhmmssZ"
  kNotBefore,  // the same
  kIssuerDn,   // ([entry[,occ[,format]]])
  kSubjectDn,  // the same
  kSerial,     // binary
  kSha1,       // binary
  kSigAlg,     // the signature's algorithm, short name ("RSA-SHA256")
  kVersion,    // 1 + the X.509 version field (3 for v3)
};

// Fills `out` with `field` of `cert` (`ssl`: the connection, for the chain),
// building strings in `scratch`. Returns: false when there is no value.
bool fetch_cert_field(CertField field, X509* cert, SSL* ssl, const expr::Arg* args, size_t nargs,
                      std::string* scratch, expr::Sample& out);

}  // namespace hearth::stream
