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

}  // namespace hearth::net
