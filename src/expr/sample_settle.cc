#include "expr/sample_settle.h"

namespace hearth::expr {
namespace {

thread_local bool* t_missing = nullptr;
thread_local bool t_before = false;

}  // namespace

void arm_settle(bool* missing, bool before) {
  t_missing = missing;
  t_before = before;
}

void disarm_settle(const bool* missing) {
  if (t_missing == missing) t_missing = nullptr;
}

void settle_sample() {
  if (t_missing) *t_missing = t_before;
  t_missing = nullptr;
}

}  // namespace hearth::expr
