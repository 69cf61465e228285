#pragma once
// The stick-table commands of the runtime API, with HAProxy 2.6's syntax,
// answers and error texts: "show table [NAME [data.TYPE OP VALUE]... | [key K]]",
// "clear table NAME [data.TYPE OP VALUE]... | [key K]" and
// "set table NAME key K [data.TYPE VALUE]..." (admin level for clear and set).
#include <string>
#include <vector>

namespace hearth::admin {

// Returns: the answer, or "" if `w` is no table command.
std::string cli_table_command(const std::vector<std::string>& w, bool admin);

}  // namespace hearth::admin
