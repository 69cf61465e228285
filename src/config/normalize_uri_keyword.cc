// "http-request normalize-uri NORMALIZER [full|strict]": experimental in
// HAProxy 2.6, so refused unless the global section said
// expose-experimental-directives first.
#include "config/keywords.h"
#include "expr/uri_normalize.h"

namespace hearth::config::detail {

bool parse_normalize_uri(const Directive& d, const std::string& kw, const ProxySection& s,
                         HttpRule& rule, size_t* cond_at, Reporter& rep) {
  if (!s.experimental) {
    rep.error(d.loc, kw,
              "an experimental action: it needs 'expose-experimental-directives' in the global "
              "section, before this line");
    return false;
  }
  if (d.size() < 3 || d[2] == "if" || d[2] == "unless") {
    rep.error(d.loc, kw,
              "expects a normalizer: fragment-encode, fragment-strip, path-merge-slashes, "
              "path-strip-dot, path-strip-dotdot [full], percent-decode-unreserved [strict], "
              "percent-to-uppercase [strict] or query-sort-by-name");
    return false;
  }
  const std::string_view option = expr::uri_normalizer_option(d[2]);
  expr::UriNormalizer n;
  if (!expr::find_uri_normalizer(d[2], "", &n)) {
    rep.error(d.loc, kw, "unknown normalizer '" + d[2] + "'");
    return false;
  }
  *cond_at = 3;
  std::string_view word;
  if (d.size() > 3 && d[3] != "if" && d[3] != "unless") {
    if (option.empty() || d[3] != option) {
      rep.error(d.loc, kw, "unknown argument '" + d[3] + "' for the '" + d[2] + "' normalizer");
      return false;
    }
    word = option;
    *cond_at = 4;
  }
  expr::find_uri_normalizer(d[2], word, &n);
  rule.normalizer = uint8_t(n);
  return true;
}

}  // namespace hearth::config::detail
