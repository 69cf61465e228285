#pragma once
// The http-request actions that rewrite the request line: set-path,
// set-pathq, set-query, set-uri, replace-path, replace-pathq, replace-uri
// and set-method (HAProxy manual 4.2), and normalize-uri.
#include "config/model.h"
#include "expr/fetch.h"
#include "http/msg.h"

namespace hearth::stream {

// Returns: true if `r` is one of them.
bool is_uri_rule(const config::HttpRule& r);
// Applies `r` to `head`. Returns: false for a failed rewrite (the result
// does not fit the head, or holds a byte a request line cannot carry).
bool apply_uri_rule(const config::HttpRule& r, http::MsgHead& head, expr::FetchContext& ctx);

// What normalize-uri did.
enum class NormalizeOutcome : uint8_t {
  kDone,     // the target is normalized (or had no path to normalize)
  kFailed,   // a failed rewrite: the new target does not fit the head
  kInvalid,  // a strict normalizer met an invalid sequence: 400, whatever strict-mode says
};
// Applies normalize-uri `r` to the head's target. Returns: the outcome.
NormalizeOutcome apply_normalize_uri(const config::HttpRule& r, http::MsgHead& head);

}  // namespace hearth::stream
