#include "backend/lb_key.h"

#include "expr/hash.h"

namespace hearth::backend::lb_key {
namespace {

// Returns: the path of a request target from its first '/' on (the query
// included), or "" when it has none ('*', an authority alone).
std::string_view path_from(std::string_view target) {
  if (target.empty() || target[0] == '*') return {};
  if (target[0] == '/') return target;
  const size_t scheme = target.find("://");
  const size_t from = scheme == std::string_view::npos ? 0 : scheme + 3;
  const size_t slash = target.find('/', from);
  return slash == std::string_view::npos ? std::string_view() : target.substr(slash);
}

// The value of the first `name=` of `params` (pairs separated by '&'; an
// empty value is a value). As HAProxy: a pair is looked at only while more
// than the name's length remains (room for the '='); names match byte for
// byte.
std::optional<std::string_view> param_value(std::string_view params, std::string_view name) {
  while (params.size() > name.size()) {
    if (params[name.size()] == '=' && params.substr(0, name.size()) == name) {
      const std::string_view v = params.substr(name.size() + 1);
      return v.substr(0, v.find('&'));
    }
    const size_t amp = params.find('&');
    if (amp == std::string_view::npos) return std::nullopt;
    params = params.substr(amp + 1);
  }
  return std::nullopt;
}

// RFC 9110's tchar.
bool is_token_char(char c) {
  if ((c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z')) return true;
  return std::string_view("!#$%&'*+-.^_`|~").find(c) != std::string_view::npos;
}

}  // namespace

std::string_view uri_key(std::string_view target, const UriOptions& o) {
  std::string_view uri = o.path_only ? path_from(target) : target;
  if (o.len > 0 && uri.size() > size_t(o.len)) uri = uri.substr(0, size_t(o.len));
  int slashes = 0;
  size_t end = 0;
  for (; end < uri.size(); ++end) {
    const char c = uri[end];
    if (c == '/') {
      if (++slashes == o.depth + 1 && o.depth > 0) break;
    } else if (c == '?' && !o.whole) {
      break;
    }
  }
  return uri.substr(0, end);
}

std::optional<std::string_view> url_param_value(std::string_view target, std::string_view name) {
  const size_t q = target.find('?');
  if (q == std::string_view::npos) return std::nullopt;
  return param_value(target.substr(q + 1), name);
}

std::optional<std::string_view> post_param_value(std::string_view body, std::string_view name) {
  auto v = param_value(body, name);
  if (!v || v->empty() || is_token_char((*v)[0])) return v;
  // As HAProxy: a value that does not start as a token ends at once on
  // white space, and makes the body hold no parameters otherwise (binary
  // data, not a form). Only the first byte is looked at.
  const char c = (*v)[0];
  if (c == ' ' || c == '\t' || c == '\r' || c == '\n') return v->substr(0, 0);
  return std::nullopt;
}

std::string_view domain_only(std::string_view v) {
  // HAProxy walks back from the end: the last dot past the first byte ends
  // the domain, which starts after the dot before it (not counting the byte
  // just before the end), else at the start.
  const size_t end = v.rfind('.');
  if (end == std::string_view::npos || end == 0) return v;
  const size_t dot = end >= 2 ? v.substr(0, end - 1).rfind('.') : std::string_view::npos;
  const size_t start = dot == std::string_view::npos ? 0 : dot + 1;
  return v.substr(start, end - start);
}

uint32_t source_key(const unsigned char* addr, size_t len) {
  uint32_t h = 0;
  for (size_t i = 0; i + 4 <= len; i += 4)
    h ^= uint32_t(addr[i]) << 24 | uint32_t(addr[i + 1]) << 16 | uint32_t(addr[i + 2]) << 8 |
         uint32_t(addr[i + 3]);
  return h;
}

uint32_t hash_key(config::HashFunc func, bool avalanche, std::string_view key) {
  uint32_t h = 0;
  switch (func) {
    case config::HashFunc::kSdbm:
      h = expr::hash_sdbm(key);
      break;
    case config::HashFunc::kDjb2:
      h = expr::hash_djb2(key);
      break;
    case config::HashFunc::kWt6:
      h = expr::hash_wt6(key);
      break;
    case config::HashFunc::kCrc32:
      h = expr::hash_crc32(key);
      break;
  }
  return avalanche ? expr::full_hash(h) : h;
}

}  // namespace hearth::backend::lb_key
