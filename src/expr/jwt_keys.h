#pragma once
// The public keys jwt_verify may use, read from their files while the
// configuration loads (as HAProxy: no disk access once traffic flows). A key
// is found by the path the configuration wrote.
#include <openssl/evp.h>

#include <string>
#include <string_view>

namespace hearth::expr {

// Reads the PEM certificate (or bare public key) at `path` into the cache,
// unless it is there. Returns: false with *err if it cannot be read.
// Requires: no worker evaluates jwt_verify yet (the configuration loads).
bool load_jwt_key(const std::string& path, std::string* err);

// Returns: the key read from `path`, or nullptr. Safe from any thread once
// loading is over.
EVP_PKEY* find_jwt_key(std::string_view path);

}  // namespace hearth::expr
