#pragma once
// Reading and writing a variable of any scope from a rule, a converter or the
// var() fetch: proc goes to the process-wide store (proc_vars.h), the other
// scopes to the stores the FetchContext gives.
#include <cstdint>
#include <string>

#include "expr/fetch.h"
#include "expr/vars.h"

namespace hearth::expr {

// Returns: false if the variable is unset or its scope has no store here;
// else its value in *out (bytes valid until the variable is set again, or for
// proc until this thread's chunks rotate).
bool read_var(FetchContext& ctx, const VarName& v, Sample* out);
// set-var with conditions (set_var_if). Returns: whether it was stored.
bool write_var(FetchContext& ctx, const VarName& v, uint16_t conds, const Sample& in);
// unset-var. Returns: false if the scope has no store here.
bool erase_var(FetchContext& ctx, const VarName& v);

// A set-var (action or converter) read from the configuration: one naming a
// proc variable creates it, without a value, as HAProxy 2.6 does, so that
// "ifexists" holds for it (and "ifnotexists" does not) from the start.
void declare_set_var_target(const VarName& v);

// Sets proc variable `v` to the value of `text`, evaluated where there is no
// stream (the global section's set-var, the runtime API's set var): a sample
// expression, or with `fmt` a log-format string, using only fetches marked
// kUseCfg. An expression without a sample sets nothing.
// Returns: false with *err if `text` does not parse.
bool set_proc_var_from(const VarName& v, const std::string& text, bool fmt, std::string* err);

}  // namespace hearth::expr
