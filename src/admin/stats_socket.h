#pragma once
// `stats socket PATH|fd@N|ipv4@ADDR:PORT|ipv6@ADDR:PORT [level admin]
// [mode OCTAL] [user/uid] [group/gid]`: a UNIX, TCP or inherited stream
// socket served outside the data path: one small thread accepts, and each
// connection is served by a thread of its own, so a client left open (a
// `prompt` session, a slow reader) holds no other. The sockets of a worker
// serve together at most `stats maxconn` connections (default 10, as
// HAProxy): beyond that they stop accepting, and new clients wait in the
// kernel's backlog. A connection idle for `stats timeout` is closed. Each
// connection carries one command (HAProxy's non-interactive mode) unless the
// client sends "prompt", after which commands are read until "quit" or EOF.
// A worker of the master-worker mode also serves, the same way, the
// connections its master passes on a channel (the master CLI's "@N").
// `_getsocks` (the -x of a new process, net/getsocks.h) is answered only by
// a socket with `expose-fd listeners`; any other closes the connection
// without a byte, as HAProxy's does.
#include <atomic>
#include <list>
#include <memory>
#include <mutex>
#include <string>
#include <thread>

#include "admin/cli_listener.h"
#include "admin/runtime_api.h"
#include "net/socket_export.h"

namespace hearth::admin {

// The connections all stats sockets of a process serve at once ("stats
// maxconn"), shared by them.
struct StatsConnLimit {
  explicit StatsConnLimit(int max) : max(max) {}
  const int max;
  std::atomic<int> active{0};
};

class StatsSocket {
 public:
  // `limit`: shared by the process's sockets (not owned); null: 10 of its own.
  StatsSocket(RuntimeApi* api, config::CliLevel level, int64_t timeout_ms = 10000,
              StatsConnLimit* limit = nullptr)
      : api_(api), level_(level), timeout_ms_(timeout_ms), limit_(limit ? limit : &own_limit_) {}
  ~StatsSocket();
  // Binds PATH (an existing socket file is replaced) with `mode` and owner
  // uid/gid (-1: unchanged), or adopts fd@N.
  // Returns: false with *err set.
  bool open(const std::string& path, int mode, std::string* err, int uid = -1, int gid = -1) {
    return listener_.open_unix(path, mode, err, uid, gid);
  }
  // Listens on a TCP address instead. Returns: false with *err set.
  bool open_tcp(const std::string& address, std::string* err) {
    return listener_.open_tcp(address, err);
  }
  // Serves instead the connections received on `channel` (net/fd_channel):
  // each message "cli LEVEL" carries one connected socket, served at LEVEL
  // (admin, operator or user) rather than at the socket's own level. Stops
  // serving when the other end closes the channel.
  void open_master_link(int channel) { link_ = channel; }
  void start();
  void stop();
  // Stats sockets of the process serving now, and the connections they serve.
  static int serving_count();
  static int session_count();
  // expose-fd listeners: `_getsocks` sends the sockets `e` offers (not owned).
  void set_export(const net::SocketExport* e) { export_ = e; }

 private:
  struct Client {
    std::thread thread;
    int fd = -1;  // closed by its thread (under clients_mu_), then -1
    std::atomic<bool> done{false};
  };

  void serve();
  // Returns: the next client and *level its level; -1: none yet; -2: the
  // master link closed.
  int next_client(config::CliLevel* level);
  // Serves fd on a thread of its own, counted in the limit until it ends.
  void spawn(int fd, config::CliLevel level);
  // Joins the clients that ended; with `all`, first cuts the others off.
  void reap(bool all);
  void handle(int fd, config::CliLevel level);
  void getsocks(int fd);

  RuntimeApi* api_;
  config::CliLevel level_;
  int64_t timeout_ms_;
  CliListener listener_;
  int link_ = -1;  // the master link's channel (not owned); -1: none
  const net::SocketExport* export_ = nullptr;
  StatsConnLimit own_limit_{10};
  StatsConnLimit* limit_;
  std::mutex clients_mu_;
  std::list<Client> clients_;  // guarded by clients_mu_
  std::thread thread_;
  std::atomic<bool> stop_{false};
};

}  // namespace hearth::admin
