#pragma once
// The PROXY header phase of an accepted connection (bind accept-proxy, or a
// tcp-request connection expect-proxy rule): after the connection rules and
// before the TLS handshake and the session. The header is peeked at as bytes
// arrive (a header split across reads waits for the rest, on the event loop),
// consumed exactly once whole, and its addresses and TLVs kept in the
// Session. Bounded by "timeout client". A malformed, truncated or late header
// is counted (failed_proxy_headers, `show metrics`), logged with HAProxy's connection error
// line and the connection reset. See the state table in docs/architecture.md.
#include "net/connection.h"

namespace hearth::stream {

class Frontend;

// Called once the header of `c` was read.
using ProxyDoneFn = void (*)(net::Connection* c, Frontend* fe);

// Starts (and, when the header is already there, completes at once) the
// wait for the PROXY header of `c`, whose Session exists.
void await_proxy_header(net::Connection* c, Frontend* fe, ProxyDoneFn done);

// Returns: connections still waiting for their header on the calling thread.
size_t proxy_headers_in_progress();

}  // namespace hearth::stream
