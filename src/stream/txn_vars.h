#pragma once
// The variable stores a transaction's rules see (expr/vars.h): sess in the
// client connection's Session, txn, req and res in the transaction. Stores
// come from a typed pool when a rule first touches their scope.
#include "core/pool.h"
#include "expr/vars.h"

namespace hearth::stream {

struct Session;

Pool<expr::VarStore>& var_store_pool();

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
