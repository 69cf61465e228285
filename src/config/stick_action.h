#pragma once
// The stick-counter actions of the tcp and http rule sets, as parsed:
// track-sc0/1/2 KEY [table T], sc-inc-gpc(IDX,SC), sc-inc-gpc0(SC),
// sc-inc-gpc1(SC), sc-set-gpt(IDX,SC) INT|EXPR, sc-set-gpt0(SC) INT|EXPR.
// Evaluated by stream/stick_actions.
#include <cstdint>
#include <memory>
#include <string>

#include "expr/sample_expr.h"
#include "expr/table_ref.h"

namespace hearth::config {

struct StickAction {
  enum class Kind : uint8_t { kTrack, kIncGpc, kSetGpt } kind = Kind::kTrack;
  uint8_t slot = 0;  // the tracked counter, 0 to 2
  // Which general purpose counter or tag: 0 (gpc0/gpt0), 1 (gpc1), or the
  // arrays (gpc/gpt) at element `idx`.
  enum class Which : uint8_t { k0, k1, kArray } which = Which::k0;
  uint8_t idx = 0;
  std::shared_ptr<const expr::SampleExpr> expr;  // track: the key; set-gpt: the value
  int64_t value = 0;                             // set-gpt: the value when no expression
  std::shared_ptr<expr::TableRef> table;         // track: the table (the proxy's by default)
};

namespace detail {

struct Directive;
class Reporter;

// Whether `action` (d[at]) is one of the stick-counter actions.
bool is_stick_action(const std::string& action);
// Parses the stick-counter action at d[at]; `track_ok` says whether
// track-sc* may be used in this rule set, `where` is the rule's FetchUse.
// *cond_at: where "if"/"unless" may begin. Returns: false once reported.
bool parse_stick_action(const Directive& d, size_t at, uint8_t where, bool track_ok,
                        const std::string& kw, StickAction* out, size_t* cond_at, Reporter& rep);

}  // namespace detail
}  // namespace hearth::config
