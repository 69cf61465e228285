#pragma once
// The main thread of a serving process once its worker threads run: it waits
// for signals and drives the stop (docs/architecture.md, "Process lifecycle").
#include <signal.h>

#include <memory>
#include <vector>

#include "app/worker.h"
#include "net/socket_export.h"

namespace hearth::app {

struct SuperviseSettings {
  int64_t hard_stop_ms = 0;  // hard-stop-after, counted from the stop signal; 0: none
  int64_t grace_ms = 0;      // grace: listeners keep accepting this long after the signal
  // Master-worker mode: SIGTERM/SIGINT end the process at once (the master
  // asked for a hard stop), and the close of `master_channel` (the master
  // is gone) starts a soft stop. -1: a standalone process, where SIGTERM
  // and SIGINT drain like SIGUSR1.
  int master_channel = -1;
  // expose-fd listeners: withdrawn at the stop signal, before any listener
  // closes its socket (null: none).
  net::SocketExport* exports = nullptr;
};

// Returns: the signals the serving process waits for (SIGTERM, SIGINT,
// SIGUSR1, SIGTTOU, SIGTTIN, and in master-worker mode SIGHUP and SIGUSR2,
// which are the master's), blocked in the calling thread and every thread
// it starts. SIGPIPE is ignored.
sigset_t block_signals();

// Waits for a stop signal, then the grace delay, then for the workers to
// drain; SIGTTOU / SIGTTIN suspend and resume the listeners meanwhile.
// Returns when every worker finished; exits the process when hard-stop-after
// expires or a hard stop was asked.
void supervise(const sigset_t& set, std::vector<std::unique_ptr<Worker>>& workers,
               const SuperviseSettings& s);

}  // namespace hearth::app
