#pragma once
// The runtime API's server state commands: `show servers state [BACKEND]`
// (the state file format of backend/server_state.h) and
// `set server BACKEND/SERVER state ready|drain|maint`.
#include <string>
#include <vector>

namespace hearth::backend {
class Backend;
class Server;
}  // namespace hearth::backend

namespace hearth::admin {

// Runs one of these commands; `w` are its words. Changes need `admin`.
// Returns: the answer, or an empty string if `w` is not such a command.
std::string cli_server_state_command(const std::vector<std::string>& w,
                                     const std::vector<backend::Backend*>& backends, bool admin);

// Sets a server's admin state: "ready" (out of maintenance and drain), "drain"
// (UP but no new load-balanced traffic) or "maint" (maintenance); the three are
// exclusive, as in HAProxy. Requires: one of those words. Thread-safe.
void set_server_admin_state(backend::Backend& be, backend::Server& s, const std::string& state);

}  // namespace hearth::admin
