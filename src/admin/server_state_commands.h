#pragma once
// The runtime API's server state commands: `show servers state [BACKEND]`
// (the state file format of backend/server_state.h) and
// `set server BACKEND/SERVER state ready|drain|maint`.
#include <string>
#include <vector>

namespace hearth::backend {
class Backend;
}

namespace hearth::admin {

// Runs one of these commands; `w` are its words. Changes need `admin`.
// Returns: the answer, or an empty string if `w` is not such a command.
std::string cli_server_state_command(const std::vector<std::string>& w,
                                     const std::vector<backend::Backend*>& backends, bool admin);

}  // namespace hearth::admin
