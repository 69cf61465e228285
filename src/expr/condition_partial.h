#pragma once
// Conditions on data that may still grow (tcp-request / tcp-response content
// with an inspect-delay): a test that did not match, on a fetch whose answer
// could change with more bytes, is "missing" rather than false, as HAProxy's
// three-valued ACL logic.
#include <cstdint>

#include "expr/condition.h"

namespace hearth::expr {

enum class Verdict : uint8_t { kNo, kYes, kMissing };

// Evaluates `c` (if/unless included) through `ctx`, which sets *missing
// whenever a fetch lacked data that could still come (the caller resets
// nothing: this function clears *missing before each ACL). A kMissing
// verdict is only given when the outcome depends on such an ACL.
Verdict eval_condition_partial(const Condition& c, FetchContext& ctx, bool* missing);

}  // namespace hearth::expr
