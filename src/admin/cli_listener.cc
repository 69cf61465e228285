#include "admin/cli_listener.h"

#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

#include "net/address.h"
#include "net/socket.h"

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
  sockaddr_un sa{};
  sa.sun_family = AF_UNIX;
  if (path.size() >= sizeof sa.sun_path) {
    *err = "socket path too long: " + path;
    return false;
  }
  std::memcpy(sa.sun_path, path.c_str(), path.size() + 1);
  int fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
  unlink(path.c_str());
  if (fd < 0 || bind(fd, reinterpret_cast<sockaddr*>(&sa), sizeof sa) != 0 || listen(fd, 16) != 0) {
    *err = "cannot bind socket " + path + ": " + strerror(errno);
    if (fd >= 0) ::close(fd);
    return false;
  }
  chmod(path.c_str(), mode_t(mode));
  if ((uid >= 0 || gid >= 0) && chown(path.c_str(), uid_t(uid), gid_t(gid)) != 0) {
    *err = "cannot give socket " + path + " its owner: " + strerror(errno);
    ::close(fd);
    unlink(path.c_str());
    return false;
  }
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
