#pragma once
// The server line of the runtime API's "add server BACKEND/NAME ADDR [options]":
// HAProxy 2.6's subset of server keywords for dynamic servers, parsed by the
// configuration's own server parser (server_keywords.cc), with no
// default-server settings (as HAProxy).
#include <optional>
#include <string>
#include <vector>

#include "config/model.h"

namespace hearth::config {

// `args`: the address then the options, as the CLI split them.
// Returns: the server's line, or nullopt with *err set to the answer (one
// line, without its final line break): HAProxy's text where it has one
// ("'server' expects <name> and <addr>[:<port>] as arguments.",
// "'cookie' option is not accepted for dynamic server", "unknown keyword
// 'x'."), else the configuration parser's message naming the keyword.
// `mode`: the backend's (observe layer7 needs HTTP).
std::optional<ServerConfig> parse_dynamic_server(const std::string& name,
                                                 const std::vector<std::string>& args,
                                                 std::string* err, Mode mode = Mode::kTcp);

}  // namespace hearth::config
