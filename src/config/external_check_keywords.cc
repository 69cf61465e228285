// The external check's keywords (HAProxy 2.6): "external-check" and
// "[no] insecure-fork-wanted" in the global section; "option
// external-check", "external-check command CMD" and "external-check path
// PATH" in defaults, backend and listen sections.
#include "config/keywords.h"

namespace hearth::config::detail {

bool parse_external_check_global(const Directive& d, GlobalConfig& g, Reporter& rep) {
  const bool negated = d[0] == "no";
  if (negated && d.size() < 2) return false;  // a bare "no" is an unknown keyword
  const std::string& kw = d[negated ? 1 : 0];
  if (kw != "external-check" && kw != "insecure-fork-wanted") return false;
  if (negated && kw == "external-check") {
    rep.error(d.loc, "no external-check",
              "'no' is not supported here (leave 'external-check' out instead)");
    return true;
  }
  const std::string shown = negated ? "no " + kw : kw;
  if (!check_arity(d, shown, negated ? 2 : 1, negated ? 2 : 1, shown, rep)) return true;
  if (kw == "external-check")
    g.external_check = true;
  else
    g.insecure_fork_wanted = !negated;
  return true;
}

void parse_external_check(const Directive& d, ProxySection& s, Reporter& rep) {
  if (d.size() < 2 || d[1].empty()) {
    rep.error(d.loc, "external-check",
              "missing argument: expects 'external-check command CMD' or 'external-check path "
              "PATH'");
    return;
  }
  const std::string& what = d[1];
  if (what != "command" && what != "path") {
    rep.error(d.loc, "external-check", "only supports 'command' and 'path', got '" + what + "'");
    return;
  }
  const std::string kw = "external-check " + what;
  const std::string usage = what == "command" ? kw + " CMD" : kw + " PATH";
  if (d.size() < 3 || d[2].empty()) {
    rep.error(d.loc, kw, "missing argument: expects '" + usage + "'");
    return;
  }
  if (!check_arity(d, kw, 3, 3, usage, rep)) return;
  ExternalCheckConfig& x = s.proxy.check.external;
  if (what == "command") {
    x.command = d[2];
    x.command_file = d.loc.file;
    x.command_line = d.loc.line;
  } else {
    x.path = d[2];
    x.path_file = d.loc.file;
    x.path_line = d.loc.line;
  }
}

void parse_option_external_check(const Directive& d, ProxySection& s, Reporter& rep) {
  if (d[0] == "no") {
    rep.error(d.loc, "no option external-check",
              "'no' cannot be used with 'option external-check'");
    return;
  }
  if (!check_arity(d, "option external-check", 2, 2, "option external-check", rep)) return;
  if (!check_section(d, "option external-check", s.proxy.kind, kBackSide, Misplaced::kIgnore, rep))
    return;
  // As HAProxy: it replaces whichever check the section had chosen.
  CheckConfig& c = s.proxy.check;
  c.type = CheckType::kExternal;
  c.proto_rules.clear();
  c.preset_vars.clear();
}

}  // namespace hearth::config::detail
