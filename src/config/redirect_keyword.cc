// The legacy "redirect location|prefix|scheme VALUE [options] [if|unless COND]"
// proxy keyword (HAProxy manual 4.2): the same redirect as "http-request
// redirect", but its value is taken as written, and the rules run after the
// proxy's http-request rules.
#include "config/keywords.h"
#include "config/rule_values.h"
#include "config/units.h"

namespace hearth::config::detail {
namespace {

// Words a redirect word takes, itself included (0: not one): the type and
// its value, or an option.
size_t redirect_option_words(const std::string& o) {
  if (o == "location" || o == "prefix" || o == "scheme") return 2;
  if (o == "code" || o == "set-cookie" || o == "clear-cookie") return 2;
  if (o == "drop-query" || o == "append-slash" || o == "ignore-empty") return 1;
  return 0;
}

}  // namespace

size_t redirect_cond_at(const Directive& d, size_t first) {
  for (size_t i = first; i < d.size();) {
    if (d[i] == "if" || d[i] == "unless") return i;
    const size_t w = redirect_option_words(d[i]);
    i += w ? w : 1;
  }
  return d.size();
}

// [code N] location|prefix|scheme VALUE [code N] [drop-query] [append-slash]
//   [ignore-empty] [set-cookie NAME[=VALUE]] [clear-cookie NAME[=]], in any
// order, from d[first]; the value is a log-format unless `literal` (the legacy
// "redirect" keyword).
bool parse_redirect_words(const Directive& d, size_t first, bool literal, const std::string& kw,
                          HttpRule& rule, Reporter& rep) {
  using R = HttpRule::RedirectType;
  rule.action = HttpRule::Action::kRedirect;
  rule.status = 302;
  bool typed = false;
  for (size_t i = first; i < d.size();) {
    const std::string& o = d[i];
    const size_t words = redirect_option_words(o);
    if (words == 0) {
      rep.error(d.loc, kw,
                "unknown option '" + o +
                    "': expects location, prefix, scheme, code, drop-query, append-slash, "
                    "ignore-empty, set-cookie or clear-cookie");
      return false;
    }
    if (i + words > d.size()) {
      rep.error(d.loc, kw, "option '" + o + "' expects a value");
      return false;
    }
    if (o == "location" || o == "prefix" || o == "scheme") {
      if (typed) {
        rep.error(d.loc, kw, "only one of 'location', 'prefix' or 'scheme' is allowed");
        return false;
      }
      typed = true;
      rule.redirect = o == "location" ? R::kLocation : o == "prefix" ? R::kPrefix : R::kScheme;
      const std::string& v = d[i + 1];
      if (!literal) {
        if (!format_value(d, kw, v, rule, rep)) return false;
      } else if (v.find_first_of(std::string_view("\r\n\0", 3)) != std::string::npos) {
        rep.error(d.loc, kw, "the value must not contain CR, LF or NUL characters");
        return false;
      } else {
        rule.value = v;  // the legacy keyword's value is taken as written
      }
    } else if (o == "code") {
      const auto n = parse_int(d[i + 1]);
      if (!n || (*n != 301 && *n != 302 && *n != 303 && *n != 307 && *n != 308)) {
        rep.error(d.loc, kw,
                  "option 'code' expects 301, 302, 303, 307 or 308, got '" + d[i + 1] + "'");
        return false;
      }
      rule.status = int(*n);
    } else if (o == "drop-query") {
      rule.drop_query = true;
    } else if (o == "append-slash") {
      rule.append_slash = true;
    } else if (o == "ignore-empty") {
      rule.ignore_empty = true;
    } else {
      const std::string& c = d[i + 1];
      if (c.find_first_of("\r\n;") != std::string::npos || c.empty()) {
        rep.error(d.loc, kw, "invalid cookie '" + c + "' for option '" + o + "'");
        return false;
      }
      // As HAProxy writes them: "N=V; path=/;" and "N; path=/; Max-Age=0;".
      rule.cookie = o == "set-cookie" ? c + "; path=/;" : c + "; path=/; Max-Age=0;";
    }
    i += words;
  }
  if (!typed) {
    rep.error(d.loc, kw, "expects 'location', 'prefix' or 'scheme' followed by a value");
    return false;
  }
  return true;
}

void parse_legacy_redirect(const Directive& d, ProxySection& s, Reporter& rep) {
  const std::string& kw = d[0];
  const size_t cond_at = redirect_cond_at(d, 1);
  Directive args = d;
  args.words.resize(cond_at);
  HttpRule rule{};
  rule.loc = d.loc;
  if (!parse_redirect_words(args, 1, true, kw, rule, rep)) return;
  if (!parse_condition_at(d, cond_at, s, expr::kUseConn | expr::kUseReq, kw, &rule.cond, rep))
    return;
  s.proxy.redirect_rules.push_back(std::move(rule));
}

}  // namespace hearth::config::detail
