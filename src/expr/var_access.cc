#include "expr/var_access.h"

#include "expr/log_format.h"
#include "expr/proc_vars.h"
#include "expr/sample_expr.h"

namespace hearth::expr {
namespace {

// Fetches nothing: used where no stream exists.
class NoStream : public FetchContext {
 public:
  bool fetch(const FetchDef&, const Arg*, size_t, FetchIter&, Sample&) override { return false; }
};

}  // namespace

bool read_var(FetchContext& ctx, const VarName& v, Sample* out) {
  if (v.scope == VarScope::kProc) return ProcVars::instance().get(v.id, out);
  const VarStore* store = ctx.vars(v.scope);
  return store && store->get(v.id, out);
}

bool write_var(FetchContext& ctx, const VarName& v, uint16_t conds, const Sample& in) {
  if (v.scope == VarScope::kProc) return ProcVars::instance().set_if(v.id, conds, in);
  VarStore* store = ctx.vars(v.scope);
  return store && set_var_if(*store, v.id, conds, in);
}

bool erase_var(FetchContext& ctx, const VarName& v) {
  if (v.scope == VarScope::kProc) {
    ProcVars::instance().unset(v.id);
    return true;
  }
  VarStore* store = ctx.vars(v.scope);
  if (!store) return false;
  store->unset(v.id);
  return true;
}

void declare_set_var_target(const VarName& v) {
  if (v.scope == VarScope::kProc) ProcVars::instance().declare(v.id);
}

bool set_proc_var_from(const VarName& v, const std::string& text, bool fmt, std::string* err) {
  NoStream ctx;
  Sample value;
  // The value may view the expression's own arguments (str("...")): it is
  // stored before the expression goes away.
  if (fmt) {
    auto f = LogFormat::parse(text, kUseCfg, err);
    if (!f) return false;
    value.set_str(f->eval(ctx));
    write_var(ctx, v, 0, value);
    return true;
  }
  auto e = parse_sample_expr(text, kUseCfg, err);
  if (!e) return false;
  if (eval_sample_expr(*e, ctx, value)) write_var(ctx, v, 0, value);
  return true;
}

}  // namespace hearth::expr
