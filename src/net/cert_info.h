#pragma once
// A certificate described as "show ssl cert FILE" prints it (HAProxy 2.6's
// fields: serial, validity, names, key algorithm, SHA-1 fingerprint, subject
// and issuer, then the chain's).
#include <openssl/x509.h>

#include <string>

namespace hearth::net {

// Returns: the lines from "Serial:" to the chain's "Chain Issuer:" ones, each
// ending with "\n".
std::string describe_certificate(X509* cert, STACK_OF(X509) * chain);

// Returns: a revocation list as "show ssl crl-file FILE" prints it (HAProxy
// 2.6's fields): version, signature algorithm, issuer, last and next update,
// then each revoked serial and date ("No Revoked Certificates." if none),
// each line ending with "\n".
std::string describe_crl(X509_CRL* crl);

}  // namespace hearth::net
