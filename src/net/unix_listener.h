#pragma once
// Listening on a UNIX socket (a bind line's "/PATH", "unix@PATH" or
// "abns@NAME", and the CLI's stats socket), the way HAProxy 2.6 does, so
// that a reload or a second instance behaves the same:
//   1. the socket is bound under a temporary name, "PATH.PID.tmp";
//   2. its owner and mode are set there (PATH itself is never open to others
//      with the wrong permissions);
//   3. it is renamed over PATH in one step: a file left at PATH (a process
//      that exited, or one still running, as during a reload) is replaced;
//      the old process keeps serving the connections it already accepted.
// Until step 3 a hard link "PATH.PID.bak" keeps the former file, so that a
// failure puts it back. Abstract names (Linux) have no file: they are bound
// directly, and one in use is refused. The file is left in place at exit,
// as HAProxy leaves it.
#include <string>

#include "net/address.h"

namespace hearth::net {

struct UnixPerms {
  int mode = 0;  // chmod(2) value; 0: what the umask gave
  int uid = -1;  // chown(2) owner; -1: unchanged
  int gid = -1;  // chown(2) group; -1: unchanged
};

// `a` is a UNIX address (a.is_unix()); `flags` are added to socket(2)'s type
// (SOCK_NONBLOCK and the like). Returns: a listening socket, or -1 with *err.
int make_unix_listener(const Address& a, const UnixPerms& p, int backlog, int flags,
                       std::string* err);

}  // namespace hearth::net
