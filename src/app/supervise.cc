#include "app/supervise.h"

#include <poll.h>
#include <sys/signalfd.h>
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

// What the channels brought since the last look.
struct FromMaster {
  bool gone = false;   // the master's end is closed: the master is gone
  bool leave = false;  // kLeaveMessage
};

// What a worker reads besides its signals: the master's channel.
class Inputs {
 public:
  Inputs(int sfd, int master, const SuperviseSettings& s) : s_(s) {
    fds_[0] = {sfd, POLLIN, 0};
    fds_[1] = {master, POLLIN, 0};  // poll() skips a negative descriptor
  }
  void forget_master() { fds_[1].fd = -1; }
  // Waits up to 20 ms. Returns: the signal that arrived (0: none).
  int wait(FromMaster* out) {
    const int n = poll(fds_, 2, 20);
    if (n <= 0) return 0;
    if (fds_[1].fd >= 0 && fds_[1].revents) read_master(out);
    signalfd_siginfo si;
    if ((fds_[0].revents & POLLIN) && ::read(fds_[0].fd, &si, sizeof si) == ssize_t(sizeof si))
      return int(si.ssi_signo);
    return 0;
  }

 private:
  void read_master(FromMaster* out) {
    for (;;) {
      net::ChannelMessage m;
      const net::ChannelRead r = net::channel_recv(fds_[1].fd, &m, /*nonblock=*/true);
      if (r == net::ChannelRead::kAgain) return;
      if (r != net::ChannelRead::kMessage) {
        out->gone = true;
        fds_[1].fd = -1;
        return;
      }
      if (m.text == kLeaveMessage) {
        out->leave = true;
        if (s_.on_leave) s_.on_leave(m);
      } else if (s_.on_message) {
        s_.on_message(m);
      }
      for (int d : m.fds) close(d);  // whatever the handler did not take
    }
  }

  const SuperviseSettings& s_;
  pollfd fds_[2];  // the signals, the master
};

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
  const int sfd = signalfd(-1, &set, SFD_NONBLOCK | SFD_CLOEXEC);
  Inputs inputs(sfd, s.master_channel, s);
  int64_t deadline = kNever;
  int64_t stop_at = kNever;  // when the listeners close
  bool stopping = false, stopped = false;
  const bool in_master = s.master_channel >= 0;
  bool orphan = false;
  for (;;) {
    FromMaster from;
    const int sig = inputs.wait(&from);
    const int64_t now = MonotonicClock::instance()->now_ms();
    if (s.on_tick) s.on_tick(now);
    if (in_master && (sig == SIGTERM || sig == SIGINT)) hard_stop(sig);
    if (sig == SIGTTOU || sig == SIGTTIN)
      for (auto& w : workers) w->suspend_listeners(sig == SIGTTOU);
    const bool lost_master = !orphan && from.gone;
    orphan = orphan || lost_master;
    if (lost_master) inputs.forget_master();
    const bool stop_signal =
        sig == SIGTERM || sig == SIGINT || sig == SIGUSR1 || lost_master || from.leave;
    if (stop_signal && !stopping) {
      stopping = true;
      fprintf(stderr, "hearth: %s, stopping listeners%s and draining sessions\n",
              lost_master  ? "the master process is gone"
              : from.leave ? "a new worker serves"
                           : signal_name(sig),
              s.grace_ms > 0 ? " after the grace delay" : "");
      if (s.exports) s.exports->withdraw();
      stop_at = now + s.grace_ms;
      if (s.hard_stop_ms > 0) deadline = now + s.hard_stop_ms;
    }
    if (stopping && !stopped && now >= stop_at) {
      stopped = true;
      for (auto& w : workers) w->begin_stop();
    }
    if (all_finished(workers)) {
      close(sfd);
      return;
    }
    if (stopping && MonotonicClock::instance()->now_ms() >= deadline) {
      fprintf(stderr, "hearth: hard-stop-after expired, closing remaining sessions\n");
      fflush(stderr);
      _exit(0);
    }
  }
}

}  // namespace hearth::app
