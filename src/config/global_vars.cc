// "set-var NAME EXPR" and "set-var-fmt NAME FORMAT" in the global section:
// HAProxy evaluates them while reading the file, in order, so a line sees
// the proc variables the lines above it set. Only what exists without a
// stream can be read: constants, env(), date(), uuid(), rand() and proc
// variables.
#include "config/keywords.h"
#include "expr/var_access.h"

namespace hearth::config::detail {

void parse_global_set_var(const Directive& d, GlobalConfig&, Reporter& rep) {
  const std::string& kw = d[0];
  const bool fmt = kw == "set-var-fmt";
  if (d.size() != 3) {
    rep.error(d.loc, kw,
              fmt ? "expects a proc variable and a format, e.g. set-var-fmt proc.name \"%[...]\""
                  : "expects a proc variable and a sample expression, e.g. set-var proc.name "
                    "int(1)");
    return;
  }
  expr::VarName var;
  std::string err;
  if (!expr::parse_var_name(d[1], &var, &err)) {
    rep.error(d.loc, kw, err);
    return;
  }
  if (var.scope != expr::VarScope::kProc) {
    rep.error(d.loc, kw,
              "cannot set '" + d[1] + "' here: the global section only sets 'proc.' variables");
    return;
  }
  // No sample (an unset variable, a failed conversion): nothing is set.
  if (!expr::set_proc_var_from(var, d[2], fmt, &err)) rep.error(d.loc, kw, err);
}

}  // namespace hearth::config::detail
