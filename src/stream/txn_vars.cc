#include "stream/txn_vars.h"

#include "expr/var_access.h"
#include "stream/session.h"

namespace hearth::stream {
namespace {

expr::VarStore* lazily(expr::VarStore** slot) {
  if (!*slot) *slot = var_store_pool().create();
  return *slot;
}

}  // namespace

Pool<expr::VarStore>& var_store_pool() {
  static Pool<expr::VarStore> p("vars");
  return p;
}

TxnVars::~TxnVars() {
  var_store_pool().destroy(txn_);
  var_store_pool().destroy(req_);
  var_store_pool().destroy(res_);
}

expr::VarStore* TxnVars::get(expr::VarScope scope, Session* session) {
  switch (scope) {
    case expr::VarScope::kTxn:
      return lazily(&txn_);
    case expr::VarScope::kReq:
      return lazily(&req_);
    case expr::VarScope::kRes:
      return lazily(&res_);
    case expr::VarScope::kSess:
      return session ? lazily(&session->vars) : nullptr;
    default:
      return nullptr;
  }
}

void apply_set_var(const expr::VarName& var, uint16_t conds, const expr::SampleExpr* expr,
                   const expr::LogFormat* fmt, expr::FetchContext& ctx) {
  if (var.scope != expr::VarScope::kProc && !ctx.vars(var.scope)) return;
  expr::Sample s;
  if (fmt) {
    s.set_str(fmt->eval(ctx));
  } else if (!expr::eval_sample_expr(*expr, ctx, s)) {
    return;
  }
  expr::write_var(ctx, var, conds, s);
}

}  // namespace hearth::stream
