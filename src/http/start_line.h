#pragma once
// Request-line and status-line parsing (RFC 9112 §3, §4). Each function gets
// one line without its CRLF; the caller has already guaranteed it holds no CR
// or LF.
#include <string_view>

#include "http/message.h"
#include "http/parse_result.h"

namespace hearth::http {

// Parses "HTTP/<d>.<d>". Only 1.0 and 1.1 are accepted.
// Returns: ok and sets *minor; 505 for a well-formed but unsupported version
// (HTTP/0.9, HTTP/1.2, HTTP/2.0, ...: no real HTTP/1.1 peer sends those in an
// h1 line, and RFC 9110 §15.6.6 names 505 for a refused major version); 400
// for anything else (lower case, missing digits, "HTTP/2", trailing bytes).
HeadError parse_version(std::string_view text, int* minor);

// Parses "method SP request-target SP HTTP-version" with single spaces,
// classifies the target form and checks it against the method:
//   origin-form "/..." for any method but CONNECT; asterisk-form "*" for
//   OPTIONS only; authority-form "host:port" for CONNECT only (and CONNECT
//   accepts nothing else); absolute-form "http://" or "https://" followed by
//   an authority without userinfo. Other schemes are refused: this is a
//   reverse proxy, not a forward one.
// Sets method, method_str, target, target_form, authority, path, version_minor.
// Returns: ok, 400, or 505 (see parse_version).
HeadError parse_request_line(std::string_view line, RequestHead* out);

// Parses "HTTP-version SP 3DIGIT [SP reason-phrase]". The SP before an empty
// reason is optional: servers omit it and it cannot affect framing.
// Requires a status in 100..599. Sets status, reason, version_minor.
// Returns: ok or 400 (the caller maps every response error to 502).
HeadError parse_status_line(std::string_view line, ResponseHead* out);

// Returns: true if `s` is "host:port" or an absolute-form authority
// ("host[:port]") made only of host characters, with a non-empty host and,
// when present (or required), a 1-5 digit port. Userinfo ('@') is refused.
bool valid_authority(std::string_view s, bool port_required);

}  // namespace hearth::http
