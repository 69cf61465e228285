#pragma once
// The variable stores a transaction's rules see (expr/vars.h): sess in the
// client connection's Session, txn, req and res in the transaction. Stores
// come from a typed pool when a rule first touches their scope.
#include "core/pool.h"
#include "expr/fetch.h"
#include "expr/log_format.h"
#include "expr/sample_expr.h"
#include "expr/vars.h"

namespace hearth::stream {

struct Session;

Pool<expr::VarStore>& var_store_pool();

// set-var / set-var-fmt of a rule (http or tcp): the value of `fmt` when
// given, else of `expr`, stored in `var` if `conds` allow it. No sample, or
// no store for the scope: the variable is left as it was.
void apply_set_var(const expr::VarName& var, uint16_t conds, const expr::SampleExpr* expr,
                   const expr::LogFormat* fmt, expr::FetchContext& ctx);

class TxnVars {
 public:
  TxnVars() = default;
  TxnVars(const TxnVars&) = delete;
  TxnVars& operator=(const TxnVars&) = delete;
  ~TxnVars();

  // Returns: the store of `scope` (created on first use), or nullptr (proc,
  // or no session, or the pool is exhausted).
  expr::VarStore* get(expr::VarScope scope, Session* session);

 private:
  expr::VarStore* txn_ = nullptr;
  expr::VarStore* req_ = nullptr;
  expr::VarStore* res_ = nullptr;
};

}  // namespace hearth::stream
