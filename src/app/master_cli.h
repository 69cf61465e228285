#pragma once
// The master CLI (-S, HAProxy management guide 9.4): sockets the master of
// the master-worker mode listens on, served from its poll() loop without
// blocking it. Commands: help, prompt, quit, show proc, show version, show cli
// level, operator, user, reload, and "@N CMD" / "@!PID CMD" / "@master CMD"
// (a prefix alone sets the target of the commands that follow). A command for
// a worker goes to that worker's runtime API over a connection the master
// passes on the worker's CLI channel (docs/architecture.md, "Master CLI").
#include <poll.h>
#include <sys/types.h>

#include <ctime>
#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "admin/cli_listener.h"

namespace hearth::app {

// One process the master supervises, as "show proc" lists it.
struct MasterProc {
  pid_t pid = -1;
  std::string type;  // "worker", or the program's name
  bool program = false;
  bool old = false;  // a worker or program a reload replaced
  int reloads = 0;
  time_t started = 0;
  int cli_channel = -1;  // a worker's CLI channel (the master's end)
};

struct MasterState {
  time_t started = 0;
  int reloads = 0;
  int failed_reloads = 0;
  bool last_reload_failed = false;
  std::vector<MasterProc> procs;  // current workers first, in start order
};

class MasterCli {
 public:
  // `state`: the master's processes now; `reload`: asks for a reload (as SIGUSR2).
  MasterCli(std::function<MasterState()> state, std::function<void()> reload);
  ~MasterCli();
  // Opens one listener per -S argument ("ADDR[,OPTION,VALUE...]").
  // Returns: false with *err naming the argument.
  bool open(const std::vector<std::string>& specs, std::string* err);
  // Appends the descriptors to poll to *fds; lowers *timeout_ms (-1: none)
  // to the nearest deadline.
  void add_pollfds(std::vector<pollfd>* fds, int* timeout_ms);
  // Serves what poll() reported for the entries add_pollfds appended at `first`.
  void on_events(const std::vector<pollfd>& fds, size_t first);
  // In a forked child: closes every descriptor, leaves the socket files.
  void close_in_child();

  struct Session;

 private:
  struct Listener;
  void accept_clients(Listener& l);
  void advance(Session& s);

  std::function<MasterState()> state_;
  std::function<void()> reload_;
  std::vector<std::unique_ptr<Listener>> listeners_;
  std::vector<std::unique_ptr<Session>> sessions_;
  size_t polled_sessions_ = 0;  // the sessions add_pollfds listed
};

}  // namespace hearth::app
