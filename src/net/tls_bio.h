#pragma once
// The BIO under a TLS connection: OpenSSL reads and writes the Connection's
// socket through it, with the raw transport's readiness rules, so that the
// TLS transport pays no more system calls than the raw one. A read shorter
// than asked means the socket is drained (tune.recv_enough permitting, and
// unless the peer's FIN is pending): kConnRecvReady is cleared and the next
// read answers "retry" without a system call, until the poller reports the
// socket readable again. With OpenSSL's read-ahead, one recv(2) then brings a
// whole request's records instead of a header read, a body read and a read
// that finds the socket empty.
#include <openssl/bio.h>

namespace hearth::net {

class Connection;

// Returns: a new BIO over c's socket (freed by the SSL object it is given to),
// or nullptr when OpenSSL is out of memory. Requires: c outlives the BIO.
BIO* new_connection_bio(Connection* c);

}  // namespace hearth::net
