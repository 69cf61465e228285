#include "expr/condition_partial.h"

namespace hearth::expr {
namespace {

enum class Tri : uint8_t { kFail, kPass, kMiss };

Tri negate(Tri t) {
  if (t == Tri::kMiss) return t;
  return t == Tri::kPass ? Tri::kFail : Tri::kPass;
}

}  // namespace

Verdict eval_condition_partial(const Condition& c, FetchContext& ctx, bool* missing) {
  Tri any = Tri::kFail;
  for (const auto& all : c.any_of) {
    Tri group = Tri::kPass;
    for (const CondTerm& t : all) {
      *missing = false;
      Tri r = t.acl->eval(ctx) ? Tri::kPass : (*missing ? Tri::kMiss : Tri::kFail);
      if (t.negate) r = negate(r);
      if (r == Tri::kFail) {
        group = Tri::kFail;
        break;
      }
      if (r == Tri::kMiss) group = Tri::kMiss;
    }
    if (group == Tri::kPass) {
      any = Tri::kPass;
      break;
    }
    if (group == Tri::kMiss) any = Tri::kMiss;
  }
  *missing = false;
  if (any == Tri::kMiss) return Verdict::kMissing;
  return (any == Tri::kPass) != c.unless ? Verdict::kYes : Verdict::kNo;
}

}  // namespace hearth::expr
