#pragma once
// Runtime API commands of run-time resolution: "show resolvers [NAME]",
// "set server BE/SRV fqdn NAME" and "set server BE/SRV addr IP [port P]".
#include <string>
#include <vector>

namespace hearth::backend {
class Backend;
class Server;
}  // namespace hearth::backend

namespace hearth::admin {

// Returns: the answer to "show resolvers ...", or "" if `w` is another command.
std::string cli_show_resolvers(const std::vector<std::string>& w);
// "set server BE/SRV fqdn|addr ...": w[3] is "fqdn" or "addr".
std::string cli_set_server_fqdn(const std::vector<std::string>& w, backend::Backend& be,
                                backend::Server& s);
std::string cli_set_server_addr(const std::vector<std::string>& w, backend::Backend& be,
                                backend::Server& s);

}  // namespace hearth::admin
