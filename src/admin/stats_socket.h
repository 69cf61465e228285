#pragma once
// `stats socket PATH|fd@N|ipv4@ADDR:PORT|ipv6@ADDR:PORT [level admin]
// [mode OCTAL] [user/uid] [group/gid]`: a UNIX, TCP or inherited stream
// socket served by one small thread, outside the data path, one connection at
// a time; a connection idle for `stats timeout` is closed. Each
// connection carries one command (HAProxy's non-interactive mode) unless the
// client sends "prompt", after which commands are read until "quit" or EOF.
#include <sys/types.h>

#include <atomic>
#include <memory>
#include <string>
#include <thread>

#include "admin/runtime_api.h"

namespace hearth::admin {

class StatsSocket {
 public:
  StatsSocket(RuntimeApi* api, bool admin, int64_t timeout_ms = 10000)
      : api_(api), admin_(admin), timeout_ms_(timeout_ms) {}
  ~StatsSocket();
  // Binds PATH (an existing socket file is replaced) with `mode` and owner
  // uid/gid (-1: unchanged), or adopts fd@N.
  // Returns: false with *err set.
  bool open(const std::string& path, int mode, std::string* err, int uid = -1, int gid = -1);
  // Listens on a TCP address instead. Returns: false with *err set.
  bool open_tcp(const std::string& address, std::string* err);
  void start();
  void stop();

 private:
  void serve();
  void handle(int fd);

  RuntimeApi* api_;
  bool admin_;
  int64_t timeout_ms_;
  int fd_ = -1;
  bool tcp_ = false;  // a TCP listener of our own (closed by stop)
  std::string path_;
  // The socket file this process bound: a reload's new worker may have
  // bound another at the same path, which must stay.
  dev_t dev_ = 0;
  ino_t ino_ = 0;
  std::thread thread_;
  std::atomic<bool> stop_{false};
};

}  // namespace hearth::admin
