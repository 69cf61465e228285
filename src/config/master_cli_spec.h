#pragma once
// The argument of -S (the master CLI, HAProxy management guide 9.4):
// "ADDR[,OPTION,VALUE...]", the address and options of a `stats socket`
// written with commas: a unix socket path, fd@N, ipv4@ or ipv6@ADDR:PORT;
// mode, user, group, uid, gid, level.
#include <string>

#include "config/model.h"

namespace hearth::config {

struct MasterCliSpec {
  StatsSocketConfig socket;
  std::string level = "admin";  // admin, operator or user (the master CLI's default: admin)
};

// Returns: false with *err saying what would be accepted.
bool parse_master_cli_spec(const std::string& arg, MasterCliSpec* out, std::string* err);

}  // namespace hearth::config
