// req.body, req.body_len, req.body_size and req.body_param (HAProxy manual
// 7.3.6): the request payload the stream holds when the rule runs. Only
// `option http-buffer-request` or `http-request wait-for-body` make sure it
// is there; without them it is what happened to be received. res.body,
// res.body_len and res.body_size read the response payload the same way
// (http-response wait-for-body, http_response_body.cc).
#include "stream/sample_fetch.h"

namespace hearth::stream {

using expr::FetchId;

bool TxnFetch::fetch_body(const expr::FetchDef& def, const expr::Arg* args, size_t nargs,
                          expr::FetchIter& it, expr::Sample& out) {
  if (body_seen_) *body_seen_ = true;
  switch (def.id) {
    case FetchId::kReqBody:
    case FetchId::kResBody:
      out.set_bin(body_);
      return true;
    case FetchId::kReqBodyLen:
    case FetchId::kResBodyLen:
      out.set_sint(int64_t(body_.size()));
      return true;
    case FetchId::kReqBodySize:
    case FetchId::kResBodySize:
      // As HAProxy: the Content-Length when there is one, else what arrived.
      out.set_sint(body_declared_ >= 0 ? body_declared_ : int64_t(body_.size()));
      return true;
    case FetchId::kReqBodyParam: {
      const std::string_view name = nargs > 0 ? std::string_view(args[0].str) : std::string_view();
      std::string_view v;
      if (!find_param(body_, name, '&', it, &v)) return false;
      out.set_str(v);
      return true;
    }
    default:
      return false;
  }
}

}  // namespace hearth::stream
