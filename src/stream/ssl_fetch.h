#pragma once
// The ssl_fc*, ssl_c_* and ssl_f_* fetches: the client connection's TLS
// session, its client certificate, the certificate the frontend presented
// and the ClientHello capture; the ssl_bc* and ssl_s_* fetches: the server
// connection's TLS session and the server's certificate (HAProxy manual
// 7.3.4).
#include <cstddef>

#include "expr/fetch.h"
#include "expr/sample.h"

namespace hearth::net {
class Connection;
}

namespace hearth::stream {

// Requires: def.id in [kSslFc, kSslFcProtocolHelloId]. Returns: false when the fetch has
// no value (not TLS, no client certificate, an entry that is not there);
// ssl_fc alone answers false rather than failing on a plain connection.
// Sets `out` to OpenSSL error `e` as HAProxy prints it (ERR_error_string:
// "error:0A000102:SSL routines::unsupported protocol"). Returns: false for 0.
bool openssl_error_sample(unsigned long e, expr::Sample& out);

bool fetch_ssl(const expr::FetchDef& def, const expr::Arg* args, size_t nargs,
               const net::Connection* client, expr::Sample& out);

// Requires: def.id in [kSslBc, kSslSVersion]. `server` is the stream's
// server connection (null: none yet, or already released). Returns: false
// when the fetch has no value; ssl_bc answers false on a plain connection.
bool fetch_ssl_bc(const expr::FetchDef& def, const expr::Arg* args, size_t nargs,
                  const net::Connection* server, expr::Sample& out);

}  // namespace hearth::stream
