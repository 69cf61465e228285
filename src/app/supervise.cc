#include "app/supervise.h"

#include <poll.h>
#include <time.h>
#include <unistd.h>

#include <cstdio>

#include "core/clock.h"

namespace hearth::app {
namespace {

bool all_finished(const std::vector<std::unique_ptr<Worker>>& ws) {
  for (auto& w : ws)
    if (!w->finished()) return false;
  return true;
}

const char* signal_name(int sig) {
  return sig == SIGTERM  ? "received SIGTERM"
         : sig == SIGINT ? "received SIGINT"
                         : "received SIGUSR1";
}

// Returns: true once the master's end of the channel is closed.
bool master_gone(int fd) {
  if (fd < 0) return false;
  pollfd p{fd, POLLIN, 0};
  return poll(&p, 1, 0) == 1 && (p.revents & (POLLHUP | POLLERR));
}

// A hard stop asked by the master: die of the signal itself, so that the
// master reports it as HAProxy's does ("exited with code 143").
[[noreturn]] void hard_stop(int sig) {
  fflush(stderr);
  signal(sig, SIG_DFL);
  sigset_t one;
  sigemptyset(&one);
  sigaddset(&one, sig);
  pthread_sigmask(SIG_UNBLOCK, &one, nullptr);
  raise(sig);
  _exit(128 + sig);
}

}  // namespace

sigset_t block_signals() {
  sigset_t set;
  sigemptyset(&set);
  for (int sig : {SIGTERM, SIGINT, SIGUSR1, SIGTTOU, SIGTTIN, SIGHUP, SIGUSR2})
    sigaddset(&set, sig);
  pthread_sigmask(SIG_BLOCK, &set, nullptr);
  signal(SIGPIPE, SIG_IGN);
  return set;
}

void supervise(const sigset_t& set, std::vector<std::unique_ptr<Worker>>& workers,
               const SuperviseSettings& s) {
  timespec tick{0, 20 * 1000 * 1000};
  int64_t deadline = kNever;
  int64_t stop_at = kNever;  // when the listeners close
  bool stopping = false, stopped = false;
  const bool in_master = s.master_channel >= 0;
  bool orphan = false;
  for (;;) {
    int sig = sigtimedwait(&set, nullptr, &tick);
    const int64_t now = MonotonicClock::instance()->now_ms();
    if (in_master && (sig == SIGTERM || sig == SIGINT)) hard_stop(sig);
    if (sig == SIGTTOU || sig == SIGTTIN)
      for (auto& w : workers) w->suspend_listeners(sig == SIGTTOU);
    const bool lost_master = !orphan && master_gone(s.master_channel);
    orphan = orphan || lost_master;
    const bool stop_signal = sig == SIGTERM || sig == SIGINT || sig == SIGUSR1 || lost_master;
    if (stop_signal && !stopping) {
      stopping = true;
      fprintf(stderr, "hearth: %s, stopping listeners%s and draining sessions\n",
              lost_master ? "the master process is gone" : signal_name(sig),
              s.grace_ms > 0 ? " after the grace delay" : "");
      if (s.exports) s.exports->withdraw();
      stop_at = now + s.grace_ms;
      if (s.hard_stop_ms > 0) deadline = now + s.hard_stop_ms;
    }
    if (stopping && !stopped && now >= stop_at) {
      stopped = true;
      for (auto& w : workers) w->begin_stop();
    }
    if (all_finished(workers)) return;
    if (stopping && MonotonicClock::instance()->now_ms() >= deadline) {
      fprintf(stderr, "hearth: hard-stop-after expired, closing remaining sessions\n");
      fflush(stderr);
      _exit(0);
    }
  }
}

}  // namespace hearth::app
