#include "admin/var_commands.h"

#include "expr/log_format.h"
#include "expr/proc_vars.h"
#include "expr/var_access.h"

namespace hearth::admin {
std::string cli_get_var(const std::vector<std::string>& w) {
  if (w.size() < 3) return "Missing process-wide variable identifier.\n\n";
  expr::VarName var;
  std::string err;
  if (!expr::parse_var_name(w[2], &var, &err) || var.scope != expr::VarScope::kProc)
    return "Variable not found.\n\n";
  expr::Sample s;
  if (!expr::ProcVars::instance().get(var.id, &s)) return "Variable not found.\n\n";
  std::string value;
  expr::print_sample(s, &value);
  // One line, no empty line after it: the answer HAProxy gives.
  return w[2] + ": type=" + expr::type_name(s.type) + " value=<" + value + ">\n";
}

std::string cli_set_var(const std::vector<std::string>& w, bool experimental) {
  if (!experimental) return "This command is restricted to experimental mode only.\n\n";
  if (w.size() < 4) return "Missing either 'expr', 'fmt' or expression.\n\n";
  expr::VarName var;
  std::string err;
  if (!expr::parse_var_name(w[2], &var, &err)) return err + "\n";
  if (var.scope != expr::VarScope::kProc)
    return "'set var': cannot set variable '" + w[2] + "', only scope 'proc' is permitted here.\n";
  // "set var NAME EXPR" (the old form), or "set var NAME expr|fmt VALUE".
  size_t at = 3;
  bool fmt = false;
  if (w.size() > 4) {
    if (w[3] != "expr" && w[3] != "fmt")
      return "'set var': arg type must be either 'expr' or 'fmt' but got '" + w[3] + "'.\n";
    fmt = w[3] == "fmt";
    at = 4;
  }
  if (!expr::set_proc_var_from(var, w[at], fmt, &err)) return err + "\n";
  return "\n";
}

}  // namespace hearth::admin
