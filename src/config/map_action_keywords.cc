// The rule actions that change pattern files at run time (HAProxy manual
// 4.2, http-request add-acl/del-acl/set-map/del-map): the file is named in
// parentheses, the key and value are log-formats.
#include "config/rule_values.h"
#include "expr/log_format.h"
#include "expr/pattern_ref.h"

namespace hearth::config::detail {
namespace {

// Returns: the log-format of `raw`, or null after reporting.
std::shared_ptr<const expr::LogFormat> format_of(const Directive& d, const std::string& kw,
                                                 const std::string& raw, Reporter& rep) {
  std::string err;
  auto f = expr::LogFormat::parse(raw, rule_use(d), &err);
  if (!f) rep.error(d.loc, kw, err);
  return f;
}

}  // namespace

bool parse_map_action(const Directive& d, const std::string& kw, HttpRule& rule, size_t* cond_at,
                      bool* ok, Reporter& rep) {
  const std::string& a = d[1];
  const size_t open = a.find('(');
  const std::string name = a.substr(0, open);
  if (name == "add-acl")
    rule.action = HttpRule::Action::kAddAcl;
  else if (name == "del-acl")
    rule.action = HttpRule::Action::kDelAcl;
  else if (name == "set-map")
    rule.action = HttpRule::Action::kSetMap;
  else if (name == "del-map")
    rule.action = HttpRule::Action::kDelMap;
  else
    return false;
  *ok = false;
  const size_t words = rule.action == HttpRule::Action::kSetMap ? 4 : 3;
  *cond_at = std::min(d.size(), words);
  const std::string usage =
      name + (rule.action == HttpRule::Action::kSetMap ? "(FILE) KEY-FORMAT VALUE-FORMAT"
                                                       : "(FILE) KEY-FORMAT");
  if (open == std::string::npos || a.back() != ')' || open + 2 >= a.size()) {
    rep.error(d.loc, kw, "expects the file name in parentheses: " + usage);
    return true;
  }
  if (d.size() < words || (d.size() > words && d[words] != "if" && d[words] != "unless")) {
    rep.error(d.loc, kw, "expects " + usage + " [if|unless CONDITION]");
    return true;
  }
  // The reference is looked up by name now and filled when an acl or map
  // loads the file, whichever line comes first.
  rule.pat_ref = expr::PatRefRegistry::instance().file_ref(a.substr(open + 1, a.size() - open - 2));
  rule.fmt = format_of(d, kw, d[2], rep);
  if (!rule.fmt) return true;
  if (rule.action == HttpRule::Action::kSetMap) {
    rule.fmt2 = format_of(d, kw, d[3], rep);
    if (!rule.fmt2) return true;
  }
  *ok = true;
  return true;
}

}  // namespace hearth::config::detail
