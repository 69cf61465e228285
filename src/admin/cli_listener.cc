#include "admin/cli_listener.h"

#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

#include "net/address.h"
#include "net/socket.h"
#include "net/unix_listener.h"

namespace hearth::admin {

bool CliListener::open_tcp(const std::string& address, std::string* err) {
  auto a = net::Address::parse(address, err);
  if (!a) return false;
  net::ListenOptions o;
  o.backlog = 16;
  o.reuseport = false;
  fd_ = net::make_listener(*a, o, err);
  owned_ = fd_ >= 0;
  return owned_;
}

bool CliListener::open_unix(const std::string& path, int mode, std::string* err, int uid, int gid) {
  if (auto fd = net::parse_fd_spec(path)) {
    fd_ = *fd;
    return true;
  }
  auto a = net::Address::unix_socket(path, /*abstract=*/false, err);
  if (!a) return false;
  // Bound as a bind line's UNIX socket is (net/unix_listener.h): a file left
  // at the path, or a live process's socket, is replaced.
  const int fd = net::make_unix_listener(*a, net::UnixPerms{mode, uid, gid}, 16, 0, err);
  if (fd < 0) return false;
  struct stat st {};
  if (stat(path.c_str(), &st) == 0) dev_ = st.st_dev, ino_ = st.st_ino;
  fd_ = fd;
  owned_ = true;
  path_ = path;
  return true;
}

void CliListener::close() {
  if (owned_ && fd_ >= 0) ::close(fd_);
  if (owned_) fd_ = -1;
  owned_ = false;
  if (path_.empty()) return;
  struct stat st {};
  if (stat(path_.c_str(), &st) == 0 && st.st_dev == dev_ && st.st_ino == ino_)
    unlink(path_.c_str());
  path_.clear();
}

}  // namespace hearth::admin
