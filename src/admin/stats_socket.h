#pragma once
// `stats socket PATH|fd@N [level admin] [mode OCTAL]`: a UNIX (or inherited)
// stream socket served by one small thread, outside the data path. Each
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
  StatsSocket(RuntimeApi* api, bool admin) : api_(api), admin_(admin) {}
  ~StatsSocket();
  // Binds PATH (an existing socket file is replaced) with `mode`, or adopts fd@N.
  // Returns: false with *err set.
  bool open(const std::string& path, int mode, std::string* err);
  void start();
  void stop();

 private:
  void serve();
  void handle(int fd);

  RuntimeApi* api_;
  bool admin_;
  int fd_ = -1;
  std::string path_;
  // The socket file this process bound: a reload's new worker may have
  // bound another at the same path, which must stay.
  dev_t dev_ = 0;
  ino_t ino_ = 0;
  std::thread thread_;
  std::atomic<bool> stop_{false};
};

}  // namespace hearth::admin
