#include "app/process.h"

#include <fcntl.h>
#include <grp.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <cstdlib>
#include <cstring>

namespace hearth::app {
namespace {

// The write end of the pipe the parent waits on; -1 outside a daemon child.
int g_ready_fd = -1;

std::string errno_text() { return std::strerror(errno); }

}  // namespace

bool enter_chroot(const config::ProcessConfig& p, std::string* err) {
  if (p.chroot.empty()) return true;
  if (chroot(p.chroot.c_str()) != 0 || chdir("/") != 0) {
    *err = "chroot '" + p.chroot + "': " + errno_text();
    return false;
  }
  return true;
}

bool drop_privileges(const config::ProcessConfig& p, std::string* err) {
  if (p.gid >= 0) {
    // Supplementary groups first: root's would survive setgid(). As HAProxy,
    // none are kept (not even the user's own).
    if (setgroups(0, nullptr) != 0) {
      *err = "cannot set the supplementary groups: " + errno_text();
      return false;
    }
    if (setgid(gid_t(p.gid)) != 0) {
      *err = "setgid(" + std::to_string(p.gid) + "): " + errno_text();
      return false;
    }
  }
  if (p.uid >= 0 && setuid(uid_t(p.uid)) != 0) {
    *err = "setuid(" + std::to_string(p.uid) + "): " + errno_text();
    return false;
  }
  return true;
}

int open_pidfile(const std::string& path, std::string* err) {
  const int fd = open(path.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
  if (fd < 0) *err = "cannot open the pid file '" + path + "': " + errno_text();
  return fd;
}

bool pidfile_is_ours(const std::string& path) {
  char buf[32] = {};
  const int fd = open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) return false;
  const ssize_t n = read(fd, buf, sizeof buf - 1);
  close(fd);
  return n > 0 && std::atol(buf) == long(getpid());
}

std::string host_name() {
  char host[256] = "";
  gethostname(host, sizeof host - 1);
  return host;
}

void write_pid(int fd) {
  if (fd < 0) return;
  const std::string s = std::to_string(getpid()) + "\n";
  if (write(fd, s.data(), s.size()) < 0) {
    // Nothing to do: the service runs either way, as HAProxy's does.
  }
  close(fd);
}

bool daemonize(int pidfile_fd, int null_fd, std::string* err) {
  int ready[2];
  if (pipe2(ready, O_CLOEXEC) != 0) {
    *err = "pipe: " + errno_text();
    return false;
  }
  const pid_t pid = fork();
  if (pid < 0) {
    *err = "fork: " + errno_text();
    return false;
  }
  if (pid > 0) {  // the parent: exit once the child says it is up
    close(ready[1]);
    if (pidfile_fd >= 0) close(pidfile_fd);
    char c = 0;
    ssize_t n;
    do n = read(ready[0], &c, 1);
    while (n < 0 && errno == EINTR);
    _exit(n == 1 ? 0 : 1);
  }
  close(ready[0]);
  g_ready_fd = ready[1];
  setsid();
  write_pid(pidfile_fd);
  if (null_fd >= 0) {
    dup2(null_fd, 0);
    dup2(null_fd, 1);
    dup2(null_fd, 2);
    if (null_fd > 2) close(null_fd);
  }
  return true;
}

void daemon_ready() {
  if (g_ready_fd < 0) return;
  const char c = 1;
  if (write(g_ready_fd, &c, 1) < 0) {
    // The parent is gone: nobody waits.
  }
  close(g_ready_fd);
  g_ready_fd = -1;
}

}  // namespace hearth::app
