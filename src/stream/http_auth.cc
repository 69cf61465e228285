#include "stream/http_auth.h"

#include "expr/converters_more.h"
#include "expr/sample.h"
#include "http/headers.h"

namespace hearth::stream {
namespace {

// The first comma-separated element of `v` (commas in quotes do not count).
std::string_view first_element(std::string_view v) {
  bool quoted = false;
  for (size_t i = 0; i < v.size(); ++i) {
    if (v[i] == '"') quoted = !quoted;
    if (v[i] == '\\' && quoted)
      ++i;
    else if (v[i] == ',' && !quoted)
      return http::trim_ows(v.substr(0, i));
  }
  return http::trim_ows(v);
}

// Returns: true if `word` is a non-empty prefix of `scheme`, in any case
// (HAProxy compares only the bytes the client sent).
bool scheme_prefix(std::string_view word, std::string_view scheme) {
  return word.size() <= scheme.size() && http::iequals(word, scheme.substr(0, word.size()));
}

}  // namespace

bool read_credentials(const http::HeaderList& fields, bool proxy, HttpCredentials* out) {
  const std::string_view name = proxy ? "proxy-authorization" : "authorization";
  const http::HeaderField* f = fields.find(name);
  if (!f) return false;
  const std::string_view v = first_element(f->value);
  const size_t sp = v.find(' ');
  if (sp == std::string_view::npos || sp == 0) return false;
  const std::string_view scheme = v.substr(0, sp);
  std::string_view data = v.substr(sp);
  while (!data.empty() && data[0] == ' ') data.remove_prefix(1);
  if (scheme_prefix(scheme, "Basic")) {
    expr::Chunk c = expr::next_chunk();
    const long n = expr::base64_decode(data, c.data, c.size);
    if (n < 0) return false;
    std::string_view dec(c.data, size_t(n));
    dec = dec.substr(0, dec.find('\0'));
    const size_t colon = dec.find(':');
    if (colon == std::string_view::npos) return false;
    out->scheme = HttpCredentials::Scheme::kBasic;
    out->user = dec.substr(0, colon);
    out->pass = dec.substr(colon + 1);
    return true;
  }
  if (scheme_prefix(scheme, "Bearer")) {
    out->scheme = HttpCredentials::Scheme::kBearer;
    out->user = out->pass = {};
    return true;
  }
  return false;
}

}  // namespace hearth::stream
