#pragma once
// The credentials of a request's Authorization (or Proxy-Authorization)
// field, read as HAProxy 2.6 reads them for the http_auth* fetches.
#include <string_view>

#include "http/header_list.h"

namespace hearth::stream {

struct HttpCredentials {
  enum class Scheme { kBasic, kBearer } scheme = Scheme::kBasic;
  // Basic: the decoded user and password (views into a scratch chunk, valid
  // until four more chunks are taken, as any computed sample).
  std::string_view user, pass;
};

// Reads the first element of the first Authorization field (Proxy-
// Authorization when `proxy`): a scheme, spaces, then its data. A scheme
// that is a prefix of "Basic" (any case) is Basic: base64 of "user:pass"
// (cut at a NUL, as HAProxy's C strings); a prefix of "Bearer" is Bearer.
// Returns: false when the field is missing, another scheme, or malformed.
bool read_credentials(const http::HeaderList& fields, bool proxy, HttpCredentials* out);

}  // namespace hearth::stream
