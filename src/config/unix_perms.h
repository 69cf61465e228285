#pragma once
// The values of the options that set a UNIX socket's mode and owner, shared
// by "stats socket" and "bind": mode OCTAL, user NAME, group NAME, uid N, gid N.
#include <string>

namespace hearth::config {

// Returns: the value of a file mode written in octal ("600", "0660"), or -1
// if `s` is not octal or exceeds 0777.
int parse_file_mode(const std::string& s);

// Applies option `name` ("mode", "user", "group", "uid" or "gid") with
// `value` to *mode / *uid / *gid. Returns: "" or the reason it is refused.
std::string apply_unix_perm(const std::string& name, const std::string& value, int* mode, int* uid,
                            int* gid);

// Returns: true if `name` is one of the options apply_unix_perm takes.
bool is_unix_perm_option(const std::string& name);

}  // namespace hearth::config
