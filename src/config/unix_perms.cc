#include "config/unix_perms.h"

#include <grp.h>
#include <pwd.h>

#include "config/units.h"

namespace hearth::config {

int parse_file_mode(const std::string& s) {
  if (s.empty() || s.size() > 4) return -1;
  int mode = 0;
  for (char c : s) {
    if (c < '0' || c > '7') return -1;
    mode = mode * 8 + (c - '0');
  }
  return mode <= 0777 ? mode : -1;
}

bool is_unix_perm_option(const std::string& name) {
  return name == "mode" || name == "user" || name == "group" || name == "uid" || name == "gid";
}

std::string apply_unix_perm(const std::string& name, const std::string& value, int* mode, int* uid,
                            int* gid) {
  if (name == "mode") {
    *mode = parse_file_mode(value);
    if (*mode < 0) return "invalid mode '" + value + "': expects octal permissions such as 600";
  } else if (name == "user") {
    const passwd* pw = getpwnam(value.c_str());
    if (!pw) return "no user named '" + value + "' on this system";
    *uid = int(pw->pw_uid);
  } else if (name == "group") {
    const group* gr = getgrnam(value.c_str());
    if (!gr) return "no group named '" + value + "' on this system";
    *gid = int(gr->gr_gid);
  } else if (name == "uid" || name == "gid") {
    auto n = parse_int(value);
    if (!n || *n < 0 || *n > 0x7fffffff)
      return "'" + name + "' expects a number, got '" + value + "'";
    (name == "uid" ? *uid : *gid) = int(*n);
  } else {
    return "'" + name + "' is not a UNIX socket permission option";
  }
  return "";
}

}  // namespace hearth::config
