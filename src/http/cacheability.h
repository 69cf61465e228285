#pragma once
// Whether a response may be stored by a shared cache, as HAProxy judges it
// for "cookie ... nocache" (and its cache): only then does an inserted
// persistence cookie need "Cache-control: private". Pure code.
#include "http/header_list.h"

namespace hearth::http {

// Returns: true if a response with `status` and `fields`, to a request whose
// method may be cached (`method_cacheable`: GET or HEAD), is cacheable:
// - a status among 200 203 204 206 300 301 404 405 410 414 501 and a
//   cacheable method, or a Cache-Control "public" (which overrides both);
// - not when the first Pragma is "no-cache", nor for a Cache-Control
//   "private", "no-cache", "no-store", "s-maxage=0", or "max-age=0" with no
//   later s-maxage, nor for an interim status;
// - and only with freshness information (max-age, s-maxage, Expires) or a
//   validator (ETag, Last-Modified).
bool response_cacheable(int status, const HeaderList& fields, bool method_cacheable);

}  // namespace hearth::http
