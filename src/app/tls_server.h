#pragma once
// From a server line's TLS options (config::ServerTls) and the global TLS
// settings to the client-side TLS transports of that server: one for its
// traffic ("ssl") and, when they differ, one for its health checks
// ("check-ssl", "check-alpn").
#include <optional>
#include <string>

#include "backend/server.h"
#include "config/diagnostic.h"
#include "config/model.h"
#include "net/tls_settings.h"

namespace hearth::app {

// Applies ca-base/crt-base, ssl-default-server-* where the line sets nothing,
// ssl-server-verify when it has no "verify", and folds the version options.
// Returns: the settings, or nullopt with *err set (HAProxy's message for a
// verification without a CA file).
std::optional<net::TlsClientSettings> tls_server_settings(const config::ServerTls& t,
                                                          const config::TlsGlobal& g,
                                                          std::string* err);

// Returns: true if the server's health checks go over TLS: "check-ssl", or
// "ssl" without "no-check-ssl" and without a check "port" or "addr" (as HAProxy).
bool checks_over_tls(const config::ServerConfig& sc);

// Builds s's TLS transports (s->tls_xprt, s->check_tls_xprt) and points
// s->xprt / s->check_xprt at them; sets s->sni and s->check_sni.
// Returns: false with *err saying what was refused.
// `p`: its proxy; a "tcp-check|http-check connect ssl" rule there gets the
// server's TLS settings (s->check_tls_xprt) even on a server without ssl,
// as HAProxy, while its other connects stay as they were.
bool set_server_tls(const config::ProxyConfig& p, const config::ServerConfig& sc,
                    const config::TlsGlobal& g, backend::Server* s, std::string* err);

// hearth -c: builds the TLS contexts of every server, as HAProxy's check
// does, and adds an error (file, line, keyword) for each one refused.
void check_tls_servers(config::ParseResult* r);

}  // namespace hearth::app
