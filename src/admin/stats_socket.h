#pragma once
// `stats socket PATH|fd@N|ipv4@ADDR:PORT|ipv6@ADDR:PORT [level admin]
// [mode OCTAL] [user/uid] [group/gid]`: a UNIX, TCP or inherited stream
// socket served by one small thread, outside the data path, one connection at
// a time; a connection idle for `stats timeout` is closed. Each
// connection carries one command (HAProxy's non-interactive mode) unless the
// client sends "prompt", after which commands are read until "quit" or EOF.
// `_getsocks` (the -x of a new process, net/getsocks.h) is answered only by
// a socket with `expose-fd listeners`; any other closes the connection
// without a byte, as HAProxy's does.
#include <sys/types.h>

#include <atomic>
#include <memory>
#include <string>
#include <thread>

#include "admin/runtime_api.h"
#include "net/socket_export.h"

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
  // expose-fd listeners: `_getsocks` sends the sockets `e` offers (not owned).
  void set_export(const net::SocketExport* e) { export_ = e; }

 private:
  void serve();
  void handle(int fd);
  void getsocks(int fd);

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
  const net::SocketExport* export_ = nullptr;
  std::thread thread_;
  std::atomic<bool> stop_{false};
};

}  // namespace hearth::admin
