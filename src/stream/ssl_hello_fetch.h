#pragma once
// The ClientHello capture fetches (tune.ssl.capture-buffer-size):
// ssl_fc_cipherlist_bin/_hex/_str/_xxh, ssl_fc_extlist_bin,
// ssl_fc_eclist_bin, ssl_fc_ecformats_bin, ssl_fc_protocol_hello_id.
#include <openssl/ssl.h>

#include <cstddef>
#include <string>

#include "expr/fetch.h"
#include "expr/sample.h"

namespace hearth::stream {

// Requires: id one of the fetches above. `args[0]` (optional): 1 leaves the
// GREASE values out of the lists that take it. Returns: false when nothing
// was captured (capture off, or the pool was exhausted).
bool fetch_hello(expr::FetchId id, const expr::Arg* args, size_t nargs, SSL* ssl,
                 std::string* scratch, expr::Sample& out);

}  // namespace hearth::stream
