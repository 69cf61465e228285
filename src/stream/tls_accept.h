#pragma once
// The handshake phase of an accepted TLS connection, between the
// tcp-request connection rules and the session: drives the transport's
// handshake on the event loop, bounded by "timeout client-hs" (else
// "timeout client"). A failed or timed-out handshake is counted, logged with
// HAProxy's connection error line, and the connection destroyed.
#include "net/connection.h"

namespace hearth::stream {

class Frontend;

// Called once the handshake of `c` completed.
using HandshakeDoneFn = void (*)(net::Connection* c, Frontend* fe);

// Starts (and, when it can, completes at once) the handshake of `c`.
// Requires: c's transport has a handshake (its ssl() is not null).
void await_tls_handshake(net::Connection* c, Frontend* fe, HandshakeDoneFn done);

// Returns: connections still in their handshake on the calling thread (for
// tests and "show pools"-like checks).
size_t tls_handshakes_in_progress();

}  // namespace hearth::stream
