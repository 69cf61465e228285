#pragma once
// Checks that need the whole configuration, run after parsing.
#include <cstdint>
#include <optional>
#include <string_view>

#include "config/diagnostic.h"
#include "config/units.h"

namespace hearth::config {

// Cross-checks r.config and appends to r.errors (and r.warnings):
//   errors:   proxy names used twice (a frontend and a backend may share one);
//             a frontend or listen without bind, or with a malformed bind
//             address; a default_backend or use_backend naming no backend or
//             listen, or one of the other mode (HAProxy upgrades tcp to http;
//             Hearth does not yet); a server without a valid HOST:PORT; two servers
//             with the same name in one backend; weight outside 0..256 or a
//             negative maxconn.
//   warnings: a backend without servers; missing client/connect/server
//             timeouts; a proxy maxconn above the global one; http-request /
//             http-response rules in a tcp-mode proxy; option httplog in a
//             tcp-mode frontend; balance uri, url_param or hdr in a tcp-mode
//             backend, which then balances round robin (as HAProxy);
//             hash-balance-factor in a backend that neither hashes
//             consistently nor balances random (where it has no effect).
// Requires: r.config was produced by the parser (or built alike).
void validate(ParseResult& r);

}  // namespace hearth::config
