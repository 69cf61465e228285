#include "net/unix_listener.h"

#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

namespace hearth::net {
namespace {

std::string why(const char* what, const std::string& path) {
  return std::string(what) + " '" + path + "': " + strerror(errno);
}

int bind_and_listen(const NativeAddr& n, int backlog, int flags, std::string* err,
                    const std::string& shown) {
  const int fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC | flags, 0);
  if (fd < 0) {
    *err = std::string("socket: ") + strerror(errno);
    return -1;
  }
  if (bind(fd, n.sa(), n.len) != 0) {
    *err = errno == EADDRINUSE ? "cannot bind UNIX socket '" + shown + "': already in use"
                               : why("cannot bind UNIX socket", shown);
    close(fd);
    return -1;
  }
  if (listen(fd, backlog) != 0) {
    *err = why("cannot listen on UNIX socket", shown);
    close(fd);
    return -1;
  }
  return fd;
}

}  // namespace

int make_unix_listener(const Address& a, const UnixPerms& p, int backlog, int flags,
                       std::string* err) {
  const std::string path(a.unix_path());
  if (path.empty() || path[0] == '\0')  // abstract: no file to prepare
    return bind_and_listen(a.native(), backlog, flags, err, a.describe());

  const std::string pid = std::to_string(getpid());
  const std::string temp = path + "." + pid + ".tmp", back = path + "." + pid + ".bak";
  std::string e;
  auto temp_addr = Address::unix_socket(temp, false, &e);
  if (!temp_addr) {
    *err = "UNIX socket path '" + path + "': the temporary name " + e;
    return -1;
  }
  // Leftovers of an earlier process that had this pid.
  if (unlink(temp.c_str()) != 0 && errno != ENOENT) {
    *err = why("cannot remove the former temporary socket", temp);
    return -1;
  }
  if (unlink(back.c_str()) != 0 && errno != ENOENT) {
    *err = why("cannot remove the former backup socket", back);
    return -1;
  }
  const bool had_old = link(path.c_str(), back.c_str()) == 0;
  if (!had_old && errno != ENOENT) {
    *err = why("cannot keep a copy of the existing UNIX socket", path);
    return -1;
  }
  auto undo = [&](int fd) {
    if (fd >= 0) close(fd);
    unlink(temp.c_str());
    if (had_old) unlink(back.c_str());
    return -1;
  };
  const int fd = bind_and_listen(temp_addr->native(), backlog, flags, err, path);
  if (fd < 0) return undo(-1);
  if ((p.uid >= 0 || p.gid >= 0) && chown(temp.c_str(), uid_t(p.uid), gid_t(p.gid)) != 0) {
    *err = why("cannot change the owner of UNIX socket", path);
    return undo(fd);
  }
  if (p.mode != 0 && chmod(temp.c_str(), mode_t(p.mode)) != 0) {
    *err = why("cannot change the mode of UNIX socket", path);
    return undo(fd);
  }
  if (rename(temp.c_str(), path.c_str()) != 0) {
    *err = why("cannot move the new UNIX socket into place at", path);
    return undo(fd);
  }
  if (had_old) unlink(back.c_str());
  return fd;
}

}  // namespace hearth::net
