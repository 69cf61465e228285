#include "stream/http_uri_rules.h"

#include <string>
#include <vector>

#include "expr/log_format.h"
#include "expr/regex.h"
#include "expr/uri_normalize.h"
#include "http/method.h"

namespace hearth::stream {
namespace {

using Action = config::HttpRule::Action;

// The target as scheme+authority, path and query (with its '?').
struct Uri {
  std::string_view prefix, path, query;
};

Uri split(std::string_view target) {
  Uri u;
  size_t start = 0;
  if (!target.empty() && target[0] != '/' && target != "*") {
    const size_t scheme = target.find("://");
    if (scheme != std::string_view::npos) {
      start = target.find('/', scheme + 3);
      if (start == std::string_view::npos) start = target.find('?', scheme + 3);
      if (start == std::string_view::npos) start = target.size();
    }
  }
  u.prefix = target.substr(0, start);
  const size_t q = target.find('?', start);
  u.path = target.substr(start, q == std::string_view::npos ? target.size() - start : q - start);
  if (q != std::string_view::npos) u.query = target.substr(q);
  return u;
}

// A request-target keeps to visible ASCII: no space, no control byte.
bool valid_target(std::string_view t) {
  if (t.empty()) return false;
  for (char c : t)
    if (static_cast<unsigned char>(c) <= 0x20 || c == 0x7f) return false;
  return true;
}

// Returns: the rule's value: its format evaluated, else its fixed text.
std::string_view value_of(const config::HttpRule& r, expr::FetchContext& ctx) {
  return r.fmt ? r.fmt->eval(ctx) : std::string_view(r.value);
}

// replace-*: the whole part becomes the expansion when the regex matches.
bool replaced(const config::HttpRule& r, std::string_view part, std::string* out) {
  std::string_view groups[expr::Regex::kMaxGroups];
  if (!r.regex->search(part, groups)) return false;
  expr::expand_replacement(r.value, groups, out);
  return true;
}

}  // namespace

bool is_uri_rule(const config::HttpRule& r) {
  switch (r.action) {
    case Action::kSetPath:
    case Action::kSetPathq:
    case Action::kSetQuery:
    case Action::kSetUri:
    case Action::kReplacePath:
    case Action::kReplacePathq:
    case Action::kReplaceUri:
    case Action::kSetMethod:
      return true;
    default:
      return false;
  }
}

bool apply_uri_rule(const config::HttpRule& r, http::MsgHead& head, expr::FetchContext& ctx) {
  static thread_local std::string t;
  t.clear();
  const Uri u = split(head.target);
  switch (r.action) {
    case Action::kSetMethod: {
      const std::string_view m = value_of(r, ctx);
      std::string_view kept;
      if (m.empty() || !valid_target(m) || !head.keep(m, &kept)) return false;
      head.method = http::parse_method(kept);
      head.method_str = kept;
      return true;
    }
    case Action::kSetPath:
      t.append(u.prefix).append(value_of(r, ctx)).append(u.query);
      break;
    case Action::kSetPathq:
      t.append(u.prefix).append(value_of(r, ctx));
      break;
    case Action::kSetQuery: {
      const std::string_view q = value_of(r, ctx);
      t.append(u.prefix).append(u.path);
      if (!u.query.empty() || !q.empty()) t.append("?").append(q);
      break;
    }
    case Action::kSetUri:
      t.append(value_of(r, ctx));
      break;
    case Action::kReplacePath: {
      std::string p;
      if (!replaced(r, u.path, &p)) return true;
      t.append(u.prefix).append(p).append(u.query);
      break;
    }
    case Action::kReplacePathq: {
      std::string p;
      const std::string_view pq = head.target.substr(u.prefix.size());
      if (!replaced(r, pq, &p)) return true;
      t.append(u.prefix).append(p);
      break;
    }
    case Action::kReplaceUri:
      if (!replaced(r, head.target, &t)) return true;
      break;
    default:
      return true;
  }
  std::string_view kept;
  if (!valid_target(t) || !head.keep(t, &kept)) return false;
  head.target = kept;
  return true;
}

NormalizeOutcome apply_normalize_uri(const config::HttpRule& r, http::MsgHead& head) {
  const auto n = expr::UriNormalizer(r.normalizer);
  // Scratch that grows to the longest target seen, then stays.
  static thread_local std::string out;
  static thread_local std::vector<std::string_view> params;
  const size_t need = expr::uri_max_len(n, head.target.size());
  if (out.size() < need) out.resize(need);
  // A query has at most one parameter per byte: empty ones count ("?&&&").
  if (params.size() < head.target.size()) params.resize(head.target.size());
  size_t len = 0;
  switch (expr::normalize_uri(n, head.target, out.data(), out.size(), &len, params.data(),
                              params.size())) {
    case expr::NormalizeResult::kNoPath:
      return NormalizeOutcome::kDone;
    case expr::NormalizeResult::kInvalid:
      return NormalizeOutcome::kInvalid;
    case expr::NormalizeResult::kTooLong:  // cannot happen: sized above
      return NormalizeOutcome::kFailed;
    case expr::NormalizeResult::kDone:
      break;
  }
  const std::string_view t(out.data(), len);
  if (t == head.target) return NormalizeOutcome::kDone;
  std::string_view kept;
  if (!valid_target(t) || !head.keep(t, &kept)) return NormalizeOutcome::kFailed;
  head.target = kept;
  return NormalizeOutcome::kDone;
}

}  // namespace hearth::stream
