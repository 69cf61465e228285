#pragma once
// Command-line flags, compatible with what scripts pass to HAProxy 2.6. The
// command line wins over the equivalent global keywords.
#include <string>
#include <vector>

namespace hearth::app {

struct Options {
  std::vector<std::string> config_files;  // -f (repeatable) and the paths after "--", in order
  bool check_only = false;                // -c
  bool debug = false;                     // -d: log every session, stay in the foreground
  bool foreground = false;                // -db: stay in the foreground even with "daemon"
  bool daemon = false;                    // -D
  std::string pidfile;                    // -p
  std::string local_peer;                 // -L
  std::string chdir;                      // -C: directory to change to before loading
  int version = 0;                        // 1: -v, 2: -vv
  bool help = false;
  bool quiet = false;    // -q: no notices nor startup messages
  bool verbose = false;  // -V: cancels -q and "quiet"
  bool cond = false;     // -cc EXPR: evaluate EXPR and exit 0/1/2
  std::string cond_expr;
  int poison = -1;             // -dM[BYTE]: fill pool blocks with BYTE when handed out
  bool zero_warning = false;   // -dW: refuse to start if a warning was emitted
  bool diag = false;           // -dD: print .diag messages
  int maxconn = 0;             // -n N: global maxconn (0: not given)
  int proxy_maxconn = 0;       // -N N: maxconn of proxies that set none (0: not given)
  int mem_limit_mb = 0;        // -m MB: address-space limit (0: none)
  bool master_worker = false;  // -W (and -Ws): a master process supervises the worker
  bool systemd = false;        // -Ws: sd_notify READY/RELOADING/STOPPING to NOTIFY_SOCKET
  // -S ADDR[,OPTION,VALUE...] (repeatable): the master CLI's sockets (app/master_cli.h).
  std::vector<std::string> master_cli;
  bool nosplice = false;       // -dS: as the global "nosplice"
  // -sf PID... / -st PID...: once serving, SIGUSR1 (soft stop) or SIGTERM
  // (hard stop) to each of these processes (docs/architecture.md,
  // "Old-style reload").
  std::vector<int> old_pids;
  int old_pids_signal = 0;  // SIGUSR1 (-sf) or SIGTERM (-st); 0: none given
  // -x SOCKET: take the listening sockets of the process at this stats
  // socket (expose-fd listeners) before binding; "/dev/null": don't.
  std::string old_socket;
};

// Returns: false with *err describing the bad flag.
bool parse_options(int argc, char** argv, Options* o, std::string* err);
const char* usage();

}  // namespace hearth::app
