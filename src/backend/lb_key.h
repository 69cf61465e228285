#pragma once
// What the hashing algorithms hash (balance source, uri, url_param, hdr,
// hash, rdp-cookie), and how hash-type turns a key into the 32-bit value that
// designates a server. Pure code: the stream finds the key in its request,
// these functions cut it and hash it exactly as HAProxy 2.6 does, so that the
// same key reaches the same server behind Hearth as behind HAProxy.
#include <cstddef>
#include <cstdint>
#include <optional>
#include <string_view>

#include "config/enums.h"

namespace hearth::backend::lb_key {

// What "balance uri" hashes of a request target.
struct UriOptions {
  int len = 0;             // at most this many bytes; 0: all
  int depth = 0;           // stop before the (depth+1)th '/'; 0: no limit
  bool whole = false;      // keep the query string ('?' does not stop)
  bool path_only = false;  // start at the path (an absolute URI loses scheme and authority)
};

// Returns: the part of `target` (the request-target as received) that
// balance uri hashes: from the start (or the path with path_only), at most
// `len` bytes, ended by the (depth+1)th '/' and, unless `whole`, by '?'.
std::string_view uri_key(std::string_view target, const UriOptions& o);

// Returns: the value of the first `name=` parameter of the query string of
// `target` (after its first '?'; parameters end at '&'; an empty value is a
// value), or nullopt if there is none. Names match byte for byte.
std::optional<std::string_view> url_param_value(std::string_view target, std::string_view name);

// Returns: the value of the first `name=` parameter of a POST's payload
// (`body`, as received so far; parameters end at '&'), or nullopt if there
// is none. As HAProxy's url_param on a POST: a value whose first byte is
// white space is empty, and one whose first byte is neither a token
// character nor white space means the payload is no form (nullopt).
std::optional<std::string_view> post_param_value(std::string_view body, std::string_view name);

// Returns: the main domain of a host name, as hdr(NAME) use_domain_only
// hashes it: the label before the last dot ("haproxy.1wt.eu" -> "1wt");
// the whole value when it has no dot after its first byte.
std::string_view domain_only(std::string_view v);

// Returns: balance source's key of an address: the XOR of its 32-bit words
// read in network order (IPv4: the address itself).
uint32_t source_key(const unsigned char* addr, size_t len);

// Returns: `key` hashed by hash-type's function, then avalanched if asked.
uint32_t hash_key(config::HashFunc func, bool avalanche, std::string_view key);

}  // namespace hearth::backend::lb_key
