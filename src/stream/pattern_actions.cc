#include "stream/pattern_actions.h"

#include <string>

#include "expr/log_format.h"
#include "expr/pattern_ref.h"

namespace hearth::stream {

void apply_pattern_action(const config::HttpRule& r, expr::FetchContext& ctx) {
  using Action = config::HttpRule::Action;
  expr::PatRef& ref = *r.pat_ref;
  if (!ref.loaded()) return;
  // LogFormat::eval's result lasts until its next call: keep the key. The
  // buffer keeps its capacity, so a steady stream of changes allocates only
  // for the entries it adds.
  static thread_local std::string key;
  key.assign(r.fmt->eval(ctx));
  std::string err;
  switch (r.action) {
    case Action::kAddAcl:
      ref.add_if_absent(key, &err);
      break;
    case Action::kSetMap:
      ref.set_or_add(key, r.fmt2->eval(ctx), &err);
      break;
    case Action::kDelAcl:
    case Action::kDelMap:
      ref.erase(key, 0);
      break;
    default:
      break;
  }
}

}  // namespace hearth::stream
