#pragma once
// Reading the routing cookie of an RDP connection request from the first
// bytes a client sent, without speaking RDP (req.rdp_cookie,
// req.rdp_cookie_cnt). Pure code: reads stay inside the bytes given.
//
// The request is a TPKT header (version 3, 4 bytes), an X.224 connection
// request header (7 bytes), then one text line "Cookie: NAME=VALUE\r\n".
#include <string_view>

#include "expr/ssl_hello.h"

namespace hearth::expr {

// The VALUE of the request's cookie line when `name` is empty or equals its
// NAME (ignoring case); what follows '=' up to the CR LF, spaces included.
// kIncomplete while more bytes could still complete the line; kInvalid
// when these bytes carry no such cookie.
HelloStatus rdp_cookie(std::string_view data, std::string_view name, std::string_view* value);

}  // namespace hearth::expr
