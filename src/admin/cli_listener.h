#pragma once
// The listening socket of a command-line interface (a `stats socket` of a
// worker, or the master CLI of -S): a UNIX socket file with its mode and
// owner, a TCP address, or an inherited fd@N.
#include <sys/types.h>

#include <string>

namespace hearth::admin {

class CliListener {
 public:
  CliListener() = default;
  CliListener(const CliListener&) = delete;
  CliListener& operator=(const CliListener&) = delete;
  ~CliListener() { close(); }

  // Binds PATH (an existing socket file is replaced) with `mode` and owner
  // uid/gid (-1: unchanged), or adopts fd@N. Returns: false with *err set.
  bool open_unix(const std::string& path, int mode, std::string* err, int uid = -1, int gid = -1);
  // Listens on a TCP address instead. Returns: false with *err set.
  bool open_tcp(const std::string& address, std::string* err);
  int fd() const { return fd_; }
  const std::string& path() const { return path_; }
  // Closes what this object opened (an adopted fd@N stays open) and removes
  // the socket file if it is still the one bound here: a reload's new worker
  // may have bound another at the same path, which must stay.
  void close();

 private:
  int fd_ = -1;
  bool owned_ = false;  // opened here, not adopted
  std::string path_;
  dev_t dev_ = 0;
  ino_t ino_ = 0;
};

}  // namespace hearth::admin
