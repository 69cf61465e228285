#pragma once
// The rule actions that change a pattern file (add-acl, del-acl, set-map,
// del-map): the key and value formats are evaluated, then the file's
// reference changes through the same path as the runtime API's commands.
#include "config/model.h"
#include "expr/fetch.h"

namespace hearth::stream {

// Applies one such rule. Nothing changes while no acl or map loaded the file,
// nor when the key or value does not suit a user of it (as in HAProxy).
void apply_pattern_action(const config::HttpRule& r, expr::FetchContext& ctx);

}  // namespace hearth::stream
