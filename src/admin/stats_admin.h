#pragma once
// The stats page's admin form (HAProxy's fields): "b" the backend ("#ID" or
// its name), "s" the servers (repeated), "action" what to do. Applied when a
// "stats admin" condition allowed it, each change logged.
#include <string>
#include <string_view>
#include <vector>

#include "admin/stat_rows.h"
#include "backend/backend.h"

namespace hearth::admin {

// Returns: the result code the page shows after the action (";st=CODE"):
// DONE (applied to every server named), PART (to some), NONE (no server
// named), ERRP (unknown backend or action). The actions: ready, drain,
// maint, the check actions, and shutdown (every stream on the servers ends,
// killed on its own worker through src.post_all, after the answer). `who`
// names the client in the log line.
std::string apply_stats_form(std::string_view form, const StatSources& src, const std::string& who);

// Returns: `s` with "+" as a blank and "%XX" decoded (a form's encoding).
std::string form_decode(std::string_view s);

}  // namespace hearth::admin
