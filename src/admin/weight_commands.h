#pragma once
// The runtime API's weight and server limit commands, as HAProxy 2.6's:
//   get weight BE/SRV                      -> "CUR (initial INIT)"
//   set weight BE/SRV W[%]                 (admin; also "set server BE/SRV weight W[%]")
//   set maxconn server BE/SRV N            (admin)
// A weight is absolute (0..256) or, with '%', relative to the configured one
// (capped at 256). Backends whose algorithm keeps a static map of the servers
// (static-rr, map-based hashing) only take 0 and the configured weight.
#include <string>
#include <vector>

namespace hearth::backend {
class Backend;
class Server;
}  // namespace hearth::backend

namespace hearth::admin {

// Runs one of these commands; `w` are its words. Changes need `admin`.
// Returns: the answer, or an empty string if `w` is not such a command.
std::string cli_weight_command(const std::vector<std::string>& w,
                               const std::vector<backend::Backend*>& backends, bool admin);

// Applies "W" or "W%" to a server. Returns: "" or HAProxy's refusal.
std::string set_server_weight(backend::Backend& be, backend::Server& s, const std::string& arg);

}  // namespace hearth::admin
