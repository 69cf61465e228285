#pragma once
// The runtime API's map and ACL commands (HAProxy 2.6 management guide,
// section 9.3): show, get, add, set, del, clear, prepare and commit, on the
// pattern references of expr/pattern_ref.h. Names are a file path or "#ID".
#include <string>
#include <vector>

namespace hearth::admin {

// Runs one map or ACL command; `w` are its words (escapes resolved),
// `payload` the lines after "<<" (add only). Changes need `admin`.
// Returns: the answer, or an empty string if `w` is not such a command.
std::string cli_pattern_command(const std::vector<std::string>& w, const std::string& payload,
                                bool admin);

}  // namespace hearth::admin
