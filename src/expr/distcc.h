#pragma once
// Reading distcc protocol tokens from the bytes a client (or server) sent
// (distcc_body, distcc_param: HAProxy manual 7.3.5). Pure code: reads stay
// inside the bytes given, nothing allocates.
//
// A distcc message is a sequence of tokens: 4 bytes of name ("DIST",
// "ARGC", "ARGV", "DOTI", ...), 8 hexadecimal digits (either case) of
// parameter, then, except for ARGC, DIST, NFIL, STAT and DONE whose parameter
// is a count or a status, a body of that many bytes.
#include <cstdint>
#include <string_view>

#include "expr/ssl_hello.h"

namespace hearth::expr {

// Returns: a token name (exactly 4 bytes) as the number distcc_find() takes.
uint32_t distcc_token(std::string_view name);

struct DistccToken {
  uint32_t param = 0;
  std::string_view body;  // what the bytes hold of it (possibly cut short)
  bool body_complete = false;
};

// Finds occurrence `occ` (from 1; 0: the first) of token `token` in `data`.
// Returns: kOk with *out; kIncomplete when the bytes end before it (more
// could bring it); kInvalid when a parameter is not 8 hexadecimal digits
// (the bytes are not distcc: never any sample).
HelloStatus distcc_find(std::string_view data, uint32_t token, uint32_t occ, DistccToken* out);

}  // namespace hearth::expr
