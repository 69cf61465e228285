#pragma once
// The key a backend's hashing algorithm hashes, found in the stream: the
// client address (balance source), the request target (uri, url_param), a
// header (hdr), a sample expression (hash, rdp-cookie). lb_key.h cuts and
// hashes it as HAProxy does.
#include "backend/backend.h"
#include "expr/sample.h"
#include "http/msg.h"
#include "net/address.h"

namespace hearth::stream {

// Sets req->key and req->has_key for be's algorithm (left unset for the
// others, and when the request has no key: no such header or parameter,
// an expression without a result). `head` is the HTTP request, or null in a
// TCP stream (uri, url_param and hdr then have no key); `payload` the
// request's payload received so far (url_param searches a POST's);
// `fetch` evaluates balance hash's expression and rdp-cookie's.
void set_lb_key(const backend::Backend& be, const net::Address& client, const http::MsgHead* head,
                std::string_view payload, expr::FetchContext& fetch, backend::LbRequest* req);

}  // namespace hearth::stream
