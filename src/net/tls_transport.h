#pragma once
// The TLS transport: OpenSSL over the connection's socket, with the same
// rcv_buf/snd_buf/subscribe contract as the raw one. One transport object per
// bind line (it holds that line's contexts); each connection's SSL session
// hangs off the connection (Connection::xprt_ctx).
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "net/tls_bind_registry.h"
#include "net/tls_settings.h"
#include "net/transport.h"

namespace hearth::net {

// Why a handshake failed, in the words of HAProxy's connection error log.
enum class TlsFailure : uint8_t {
  kNone,
  kClosed,         // "Connection closed during SSL handshake"
  kSocketError,    // "Connection error during SSL handshake"
  kTimeout,        // "Timeout during SSL handshake" (set by whoever waits)
  kCaChain,        // "SSL client CA chain cannot be verified"
  kCertUntrusted,  // "SSL client certificate not trusted"
  kHandshake,      // "SSL handshake failure"
  kNoMemory,       // "Out of memory when initializing an SSL connection"
  // A server connection whose certificate does not name the host checked:
  // "Server presented an SSL certificate different from the configured one"
  // (verifyhost's name) or "... from the expected one" (the SNI sent).
  kServerMismatchConfigured,
  kServerMismatch,
};

// Returns: the log message for `f`.
const char* tls_failure_message(TlsFailure f);
// Returns: HAProxy's connection error number for `f` (fc_err: 0 none, 24
// closed, 25 socket error, 26 timeout, 28 memory, 30 CA chain, 31 client
// certificate, 32/33 server certificate not for verifyhost / the SNI, 34
// handshake failure).
int tls_failure_code(TlsFailure f);

// Builds the server-side TLS transport of a bind line. Returns: nullptr
// with *err set (which file or setting was refused, and why).
// `origin` tells the runtime API where the line is and how to make the
// settings of a crt-list line added at runtime.
std::unique_ptr<Transport> make_tls_server_transport(const TlsBindSettings& s, std::string* err,
                                                     TlsBindOrigin origin = {});

// Builds the client-side TLS transport of a server. Returns: nullptr with
// *err set (which file or setting was refused, and why).
std::unique_ptr<Transport> make_tls_client_transport(const TlsClientSettings& s, std::string* err);
// Takes the client side of `x` (a transport of make_tls_client_transport, or
// anything else: a no-op) out of the runtime API's view: a deleted server's,
// whose transport stays allocated while connections may still use it.
void tls_forget_client(Transport* x);

// Sets up an outgoing TLS connection before its handshake starts: the server
// name `sni` ("": none), the name its certificate is checked against, and
// the session to resume (tls_client_context). A no-op for other connections.
// Returns: false if OpenSSL refused (c should be closed).
bool tls_client_prepare(Connection* c, std::string_view sni);
// Replaces the protocols an outgoing TLS connection offers by ALPN (before
// its handshake; a tcp-check connect rule's "alpn"). A no-op for other
// connections. Returns: false if OpenSSL refused.
bool tls_client_set_alpn(Connection* c, const std::vector<std::string>& protos);
// Returns: the server name c's TLS session carries (what a client sent, or
// what we sent to a server), or "" (none, or not TLS).
std::string_view tls_server_name(const Connection* c);

// Returns: why c's handshake failed (kNone if it did not, or c is not TLS).
TlsFailure tls_failure(const Connection* c);
// The first client-certificate verification errors of an accepted
// connection (ssl_c_err, ssl_c_ca_err, ssl_c_ca_err_depth): X509_V_ERR_*
// numbers, 0: none.
struct TlsVerifyErrors {
  int crt_err = 0;       // at depth 0 (the certificate itself)
  int ca_err = 0;        // above (its chain)
  int ca_err_depth = 0;  // where ca_err was found
};
// Returns: c's errors (all 0 when c is not TLS or none was found).
TlsVerifyErrors tls_verify_errors(const Connection* c);

// Returns: the first OpenSSL error (ERR_* packed code) of c's TLS session
// (ssl_fc_err / ssl_bc_err), 0: none or not TLS.
unsigned long tls_ssl_error(const Connection* c);

// Returns: true if c's TLS handshake resumed a session (false: a full
// handshake, not done yet, or not TLS).
bool tls_resumed(const Connection* c);

// Returns: the bytes read from c's socket so far (0: the peer said nothing).
uint64_t tls_bytes_received(const Connection* c);
// Returns: true if c, a connection to a server whose handshake completed on
// our side (the caller knows: c was ready), was then refused by the server with a fatal alert before any
// application data came (TLS 1.3: the server checks our certificate after
// our handshake is done, e.g. a client certificate it does not trust): the
// server never read a request on it, so it counts as a connect failure.
// Records it as c's handshake failure.
bool tls_refused_after_handshake(Connection* c);
// Records that c's handshake timed out (for its log line).
void set_tls_timeout(Connection* c);

}  // namespace hearth::net
