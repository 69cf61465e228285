#include "app/master.h"

#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <sys/signalfd.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <ctime>
#include <vector>

#include "app/exit_status.h"
#include "app/handover.h"
#include "app/idle_handover.h"
#include "app/load.h"
#include "app/master_cli.h"
#include "app/process.h"
#include "app/programs.h"
#include "app/runtime.h"
#include "app/sd_notify.h"
#include "app/serve.h"
#include "app/supervise.h"
#include "app/warm_state.h"
#include "net/adopted_sockets.h"
#include "net/fd_channel.h"
#include "net/listen_set.h"

namespace hearth::app {
namespace {

struct WorkerProc {
  pid_t pid = -1;
  int channel = -1;      // the master's end
  int cli = -1;          // the master's end of its CLI channel (app/master_cli.h)
  int reloads = 0;       // reloads this worker has lived through
  bool current = true;   // false once a newer worker took over
  bool leaving = false;  // told to soft-stop
  time_t started = 0;
  bool channel_open = true;  // false once its end closed (it is exiting)
};

// How long a reload waits for the current worker's warm state.
constexpr int kWarmStateTimeoutMs = 1000;

class Master {
 public:
  Master(const Options& o, bool quiet)
      : o_(o),
        quiet_(quiet),
        programs_(quiet),
        cli_([this] { return cli_state(); }, [this] { queued_.push_back(SIGUSR2); }) {}
  int run(config::ParseResult parsed);

 private:
  // Asks the listen set for every socket the configuration's binds need.
  bool bind_all(const config::Config& c, std::string* err);
  // Binds, forks a worker on `parsed` and waits until it serves.
  // Returns: false (reported) if it could not start; nothing changed then.
  // `warm`: what the worker it replaces knows (null: nothing).
  // `handover`: the warm reload's direct channel (-1s: none): [1] is the
  // worker's from its start, [0] goes to the workers it replaces.
  bool start_worker(config::ParseResult& parsed, bool quiet, const WarmState* warm,
                    const int handover[2]);
  // The warm reload: messages from the workers' channels; idle server
  // connections a leaving worker hands over go on to the current one.
  void read_channels(const std::vector<pollfd>& polled);
  WorkerProc* current_worker();
  // Sends a worker that a newer one replaces the soft stop with handover,
  // with `direct` (the new worker's channel; -1: through the master).
  // Returns: false if the channel failed (the caller signals instead).
  bool tell_to_leave(const WorkerProc& w, int direct);
  bool wait_ready(int channel);
  void reload();
  void on_signal(int sig);
  void reap();
  // A current worker or program failed: SIGTERM to all, unless no-exit-on-failure.
  void stop_on_failure();
  void signal_all(int sig);
  void read_signals(bool queue_only);
  void settings_from(const config::GlobalConfig& g);
  MasterState cli_state() const;
  // Every worker and program gone: the loop may end (programs get SIGTERM first).
  bool all_gone();
  // -Ws: tells systemd (a no-op without -Ws or NOTIFY_SOCKET).
  void notify(const char* state) {
    if (o_.systemd) sd_notify(state);
  }

  Options o_;
  bool quiet_;
  net::ListenSet listeners_;
  Programs programs_;
  MasterCli cli_;
  time_t started_ = time(nullptr);
  int reloads_ = 0, failed_reloads_ = 0;
  bool last_reload_failed_ = false;
  bool programs_stopped_ = false;
  std::vector<WorkerProc> workers_;
  std::vector<int> queued_;  // signals read while a new worker was starting
  int sfd_ = -1;
  bool stopping_ = false;
  int stop_sig_ = 0;
  int exit_code_ = 0;
  bool exit_set_ = false;
  bool exit_on_failure_ = true;
  int max_reloads_ = -1;
};

void Master::settings_from(const config::GlobalConfig& g) {
  exit_on_failure_ = g.process.exit_on_failure;
  max_reloads_ = g.process.mworker_max_reloads;
}

bool Master::bind_all(const config::Config& c, std::string* err) {
  for (const config::ProxyConfig& p : c.proxies) {
    if (p.kind != config::ProxyKind::kFrontend && p.kind != config::ProxyKind::kListen) continue;
    for (const config::BindConfig& b : p.binds) {
      if (net::parse_fd_spec(b.address)) continue;  // inherited: nothing to bind
      std::string e;
      auto a = net::Address::parse(b.address, &e);
      const std::string where = b.loc.file + ":" + std::to_string(b.loc.line) + ": 'bind': ";
      if (!a) return *err = where + "'" + b.address + "': " + e, false;
      const net::ListenOptions lo = listen_options(b.opts, p);
      for (int t = 0; t < c.global.nbthread; ++t)  // a UNIX socket: one for all (same key)
        if (listens_on(b.opts.threads, t) && listeners_.get(*a, lo, a->is_unix() ? 0 : t, &e) < 0)
          return *err = where + e, false;
    }
  }
  return true;
}

bool Master::wait_ready(int channel) {
  for (;;) {
    pollfd p[2] = {{channel, POLLIN, 0}, {sfd_, POLLIN, 0}};
    if (poll(p, 2, -1) < 0) {
      if (errno == EINTR) continue;
      return false;
    }
    if (p[1].revents & POLLIN) read_signals(/*queue_only=*/true);
    if (p[0].revents) {
      net::ChannelMessage m;
      const net::ChannelRead r = net::channel_recv(channel, &m);
      for (int fd : m.fds) close(fd);
      if (r == net::ChannelRead::kMessage && m.text == "ready") return true;
      if (r != net::ChannelRead::kMessage) return false;  // the worker died first
    }
  }
}

bool Master::tell_to_leave(const WorkerProc& w, int direct) {
  if (!w.channel_open) return false;
  // A direct channel from the leaving worker to the new one: its idle
  // connections then reach the new worker without a stop here.
  if (direct >= 0 && net::channel_send(w.channel, kLeaveMessage, &direct, 1)) return true;
  return net::channel_send(w.channel, kLeaveMessage);  // through the master
}

WorkerProc* Master::current_worker() {
  for (WorkerProc& w : workers_)
    if (w.current) return &w;
  return nullptr;
}

void Master::read_channels(const std::vector<pollfd>& polled) {
  for (const pollfd& p : polled) {
    if (p.fd == sfd_ || !p.revents) continue;
    WorkerProc* from = nullptr;
    for (WorkerProc& w : workers_)
      if (w.channel == p.fd) from = &w;
    if (!from) continue;
    for (;;) {
      net::ChannelMessage m;
      const net::ChannelRead r = net::channel_recv(p.fd, &m, /*nonblock=*/true);
      if (r == net::ChannelRead::kAgain) break;
      if (r != net::ChannelRead::kMessage) {
        from->channel_open = false;  // reap() closes it once the worker is gone
        break;
      }
      WorkerProc* to = current_worker();
      if (is_idle_handover(m.text) && to && to != from && to->channel_open)
        net::channel_send(to->channel, m.text, m.fds.data(), m.fds.size());
      for (int fd : m.fds) close(fd);  // the new worker has its own copies
    }
  }
}

bool Master::start_worker(config::ParseResult& parsed, bool quiet, const WarmState* warm,
                          const int handover[2]) {
  std::string err;
  int sp[2], cli[2] = {-1, -1};
  if (!bind_all(parsed.config, &err) || !net::channel_pair(sp, &err)) {
    fprintf(stderr, "[ALERT] %s\n", err.c_str());
    listeners_.abort();
    return false;
  }
  if (!net::channel_pair(cli, &err)) cli[0] = cli[1] = -1;  // no "@N" to this worker
  fflush(stdout);
  fflush(stderr);
  const pid_t pid = fork();
  if (pid < 0) {
    fprintf(stderr, "[ALERT] fork: %s\n", strerror(errno));
    for (int fd : {sp[0], sp[1], cli[0], cli[1]})
      if (fd >= 0) close(fd);
    listeners_.abort();
    return false;
  }
  if (pid == 0) {  // the worker: nothing of the master's but the listeners
    close(sp[0]);
    if (cli[0] >= 0) close(cli[0]);
    if (handover[0] >= 0) close(handover[0]);  // the leaving worker's end
    close(sfd_);
    cli_.close_in_child();
    for (const WorkerProc& w : workers_) close(w.channel), close(w.cli);
    listeners_.commit();  // this process's copies of the sockets dropped by the reload
    sigset_t none;
    sigemptyset(&none);
    sigprocmask(SIG_SETMASK, &none, nullptr);
    MasterLink link{sp[1], &listeners_, cli[1], warm, handover[1]};
    const int rc = serve(o_, parsed, quiet, &link);
    fflush(stdout);
    fflush(stderr);
    _exit(rc);
  }
  close(sp[1]);
  if (cli[1] >= 0) close(cli[1]);
  if (!wait_ready(sp[0])) {
    fprintf(stderr, "[ALERT] hearth master: the new worker (%d) exited before serving\n", int(pid));
    close(sp[0]);
    if (cli[0] >= 0) close(cli[0]);
    listeners_.abort();
    return false;
  }
  listeners_.commit();
  for (WorkerProc& w : workers_) w.current = false;
  workers_.push_back({pid, sp[0], cli[0], 0, true, false, time(nullptr)});
  if (!quiet) fprintf(stderr, "[NOTICE] hearth master: new worker (%d) serving\n", int(pid));
  return true;
}

void Master::reload() {
  fprintf(stderr, "[NOTICE] hearth master: reloading\n");
  notify("RELOADING=1");
  Options o = o_;
  o.chdir.clear();  // done once, at startup
  config::ParseResult parsed;
  bool quiet = false;
  ++reloads_;
  last_reload_failed_ = true;
  // What the current worker knows about the servers goes to the new one.
  WarmState warm;
  const WorkerProc* cur = current_worker();
  const bool have_warm =
      cur && cur->channel_open && fetch_warm_state(cur->channel, kWarmStateTimeoutMs, &warm);
  // The warm reload's direct channel, made before the fork: the new worker
  // reads it from its start, so no connection the leaving worker sends
  // arrives before someone listens for it.
  int handover[2] = {-1, -1};
  std::string err;
  if (cur && cur->channel_open && !net::channel_pair(handover, &err))
    handover[0] = handover[1] = -1;  // the connections go through the master
  const bool started = load_config(o, &parsed, &quiet) &&
                       start_worker(parsed, quiet, have_warm ? &warm : nullptr, handover);
  if (handover[1] >= 0) close(handover[1]);  // the new worker's end
  if (!started) {
    if (handover[0] >= 0) close(handover[0]);
    ++failed_reloads_;
    fprintf(stderr, "[ALERT] hearth master: reload failed, the current worker keeps serving\n");
    notify("READY=1");  // still serving, with the previous configuration
    return;
  }
  last_reload_failed_ = false;
  settings_from(parsed.config.global);
  programs_.reload(parsed.config.programs);
  for (WorkerProc& w : workers_) {
    if (w.current) continue;
    ++w.reloads;
    if (max_reloads_ >= 0 && w.reloads > max_reloads_) {
      kill(w.pid, SIGTERM);  // mworker-max-reloads: it stayed too long
    } else if (!w.leaving && !tell_to_leave(w, handover[0])) {
      kill(w.pid, SIGUSR1);  // finish the sessions, bounded by hard-stop-after
    }
    w.leaving = true;
  }
  if (handover[0] >= 0) close(handover[0]);  // the leaving workers hold it now
  fprintf(stderr, "[NOTICE] hearth master: reload done\n");
  notify("READY=1");
}

void Master::signal_all(int sig) {
  for (const WorkerProc& w : workers_) kill(w.pid, sig);
}

void Master::on_signal(int sig) {
  switch (sig) {
    case SIGCHLD:
      return reap();
    case SIGUSR2:
    case SIGHUP:
      if (!stopping_) reload();
      return;
    case SIGTTOU:
    case SIGTTIN:
      return signal_all(sig);
    case SIGUSR1:
    case SIGTERM:
    case SIGINT:
      if (!stopping_ || sig != SIGUSR1) stop_sig_ = sig;
      if (!stopping_) notify("STOPPING=1");
      stopping_ = true;
      fprintf(stderr, "[WARNING] hearth master: %s, stopping the workers\n",
              sig == SIGUSR1 ? "soft stop" : "hard stop");
      programs_.signal_all(SIGTERM);  // programs stop with SIGTERM, whatever the stop
      return signal_all(sig);
    default:
      return;
  }
}

void Master::reap() {
  int status;
  pid_t pid;
  while ((pid = waitpid(-1, &status, WNOHANG)) > 0) {
    bool program_failed = false;
    if (programs_.reaped(pid, status, stopping_, &program_failed)) {
      if (program_failed) stop_on_failure();
      continue;
    }
    size_t i = 0;
    while (i < workers_.size() && workers_[i].pid != pid) ++i;
    if (i == workers_.size()) continue;  // a new worker that never served
    const WorkerProc w = workers_[i];
    close(w.channel);
    if (w.cli >= 0) close(w.cli);
    workers_.erase(workers_.begin() + long(i));
    const int code = exit_code(status);
    if (!w.current) {
      fprintf(stderr, "[WARNING] hearth master: former worker (%d) exited with code %d (%s)\n",
              int(pid), code, exit_reason(status));
      continue;
    }
    fprintf(stderr, "[%s] hearth master: current worker (%d) exited with code %d (%s)\n",
            stopping_ ? "WARNING" : "ALERT", int(pid), code, exit_reason(status));
    if (!exit_set_) exit_code_ = code, exit_set_ = true;
    // A crash (not one of the stops) ends everything, unless told otherwise.
    if (failed_exit(code)) stop_on_failure();
  }
}

void Master::stop_on_failure() {
  if (stopping_ || !exit_on_failure_) return;
  fprintf(stderr, "[ALERT] hearth master: exit-on-failure, stopping every worker\n");
  notify("STOPPING=1");
  stopping_ = true;
  signal_all(SIGTERM);
  programs_.signal_all(SIGTERM);
}

void Master::read_signals(bool queue_only) {
  signalfd_siginfo si;
  while (read(sfd_, &si, sizeof si) == ssize_t(sizeof si)) {
    const int sig = int(si.ssi_signo);
    if (queue_only && sig != SIGCHLD)
      queued_.push_back(sig);
    else
      on_signal(sig);
  }
}

MasterState Master::cli_state() const {
  MasterState st{started_, reloads_, failed_reloads_, last_reload_failed_, {}};
  for (bool old : {false, true})
    for (const WorkerProc& w : workers_)
      if (w.current != old)
        st.procs.push_back({w.pid, "worker", false, old, w.reloads, w.started, w.cli});
  for (const ProgramProc& p : programs_.procs())
    st.procs.push_back({p.pid, p.name, true, p.leaving, p.reloads, p.started, -1});
  return st;
}

bool Master::all_gone() {
  if (programs_.empty()) return true;
  if (!programs_stopped_) programs_.signal_all(SIGTERM);
  programs_stopped_ = true;
  return false;
}

int Master::run(config::ParseResult parsed) {
  setenv("HAPROXY_MWORKER", "1", 1);
  signal(SIGPIPE, SIG_IGN);
  sigset_t set;
  sigemptyset(&set);
  for (int sig : {SIGCHLD, SIGUSR1, SIGUSR2, SIGHUP, SIGTERM, SIGINT, SIGTTOU, SIGTTIN})
    sigaddset(&set, sig);
  sigprocmask(SIG_BLOCK, &set, nullptr);
  sfd_ = signalfd(-1, &set, SFD_NONBLOCK | SFD_CLOEXEC);
  if (sfd_ < 0) return fprintf(stderr, "[ALERT] signalfd: %s\n", strerror(errno)), 1;
  const config::GlobalConfig& g = parsed.config.global;
  settings_from(g);
  const std::string pidfile = o_.pidfile.empty() ? g.pidfile : o_.pidfile;
  std::string err;
  if (!cli_.open(o_.master_cli, &err)) return fprintf(stderr, "[ALERT] %s\n", err.c_str()), 1;
  int pid_fd = -1;
  if (!pidfile.empty() && (pid_fd = open_pidfile(pidfile, &err)) < 0)
    return fprintf(stderr, "[ALERT] %s\n", err.c_str()), 1;
  const bool daemon = (o_.daemon || g.process.daemon) && !o_.foreground;
  if (daemon) {
    const int null_fd = open("/dev/null", O_RDWR | O_CLOEXEC);
    if (!daemonize(pid_fd, null_fd, &err)) return fprintf(stderr, "[ALERT] %s\n", err.c_str()), 1;
  } else {
    write_pid(pid_fd);
  }
  programs_.start(parsed.config.programs);
  // -x and -sf/-st apply to the first start only: later, the master's own
  // sockets carry the reloads (handover.h).
  net::AdoptedSockets adopted;
  if (!take_old_sockets(o_, &adopted, &err)) fprintf(stderr, "[WARNING] %s\n", err.c_str());
  listeners_.set_adopted(&adopted);
  const int no_handover[2] = {-1, -1};
  if (!start_worker(parsed, quiet_, nullptr, no_handover)) {
    programs_.signal_all(SIGTERM);
    int status = 0;
    while (wait(&status) > 0 || errno == EINTR) {  // the programs too
    }
    return 1;
  }
  release_old_sockets(&adopted, quiet_);
  signal_old_processes(o_, quiet_);
  daemon_ready();
  notify("READY=1");
  for (;;) {
    std::vector<int> q;
    q.swap(queued_);
    for (int sig : q) on_signal(sig);
    reap();
    if (workers_.empty() && (stopping_ || exit_on_failure_) && all_gone()) break;
    std::vector<pollfd> p{{sfd_, POLLIN, 0}};
    for (const WorkerProc& w : workers_)
      if (w.channel_open) p.push_back({w.channel, POLLIN, 0});
    const size_t cli_first = p.size();
    int timeout_ms = -1;
    cli_.add_pollfds(&p, &timeout_ms);
    if (poll(p.data(), p.size(), timeout_ms) < 0) continue;
    read_channels(std::vector<pollfd>(p.begin() + 1, p.begin() + long(cli_first)));
    if (p[0].revents & POLLIN) read_signals(false);
    cli_.on_events(p, cli_first);
  }
  listeners_.close_all();
  if (!pidfile.empty()) unlink(pidfile.c_str());
  const int rc = stop_sig_ == SIGTERM ? 0 : exit_code_;
  fprintf(stderr, "[WARNING] hearth master: every worker exited, leaving (%d)\n", rc);
  return rc;
}

}  // namespace

int run_master(const Options& o, config::ParseResult parsed, bool quiet) {
  Master m(o, quiet);
  return m.run(std::move(parsed));
}

}  // namespace hearth::app
