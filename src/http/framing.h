#pragma once
// Body framing of a response, which depends on the request it answers
// (RFC 9112 §6.3). Request framing is computed by the parser itself.
#include "http/message.h"
#include "http/method.h"

namespace hearth::http {

// Requires: `head` comes from a successful HeadParser::parse_response.
// Returns, in this order of precedence:
//   101 -> kTunnel; other 1xx -> kNone (an interim response: another follows);
//   2xx to CONNECT -> kTunnel; any response to HEAD, 204, 304 -> kNone;
//   Transfer-Encoding with chunked last -> kChunked; Transfer-Encoding
//   without chunked last -> kCloseDelimited; Content-Length -> that length;
//   otherwise kCloseDelimited.
BodyFraming response_framing(Method request_method, const ResponseHead& head);

// Returns: true when the server connection can carry another exchange after
// this response: the head allows keep-alive and the framing ends the message
// without closing (not close-delimited, not a tunnel).
bool response_keeps_alive(const ResponseHead& head, const BodyFraming& framing);

// Returns: true when the response starts a connection-bound authentication: a
// 401 with WWW-Authenticate (or a 407 with Proxy-Authenticate) offering the
// NTLM or Negotiate scheme. Such a handshake authenticates the connection, not
// the requests, so the server connection must stay with this client from now on.
bool binds_connection_auth(const ResponseHead& head);

}  // namespace hearth::http
