#pragma once
// The http-request actions that rewrite the request line: set-path,
// set-pathq, set-query, set-uri, replace-path, replace-pathq, replace-uri
// and set-method (HAProxy manual 4.2).
#include "config/model.h"
#include "expr/fetch.h"
#include "http/msg.h"

namespace hearth::stream {

// Returns: true if `r` is one of them.
bool is_uri_rule(const config::HttpRule& r);
// Applies `r` to `head`. Returns: false for a failed rewrite (the result
// does not fit the head, or holds a byte a request line cannot carry).
bool apply_uri_rule(const config::HttpRule& r, http::MsgHead& head, expr::FetchContext& ctx);

}  // namespace hearth::stream
