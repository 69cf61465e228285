#pragma once
// "show schema json": the JSON schema (draft 04) that the typed JSON forms of
// "show info json" and "show stat json" follow, as HAProxy 2.6 prints it,
// byte for byte, so that tools validating HAProxy's output accept Hearth's.
#include <string>
#include <vector>

namespace hearth::admin {

// Returns: the schema text (one line, no line break).
const char* stats_json_schema();

// Returns: the answer to "show schema json", or "" when `w` is not "show schema ...".
std::string cli_schema_command(const std::vector<std::string>& w);

}  // namespace hearth::admin
