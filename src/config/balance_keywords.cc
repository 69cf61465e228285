// "balance", "hash-type" and "hash-balance-factor" (HAProxy manual section 4):
// which algorithm picks a server, and, for the hashing ones, what is hashed
// and how the hash designates a server.
#include "config/keywords.h"
#include "config/units.h"
#include "expr/sample_expr.h"

namespace hearth::config::detail {
namespace {

const char* const kAccepted =
    "roundrobin, static-rr, leastconn, first, source, random, random(N), uri, url_param NAME, "
    "hdr(NAME), hash EXPR, rdp-cookie or rdp-cookie(NAME)";

// Returns: the NAME of "word(NAME)" (word given with its '('), or nullopt if
// `a` is not written so.
std::optional<std::string> paren_arg(const std::string& a, const std::string& word) {
  if (a.rfind(word, 0) != 0 || a.back() != ')') return std::nullopt;
  return a.substr(word.size(), a.size() - word.size() - 1);
}

// balance uri [len N] [depth N] [whole] [path-only]
bool parse_uri_args(const Directive& d, BalanceArgs& b, Reporter& rep) {
  for (size_t i = 2; i < d.size(); ++i) {
    const std::string& w = d[i];
    if (w == "whole") {
      b.uri_whole = true;
    } else if (w == "path-only") {
      b.uri_path_only = true;
    } else if (w == "len" || w == "depth") {
      auto n = i + 1 < d.size() ? parse_int(d[i + 1]) : std::nullopt;
      if (!n || *n <= 0 || *n > 1 << 30) {
        rep.error(d.loc, "balance",
                  "uri: '" + w + "' expects a positive integer (got '" +
                      (i + 1 < d.size() ? d[i + 1] : std::string()) + "')");
        return false;
      }
      (w == "len" ? b.uri_len : b.uri_depth) = int(*n);
      ++i;
    } else {
      rep.error(d.loc, "balance",
                "uri accepts only 'len N', 'depth N', 'whole' and 'path-only' (got '" + w + "')");
      return false;
    }
  }
  return true;
}

// balance url_param NAME [check_post [MAX_WAIT]]
// As HAProxy 2.6, the body of a POST is searched whether check_post is
// given or not (http_request.cc waits for it); the word is accepted for
// the configurations that carry it, and its old MAX_WAIT is ignored.
bool parse_url_param_args(const Directive& d, BalanceArgs& b, Reporter& rep) {
  if (d.size() < 3 || d[2].empty()) {
    rep.error(d.loc, "balance", "url_param requires a parameter name: balance url_param NAME");
    return false;
  }
  size_t i = 3;
  if (d.size() > i && d[i] == "check_post") {
    ++i;
    if (d.size() > i && !d[i].empty() &&
        d[i].find_first_not_of("0123456789") == std::string::npos) {
      rep.warning(d.loc, "balance",
                  "url_param check_post's max_wait '" + d[i] +
                      "' is ignored, as by HAProxy 2.6: the body is waited for until it is "
                      "complete or fills the buffer");
      ++i;
    }
  }
  if (d.size() > i) {
    rep.error(d.loc, "balance",
              "url_param accepts only the 'check_post' modifier (got '" + d[i] + "')");
    return false;
  }
  b.name = d[2];
  return true;
}

// balance hdr(NAME) [use_domain_only]
bool parse_hdr_args(const Directive& d, const std::string& name, BalanceArgs& b, Reporter& rep) {
  if (name.empty()) {
    rep.error(d.loc, "balance", "hdr requires an HTTP header field name: balance hdr(NAME)");
    return false;
  }
  for (size_t i = 2; i < d.size(); ++i) {
    if (d[i] != "use_domain_only") {
      rep.error(d.loc, "balance", "hdr accepts only 'use_domain_only' (got '" + d[i] + "')");
      return false;
    }
    b.use_domain_only = true;
  }
  b.name = name;
  return true;
}

// balance hash EXPR
bool parse_hash_args(const Directive& d, BalanceArgs& b, Reporter& rep) {
  if (!check_arity(d, "balance", 3, 3, "balance hash EXPR", rep)) return false;
  std::string err;
  auto e = expr::parse_sample_expr(d[2], expr::kUseConn | expr::kUseReq | expr::kUseL6Req, &err);
  if (!e) {
    rep.error(d.loc, "balance", "hash: " + err);
    return false;
  }
  b.expr = std::move(e);
  return true;
}

// The algorithms without arguments, and random(N).
bool parse_simple(const Directive& d, ProxyConfig& p, Reporter& rep) {
  const std::string& a = d[1];
  static const std::pair<const char*, BalanceAlgo> kPlain[] = {
      {"roundrobin", BalanceAlgo::kRoundRobin}, {"static-rr", BalanceAlgo::kStaticRr},
      {"leastconn", BalanceAlgo::kLeastConn},   {"source", BalanceAlgo::kSource},
      {"first", BalanceAlgo::kFirst},           {"random", BalanceAlgo::kRandom}};
  for (const auto& [name, algo] : kPlain) {
    if (a != name) continue;
    if (!check_arity(d, "balance", 2, 2, std::string("balance ") + name, rep)) return true;
    p.balance = algo;
    if (algo == BalanceAlgo::kRandom) p.random_draws = 2;
    return true;
  }
  if (auto n_text = paren_arg(a, "random(")) {
    auto n = parse_int(*n_text);
    if (!n || *n < 1 || *n > 100) {
      rep.error(d.loc, "balance", "'" + a + "': expects random(N) with N between 1 and 100");
    } else if (check_arity(d, "balance", 2, 2, "balance random(N)", rep)) {
      p.balance = BalanceAlgo::kRandom;
      p.random_draws = static_cast<int>(*n);
    }
    return true;
  }
  return false;
}

// Applies a hashing algorithm `algo` whose arguments parsed into `b`.
void set_hashing(ProxyConfig& p, BalanceAlgo algo, BalanceArgs b) {
  p.balance = algo;
  p.balance_args = std::move(b);
}

void parse_balance(const Directive& d, ProxySection& s, Reporter& rep) {
  if (d.size() < 2) {
    rep.error(d.loc, "balance", std::string("missing algorithm: expects ") + kAccepted);
    return;
  }
  ProxyConfig& p = s.proxy;
  p.balance_set = true;
  if (parse_simple(d, p, rep)) return;
  const std::string& a = d[1];
  BalanceArgs b;
  if (a == "uri") {
    if (parse_uri_args(d, b, rep)) set_hashing(p, BalanceAlgo::kUri, std::move(b));
  } else if (a == "url_param") {
    if (parse_url_param_args(d, b, rep)) set_hashing(p, BalanceAlgo::kUrlParam, std::move(b));
  } else if (auto name = paren_arg(a, "hdr(")) {
    if (parse_hdr_args(d, *name, b, rep)) set_hashing(p, BalanceAlgo::kHdr, std::move(b));
  } else if (a == "hash") {
    if (parse_hash_args(d, b, rep)) set_hashing(p, BalanceAlgo::kHash, std::move(b));
  } else if (a == "rdp-cookie" || a.rfind("rdp-cookie(", 0) == 0) {
    auto name =
        a == "rdp-cookie" ? std::optional<std::string>("mstshash") : paren_arg(a, "rdp-cookie(");
    if (!name || name->empty()) {
      rep.error(d.loc, "balance", "'" + a + "': expects rdp-cookie or rdp-cookie(NAME)");
    } else if (check_arity(d, "balance", 2, 2, "balance rdp-cookie[(NAME)]", rep)) {
      // The cookie is what req.rdp_cookie(NAME) reads.
      std::string err;
      b.expr = expr::parse_sample_expr("req.rdp_cookie(" + *name + ")", expr::kUseL6Req, &err);
      if (!b.expr) {
        rep.error(d.loc, "balance", "'" + a + "': " + err);
        return;
      }
      b.name = *name;
      set_hashing(p, BalanceAlgo::kRdpCookie, std::move(b));
    }
  } else {
    rep.error(d.loc, "balance", "unknown algorithm '" + a + "': expects " + kAccepted);
  }
}

// hash-type map-based|consistent [sdbm|djb2|wt6|crc32 [avalanche]]
void parse_hash_type(const Directive& d, ProxySection& s, Reporter& rep) {
  const std::string usage = "hash-type map-based|consistent [sdbm|djb2|wt6|crc32 [avalanche]]";
  if (!check_arity(d, "hash-type", 2, 4, usage, rep)) return;
  HashType h;
  if (d[1] == "consistent") {
    h.method = HashMethod::kConsistent;
  } else if (d[1] != "map-based") {
    rep.error(d.loc, "hash-type", "unknown method '" + d[1] + "': expects map-based or consistent");
    return;
  }
  if (d.size() == 2) {
    // As HAProxy: consistent alone is sdbm with avalanche.
    h.avalanche = h.method == HashMethod::kConsistent;
    s.proxy.hash_type = h;
    return;
  }
  static const std::pair<const char*, HashFunc> kFuncs[] = {{"sdbm", HashFunc::kSdbm},
                                                            {"djb2", HashFunc::kDjb2},
                                                            {"wt6", HashFunc::kWt6},
                                                            {"crc32", HashFunc::kCrc32}};
  bool known = false;
  for (const auto& [name, f] : kFuncs) {
    if (d[2] != name) continue;
    h.func = f;
    known = true;
  }
  if (!known) {
    rep.error(d.loc, "hash-type",
              "unknown hash function '" + d[2] + "': expects sdbm, djb2, wt6 or crc32");
    return;
  }
  if (d.size() == 4 && d[3] != "avalanche") {
    rep.error(d.loc, "hash-type", "unknown modifier '" + d[3] + "': expects avalanche");
    return;
  }
  h.avalanche = d.size() == 4;
  s.proxy.hash_type = h;
}

// hash-balance-factor N: 0 (no bound) or above 100.
void parse_hash_balance_factor(const Directive& d, ProxySection& s, Reporter& rep) {
  if (!check_arity(d, "hash-balance-factor", 2, 2, "hash-balance-factor N", rep)) return;
  auto n = parse_int(d[1]);
  if (!n || (*n != 0 && *n <= 100) || *n < 0 || *n > 1000000) {
    rep.error(d.loc, "hash-balance-factor",
              "'" + d[1] + "': expects 0 (no bound) or a percentage above 100, such as 150");
    return;
  }
  s.proxy.hash_balance_factor = int(*n);
}

}  // namespace

bool parse_balance_keyword(const Directive& d, ProxySection& s, Reporter& rep) {
  const std::string& kw = d[0];
  if (kw == "balance") {
    if (check_section(d, kw, s.proxy.kind, kBackSide, Misplaced::kReject, rep))
      parse_balance(d, s, rep);
  } else if (kw == "hash-type") {
    if (check_section(d, kw, s.proxy.kind, kBackSide, Misplaced::kIgnore, rep))
      parse_hash_type(d, s, rep);
  } else if (kw == "hash-balance-factor") {
    if (check_section(d, kw, s.proxy.kind, kBackSide, Misplaced::kIgnore, rep))
      parse_hash_balance_factor(d, s, rep);
  } else {
    return false;
  }
  return true;
}

}  // namespace hearth::config::detail
