#include "app/handover.h"

#include <signal.h>

#include <cerrno>
#include <cstdio>
#include <cstring>

#include "net/getsocks.h"

namespace hearth::app {
namespace {
// How long the old process may take to answer each step of _getsocks.
constexpr int kGetsocksTimeoutMs = 5000;
}  // namespace

bool take_old_sockets(const Options& o, net::AdoptedSockets* out, std::string* err) {
  if (o.old_socket.empty() || o.old_socket == "/dev/null") return true;
  if (net::getsocks_fetch(o.old_socket, kGetsocksTimeoutMs, out, err)) return true;
  *err = "cannot get the sockets of the old process: " + *err;
  return false;
}

void release_old_sockets(net::AdoptedSockets* a, bool quiet) {
  if (a->received() == 0) return;
  a->close_rest();
  if (!quiet)
    fprintf(stderr, "hearth: took %zu of the %zu listening socket(s) of the old process\n",
            a->taken(), a->received());
}

void signal_old_processes(const Options& o, bool quiet) {
  const char* name = o.old_pids_signal == SIGTERM ? "SIGTERM" : "SIGUSR1";
  for (int pid : o.old_pids) {
    if (kill(pid, o.old_pids_signal) == 0) {
      if (!quiet) fprintf(stderr, "hearth: sent %s to old process %d\n", name, pid);
    } else if (errno != ESRCH) {
      fprintf(stderr, "[WARNING] cannot send %s to old process %d: %s\n", name, pid,
              strerror(errno));
    }
  }
}

}  // namespace hearth::app
