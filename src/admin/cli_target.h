#pragma once
// Finding what a runtime API command names: "BACKEND/SERVER" and "FRONTEND",
// each part a name or a numeric id after '#' ("#3/#1"), as HAProxy's CLI.
#include <optional>
#include <string>
#include <vector>

#include "net/address.h"

namespace hearth::backend {
class Backend;
class Server;
}  // namespace hearth::backend

namespace hearth::stream {
class Frontend;
}

namespace hearth::admin {

struct ServerTarget {
  backend::Backend* be = nullptr;
  backend::Server* srv = nullptr;
  // Set when not found: HAProxy's answer ("Require 'backend/server'.",
  // "No such backend.", "No such server."), ending with the blank line.
  std::string error;
};

// `arg`: the command's "BACKEND/SERVER" word ("" when it was not given).
ServerTarget find_server_target(const std::string& arg,
                                const std::vector<backend::Backend*>& backends);

// Returns: `word` as an IPv4 or IPv6 address with port 0 (the addresses of
// "set server ... addr|check-addr|agent-addr"), or nullopt.
std::optional<net::Address> parse_cli_ip(const std::string& word);

// Returns: the frontend named `arg` (or "#ID"), or nullptr.
stream::Frontend* find_frontend(const std::string& arg,
                                const std::vector<stream::Frontend*>& frontends);

}  // namespace hearth::admin
