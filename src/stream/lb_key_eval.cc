#include "stream/lb_key_eval.h"

#include <sys/socket.h>

#include "backend/lb_key.h"
#include "expr/hash.h"
#include "expr/sample_expr.h"
#include "stream/fetch_util.h"

namespace hearth::stream {
namespace {

using config::BalanceAlgo;
namespace lb_key = backend::lb_key;

// balance source: the address's words XORed, then avalanched if hash-type
// says so (HAProxy 2.6 applies no hash function here, only the modifier:
// "consistent" alone implies it, "consistent sdbm" does not).
bool source_key(const net::Address& a, const config::HashType& t, uint32_t* key) {
  const unsigned char* p = nullptr;
  size_t n = 0;
  if (a.family() == AF_INET) {
    p = reinterpret_cast<const unsigned char*>(&a.ss.v4.sin_addr);
    n = 4;
  } else if (a.family() == AF_INET6) {
    p = reinterpret_cast<const unsigned char*>(&a.ss.v6.sin6_addr);
    n = 16;
  } else {
    return false;
  }
  const uint32_t h = lb_key::source_key(p, n);
  *key = t.avalanche ? expr::full_hash(h) : h;
  return true;
}

// The bytes of the request that the HTTP algorithms hash. Returns: false if
// the request has none.
bool http_key(const backend::BackendSettings& bs, BalanceAlgo algo, const http::MsgHead& head,
              std::string_view payload, std::string_view* out) {
  const config::BalanceArgs& a = bs.balance_args;
  switch (algo) {
    case BalanceAlgo::kUri:
      *out = lb_key::uri_key(head.target, {a.uri_len, a.uri_depth, a.uri_whole, a.uri_path_only});
      return true;
    case BalanceAlgo::kUrlParam: {
      auto v = lb_key::url_param_value(head.target, a.name);
      // As HAProxy: a POST's payload is searched when the query string has
      // no such parameter (http_request.cc waited for it).
      if (!v && head.method == http::Method::kPost) v = lb_key::post_param_value(payload, a.name);
      if (v) *out = *v;
      return v.has_value();
    }
    case BalanceAlgo::kHdr: {
      expr::FetchIter it;
      std::string_view v;
      // The first value of the first such field, as HAProxy's lookup;
      // absent or empty: no key.
      if (!fetch_util::header_value(head.fields(), a.name, /*split=*/true, 1, it, &v) || v.empty())
        return false;
      *out = a.use_domain_only ? lb_key::domain_only(v) : v;
      return true;
    }
    default:
      return false;
  }
}

// balance hash EXPR and rdp-cookie: the expression's result as bytes.
bool expr_key(const backend::BackendSettings& bs, BalanceAlgo algo, expr::FetchContext& fetch,
              std::string_view* out) {
  if (!bs.balance_args.expr) return false;
  expr::Sample smp;
  if (!expr::eval_sample_expr(*bs.balance_args.expr, fetch, smp) ||
      !expr::cast(smp, expr::SmpType::kBin))
    return false;
  // An empty cookie is no key; an empty expression result is one.
  if (algo == BalanceAlgo::kRdpCookie && smp.str.empty()) return false;
  *out = smp.str;
  return true;
}

}  // namespace

void set_lb_key(const backend::Backend& be, const net::Address& client, const http::MsgHead* head,
                std::string_view payload, expr::FetchContext& fetch, backend::LbRequest* req) {
  const BalanceAlgo algo = be.lb_kind();
  if (!config::is_hashing(algo)) return;
  const backend::BackendSettings& bs = be.settings;
  if (algo == BalanceAlgo::kSource) {
    req->has_key = source_key(client, bs.hash_type, &req->key);
    return;
  }
  std::string_view bytes;
  const bool found = config::is_layer7(algo) ? head && http_key(bs, algo, *head, payload, &bytes)
                                             : expr_key(bs, algo, fetch, &bytes);
  if (!found) return;
  req->key = lb_key::hash_key(bs.hash_type.func, bs.hash_type.avalanche, bytes);
  req->has_key = true;
}

}  // namespace hearth::stream
