// "acl NAME CRITERION [FLAGS] [OPERATOR] [VALUE]..." and the if/unless
// conditions of rules (HAProxy manual 7.1, 7.2).
#include "config/keywords.h"

namespace hearth::config::detail {

void parse_acl(const Directive& d, ProxySection& s, Reporter& rep) {
  if (d.size() < 3) {
    rep.error(d.loc, "acl", "expects an ACL name and a criterion: acl NAME CRITERION [VALUE]...");
    return;
  }
  const std::string& name = d[1];
  if (!expr::valid_acl_name(name)) {
    rep.error(
        d.loc, "acl",
        "invalid ACL name '" + name + "': expects letters, digits, '-', '_', '.' and ':' only");
    return;
  }
  const std::vector<std::string> words(d.words.begin() + 2, d.words.end());
  expr::AclTest test;
  std::string err, warning;
  if (!expr::parse_acl_test(words, expr::file_patterns(), &test, &err, &warning)) {
    rep.error(d.loc, "acl", "ACL '" + name + "': " + err);
    return;
  }
  if (!warning.empty()) rep.warning(d.loc, "acl", "ACL '" + name + "': " + warning);
  auto& acl = s.proxy.acls[name];
  if (!acl) acl = std::make_shared<expr::Acl>(name);
  acl->add(std::move(test));
}

bool parse_condition_at(const Directive& d, size_t at, const ProxySection& s, uint8_t where,
                        const std::string& kw, std::shared_ptr<const expr::Condition>* out,
                        Reporter& rep) {
  if (at >= d.size()) return true;
  if (d[at] != "if" && d[at] != "unless") {
    rep.error(d.loc, kw,
              "unexpected '" + d[at] +
                  "': expects 'if' or 'unless' followed by a "
                  "condition, or nothing");
    return false;
  }
  if (at + 1 >= d.size()) {
    rep.error(d.loc, kw, "missing condition after '" + d[at] + "'");
    return false;
  }
  const auto& acls = s.proxy.acls;
  const expr::AclLookup lookup = [&acls](const std::string& n) -> std::shared_ptr<const expr::Acl> {
    auto it = acls.find(n);
    return it == acls.end() ? nullptr : it->second;
  };
  std::string err;
  std::vector<std::string> warnings;
  auto cond = expr::parse_condition(d.words, at + 1, d[at] == "unless", lookup,
                                    expr::file_patterns(), where, &err, &warnings);
  if (!cond) {
    rep.error(d.loc, kw, err);
    return false;
  }
  for (const std::string& w : warnings) rep.warning(d.loc, kw, w);
  *out = std::move(cond);
  return true;
}

}  // namespace hearth::config::detail
