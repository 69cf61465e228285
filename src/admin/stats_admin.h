#pragma once
// The stats page's admin form (HAProxy's fields): "b" the backend ("#ID" or
// its name), "s" the servers (repeated), "action" what to do. Applied when a
// "stats admin" condition allowed it, each change logged.
#include <string>
#include <string_view>
#include <vector>

#include "backend/backend.h"

namespace hearth::admin {

// Returns: the result code the page shows after the action (";st=CODE"):
// DONE (applied to every server named), PART (to some), NONE (no server
// named), ERRP (unknown backend or action: Hearth applies ready, drain,
// maint and the check actions, not "shutdown"). `who` names the client in the log line.
std::string apply_stats_form(std::string_view form, const std::vector<backend::Backend*>& backends,
                             const std::string& who);

// Returns: `s` with "+" as a blank and "%XX" decoded (a form's encoding).
std::string form_decode(std::string_view s);

}  // namespace hearth::admin
