// The legacy "redirect location|prefix|scheme VALUE [options] [if|unless COND]"
// proxy keyword (HAProxy manual 4.2): the same redirect as "http-request
// redirect", but its value is taken as written, and the rules run after the
// proxy's http-request rules.
#include "config/keywords.h"

namespace hearth::config::detail {

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
