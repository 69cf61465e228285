#pragma once
// Which listening sockets exist, and which process holds which socket, read
// from /proc: how the reload tests tell a socket kept or handed over from a
// new one bound next to it.
#include <dirent.h>
#include <sys/types.h>
#include <unistd.h>

#include <cstdio>
#include <fstream>
#include <set>
#include <sstream>
#include <string>

namespace hearth::test {

// Returns: the inodes of the TCP sockets listening on `port` (/proc/net/tcp).
inline std::set<std::string> listen_inodes(uint16_t port) {
  std::ifstream f("/proc/net/tcp");
  std::set<std::string> out;
  char hex[8];
  snprintf(hex, sizeof hex, ":%04X", port);
  for (std::string line; std::getline(f, line);) {
    std::istringstream in(line);
    std::string sl, local, remote, st, q, tr, rt, uid, timeout, inode;
    in >> sl >> local >> remote >> st >> q >> tr >> rt >> uid >> timeout >> inode;
    if (st == "0A" && local.size() > 5 && local.substr(local.size() - 5) == hex) out.insert(inode);
  }
  return out;
}

// Returns: the inodes of every socket process `pid` holds (/proc/PID/fd).
inline std::set<std::string> socket_inodes(pid_t pid) {
  std::set<std::string> out;
  const std::string dir = "/proc/" + std::to_string(pid) + "/fd";
  DIR* d = opendir(dir.c_str());
  if (!d) return out;
  while (dirent* e = readdir(d)) {
    char target[64] = {};
    const std::string link = dir + "/" + e->d_name;
    const ssize_t n = readlink(link.c_str(), target, sizeof target - 1);
    const std::string t(target, n > 0 ? size_t(n) : 0);
    if (t.rfind("socket:[", 0) == 0) out.insert(t.substr(8, t.size() - 9));
  }
  closedir(d);
  return out;
}

}  // namespace hearth::test
