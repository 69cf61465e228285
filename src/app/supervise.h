#pragma once
// The main thread of a serving process once its worker threads run: it waits
// for signals and drives the stop (docs/architecture.md, "Process lifecycle").
#include <signal.h>

#include <functional>
#include <memory>
#include <string_view>
#include <vector>

#include "app/worker.h"
#include "net/fd_channel.h"
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
  // Master-worker mode: a message the master sent on the channel (other
  // than kLeaveMessage). Called on the supervising thread.
  std::function<void(net::ChannelMessage&)> on_message;
  // Master-worker mode: kLeaveMessage arrived, a newer worker serves. Called
  // before the soft stop starts, so the worker threads see what it set.
  // The message may carry the descriptor of a direct channel to the new
  // worker (the handler takes it from m.fds).
  std::function<void(net::ChannelMessage& m)> on_leave;
  // Called on the supervising thread at every wake-up (at least every 20 ms).
  std::function<void(int64_t now_ms)> on_tick;
  // expose-fd listeners: withdrawn at the stop signal, before any listener
  // closes its socket (null: none).
  net::SocketExport* exports = nullptr;
};

// The master's word for "a newer worker serves: soft-stop, and hand over
// what it can use" (SIGUSR1 soft-stops without the handover).
inline constexpr std::string_view kLeaveMessage = "leave";

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
