#include "stream/priority.h"

#include <algorithm>

#include "expr/sample_expr.h"
#include "stream/sample_fetch.h"

namespace hearth::stream {

void apply_priority(const expr::SampleExpr& e, bool offset, TxnFetch& ctx) {
  StreamPriority* p = ctx.priority();
  if (!p) return;
  expr::Sample s;
  if (!expr::eval_sample_expr(e, ctx, s) || !expr::cast(s, expr::SmpType::kSint)) return;
  const int64_t max = offset ? StreamPriority::kOffsetMax : StreamPriority::kClassMax;
  (offset ? p->offset : p->cls) = int32_t(std::clamp<int64_t>(s.sint, -max, max));
}

}  // namespace hearth::stream
