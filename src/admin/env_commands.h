#pragma once
// "show env [NAME]": the process's environment, one "NAME=value" per line
// (as HAProxy: the variables it was started with and those it set, such as
// HAPROXY_CFGFILES), or one variable ("Variable not found" otherwise).
#include <string>
#include <vector>

namespace hearth::admin {

// Returns: the answer, or an empty string if `w` is not "show env".
std::string cli_show_env(const std::vector<std::string>& w);

}  // namespace hearth::admin
