#include "app/serve.h"

#include <fcntl.h>
#include <sys/resource.h>
#include <unistd.h>

#include <condition_variable>
#include <cstdio>
#include <functional>
#include <memory>
#include <mutex>
#include <set>
#include <vector>

#include "admin/prom_exporter.h"
#include "admin/runtime_api.h"
#include "admin/session_commands.h"
#include "admin/stats_page.h"
#include "admin/stats_socket.h"
#include "app/affinity.h"
#include "app/dynamic_servers.h"
#include "app/handover.h"
#include "app/handover_feed.h"
#include "app/idle_handover.h"
#include "app/limits.h"
#include "app/process.h"
#include "app/runtime.h"
#include "app/supervise.h"
#include "app/worker.h"
#include "backend/server_marked.h"
#include "core/buffer.h"
#include "core/clock.h"
#include "core/pool.h"
#include "expr/sample.h"
#include "mux/mux.h"
#include "net/cert_store.h"
#include "net/fd_channel.h"
#include "net/hello_capture.h"
#include "net/socket_export.h"
#include "net/tls_stats.h"
#include "stream/live_stream.h"
#include "stream/rewrite_budget.h"
#include "stream/stats_service.h"
#include "stream/stream.h"

namespace hearth::app {
namespace {

// Runs fn(i) on every worker's own thread; waits up to 2 s for all of them.
struct ThreadCallState {
  std::mutex mu;
  std::condition_variable cv;
  int remaining = 0;
  std::function<void(int)> fn;
};
struct ThreadCall {
  std::shared_ptr<ThreadCallState> state;
  int index;
};

void run_thread_call(void* arg) {
  std::unique_ptr<ThreadCall> call(static_cast<ThreadCall*>(arg));
  call->state->fn(call->index);
  std::lock_guard<std::mutex> g(call->state->mu);
  if (--call->state->remaining == 0) call->state->cv.notify_all();
}

admin::RuntimeApi::OnThreads make_on_threads(std::vector<std::unique_ptr<Worker>>* workers) {
  return [workers](const std::function<void(int)>& fn) {
    auto st = std::make_shared<ThreadCallState>();
    st->fn = fn;
    st->remaining = int(workers->size());
    for (auto& w : *workers) w->loop()->post(&run_thread_call, new ThreadCall{st, w->index()});
    std::unique_lock<std::mutex> lk(st->mu);
    st->cv.wait_for(lk, std::chrono::seconds(2), [&] { return st->remaining == 0; });
  };
}

// Runs fn on every worker's own thread later; does not wait.
void run_posted_fn(void* arg) {
  std::unique_ptr<std::function<void()>> fn(static_cast<std::function<void()>*>(arg));
  (*fn)();
}

std::function<void(const std::function<void()>&)> make_post_all(
    std::vector<std::unique_ptr<Worker>>* workers) {
  return [workers](const std::function<void()>& fn) {
    for (auto& w : *workers) w->loop()->post(&run_posted_fn, new std::function<void()>(fn));
  };
}

// Descriptors that do not belong to a connection: each thread's listeners,
// poller and wake-up descriptor, the stats sockets, and a margin for checks,
// logs, DNS and the pid file.
long fixed_fds(const config::Config& c) {
  long binds = 0;
  for (const auto& p : c.proxies) binds += long(p.binds.size());
  return (binds + 2) * c.global.nbthread + long(c.global.stats_sockets.size()) + 20;
}

// After everything is bound: the pid file, chroot, the identity, the
// background. A master's worker has no pid file of its own (the master's
// pid is the one written) and never detaches (the master did).
// Returns: the pid file descriptor written once the pid is known
// (-1: none), or -2 after reporting a failure.
int confine(const Options& o, const config::GlobalConfig& g, bool daemon, bool worker) {
  std::string err;
  const std::string pidfile = worker ? "" : o.pidfile.empty() ? g.pidfile : o.pidfile;
  int pid_fd = -1;
  if (!pidfile.empty() && (pid_fd = open_pidfile(pidfile, &err)) < 0) {
    fprintf(stderr, "[ALERT] %s\n", err.c_str());
    return -2;
  }
  const int null_fd = daemon ? open("/dev/null", O_RDWR | O_CLOEXEC) : -1;
  if (!enter_chroot(g.process, &err) || !drop_privileges(g.process, &err) ||
      (daemon && !daemonize(pid_fd, null_fd, &err))) {
    fprintf(stderr, "[ALERT] %s\n", err.c_str());
    return -2;
  }
  return daemon ? -1 : pid_fd;  // the daemon child wrote it already
}

admin::RuntimeApi::ProcessInfo process_info(const config::GlobalConfig& g, int mem_limit_mb) {
  admin::RuntimeApi::ProcessInfo info;
  info.mem_limit_mb = mem_limit_mb;
  rlimit nofile{};
  getrlimit(RLIMIT_NOFILE, &nofile);
  info.ulimit_n = long(nofile.rlim_cur);
  info.maxconn = g.maxconn;
  info.node = g.process.node;
  if (info.node.empty()) info.node = host_name();  // HAProxy's default
  info.description = g.process.description;
  return info;
}

void print_listeners(const Runtime& rt) {
  for (auto& fr : rt.frontends) {
    const backend::Backend* be = fr.fe->default_backend;
    for (const auto& r : fr.fe->switching)
      if (!r.cond) {
        be = r.backend;
        break;
      }
    for (auto& b : fr.binds)
      fprintf(stderr,
              "hearth: frontend '%s' (mode %s) listening on %s, %d thread(s), backend '%s'\n",
              fr.fe->name.c_str(), fr.fe->mode == config::Mode::kHttp ? "http" : "tcp",
              b.inherited_fd >= 0 ? b.text.c_str() : b.addr.describe().c_str(), rt.nbthread,
              be ? be->name().c_str() : "(none: 503)");
  }
}

// Every listening socket once (a shared fd@N one is polled by every thread).
std::vector<net::ExportedSocket> exported_sockets(const std::vector<std::unique_ptr<Worker>>& ws) {
  std::vector<net::ExportedSocket> out;
  std::set<int> seen;
  for (auto& w : ws)
    for (const net::ExportedSocket& e : w->exported())
      if (seen.insert(e.fd).second) out.push_back(e);
  return out;
}

}  // namespace

int serve(const Options& o, config::ParseResult& parsed, bool quiet, const MasterLink* link) {
  config::GlobalConfig& g = parsed.config.global;
  std::string err;
  std::vector<std::string> notes;
  if (!apply_limits(g, o.maxconn, o.mem_limit_mb, fixed_fds(parsed.config), &err, &notes)) {
    fprintf(stderr, "[ALERT] %s\n", err.c_str());
    return 1;
  }
  for (auto& n : notes) fprintf(stderr, "[WARNING] %s\n", n.c_str());
  Runtime rt;
  if (link) {
    rt.listen_set = link->listeners;
    rt.warm = link->warm;
  }
  // -x: before anything binds, and before our stats socket replaces the old
  // one at the same path. A master's worker has its master's sockets instead.
  net::AdoptedSockets adopted;
  if (!link && !take_old_sockets(o, &adopted, &err)) {
    fprintf(stderr, "[ALERT] %s\n", err.c_str());
    return 1;
  }
  rt.adopted = &adopted;
  rt.reloaded = (link && (link->warm || link->handover_in >= 0)) || !o.old_pids.empty();
  std::vector<std::string> errors;
  if (!rt.build(parsed.config, &errors)) {
    for (auto& e : errors) fprintf(stderr, "[ALERT] %s\n", e.c_str());
    return 1;
  }
  for (auto& w : rt.warnings) fprintf(stderr, "[WARNING] %s\n", w.c_str());
  // From now on CA and CRL files come from their stores only (the runtime
  // API's "new/set/commit ssl ca-file|crl-file"), as HAProxy.
  net::PemStore::ca_files().freeze();
  net::PemStore::crl_files().freeze();
  if (o.debug)  // -d: a log line for every session, whatever the log settings say
    for (auto& fr : rt.frontends) {
      if (fr.fe->logs.sinks.empty()) {  // raw lines on stdout
        config::LogTarget t;
        t.format_set = true;
        t.format = config::SyslogFormat::kRaw;
        std::string e;
        stream::set_log_sinks(&fr.fe->logs, {stream::LogSink::open(t, false, &e)});
      }
      fr.fe->log = true;
      stream::debug_log_format(&fr.fe->logs);  // the tcplog line when no format is set
    }
  Buffer::configure(size_t(g.tune_bufsize));
  expr::set_chunk_size(size_t(g.tune_bufsize));  // converter scratch
  stream::set_max_rewrite(size_t(g.tune_maxrewrite));
  net::set_hello_capture_size(size_t(g.tls.capture_size));
  net::start_tls_stats(MonotonicClock::instance()->now_ms());
  Buffer::pool();  // fixes the block size now
  mux::register_builtin_muxes();
  sigset_t set = block_signals();

  std::vector<std::unique_ptr<Worker>> workers;
  for (int i = 0; i < rt.nbthread; ++i) {
    workers.push_back(std::make_unique<Worker>(i, &rt));
    if (!workers.back()->open_listeners(&err)) {
      fprintf(stderr, "[ALERT] %s\n", err.c_str());
      return 1;
    }
  }
  release_old_sockets(&adopted, quiet);
  rt.adopted = nullptr;
  if (!quiet) print_listeners(rt);
  std::vector<backend::Backend*> bes;
  for (auto& b : rt.backends) bes.push_back(b.get());
  std::vector<stream::Frontend*> fes;
  for (auto& f : rt.frontends) fes.push_back(f.fe.get());
  admin::RuntimeApi api(bes, fes, rt.nbthread, make_on_threads(&workers));
  api.set_post_all(make_post_all(&workers));
  std::vector<const EventLoop*> loops;
  for (auto& w : workers) loops.push_back(w->loop());
  api.set_worker_loops(std::move(loops));
  // on-marked-down / on-marked-up: each worker kills its own streams.
  backend::set_session_killer([post = make_post_all(&workers)](const backend::Server* s, char c) {
    post([s, c] {
      admin::kill_local_streams(
          [s](const stream::LiveStream& ls) { return ls.current_server() == s; }, c);
    });
  });
  api.set_process_info(process_info(g, o.mem_limit_mb));
  DynamicServers dynamic_servers(&rt, &parsed.config, &workers);  // add server, del server
  api.set_server_editor(&dynamic_servers);
  // The proxies' stats pages, built on the worker threads that serve them.
  admin::StatsPage stats_page(api.stat_sources(), process_info(g, o.mem_limit_mb), rt.nbthread);
  stream::set_stats_page_builder(&admin::StatsPage::build_cb, &stats_page);
  // http-request use-service prometheus-exporter, on the workers too.
  admin::PromExporter exporter(api.stat_sources(), process_info(g, o.mem_limit_mb), rt.nbthread,
                               MonotonicClock::instance()->now_ms());
  stream::set_http_service("prometheus-exporter", &admin::PromExporter::serve_cb, &exporter);
  net::SocketExport exports;
  exports.publish(exported_sockets(workers));
  admin::StatsConnLimit stats_limit(g.stats_maxconn);
  std::vector<std::unique_ptr<admin::StatsSocket>> sockets;
  for (const auto& sc : g.stats_sockets) {
    auto sock =
        std::make_unique<admin::StatsSocket>(&api, sc.level, g.stats_timeout_ms, &stats_limit);
    if (sc.expose_fd) sock->set_export(&exports);
    if (!(sc.tcp ? sock->open_tcp(sc.path, &err)
                 : sock->open(sc.path, sc.mode, &err, sc.uid, sc.gid))) {
      fprintf(stderr, "[ALERT] %s:%d: 'stats': %s\n", sc.loc.file.c_str(), sc.loc.line,
              err.c_str());
      return 1;
    }
    if (!quiet)
      fprintf(stderr, "hearth: stats socket on %s (level %s)\n", sc.path.c_str(),
              admin::cli_level_name(sc.level));
    sockets.push_back(std::move(sock));
  }
  if (link && link->cli_channel >= 0) {  // the master CLI's "@N" (app/master_cli.h)
    auto sock = std::make_unique<admin::StatsSocket>(&api, config::CliLevel::kUser,
                                                     g.stats_timeout_ms, &stats_limit);
    sock->open_master_link(link->cli_channel);
    sockets.push_back(std::move(sock));
  }
  // -d and -db keep the process in the foreground whatever asks for a daemon.
  const bool daemon = !link && (o.daemon || g.process.daemon) && !o.foreground;
  const int pid_fd = confine(o, g, daemon, link != nullptr);
  if (pid_fd == -2) return 1;
  write_pid(pid_fd);
  HandoverFeed feed(&rt.backends);  // the warm reload's direct channel
  if (link && link->handover_in >= 0) feed.add(link->handover_in);
  for (auto& w : workers) w->start();
  std::vector<pthread_t> threads;
  for (auto& w : workers) threads.push_back(w->native_thread());
  if (!apply_cpu_maps(g.process.cpu_maps, threads, &err)) {
    fprintf(stderr, "[ALERT] %s\n", err.c_str());
    _exit(1);
  }
  for (auto& s : sockets) s->start();
  if (!link) signal_old_processes(o, quiet);  // -sf / -st: we serve now
  daemon_ready();
  if (link && !net::channel_send(link->channel, "ready"))
    fprintf(stderr, "[WARNING] cannot tell the master this worker is ready\n");
  SuperviseSettings ss;
  ss.hard_stop_ms = rt.hard_stop_after_ms;
  ss.grace_ms = g.process.grace_ms;
  ss.master_channel = link ? link->channel : -1;
  ss.exports = &exports;
  if (link) {
    const int channel = link->channel;
    // A direct channel to the new worker if the master opened one, else
    // through the master. Kept open until the process exits.
    ss.on_leave = [&rt, channel](net::ChannelMessage& m) {
      int to = channel;
      if (!m.fds.empty()) {
        to = m.fds.front();
        m.fds.erase(m.fds.begin());
      }
      if (rt.handover_channel.load() < 0) rt.handover_channel.store(to);
    };
    ss.on_tick = [&rt, &workers, &feed](int64_t now) {
      feed.read_all();
      sweep_handed_over(rt.backends, workers, now);
    };
    ss.on_message = [&rt, &bes, channel](net::ChannelMessage& m) {
      if (m.text == kWarmStateRequest) {
        send_warm_state(channel, collect_warm_state(bes, MonotonicClock::instance()->now_ms()));
      } else if (is_idle_handover(m.text)) {
        adopt_idle(rt.backends, m);
      }
    };
  }
  supervise(set, workers, ss);
  for (auto& w : workers) w->join();
  backend::set_session_killer(nullptr);
  stream::set_stats_page_builder(nullptr, nullptr);
  stream::set_http_service("prometheus-exporter", nullptr, nullptr);
  for (auto& s : sockets) s->stop();
  const std::string pidfile = link ? "" : o.pidfile.empty() ? g.pidfile : o.pidfile;
  // Inside a chroot the path would name another file (or none): leave it.
  // After an old-style reload it holds the new process's pid: leave it too.
  if (!pidfile.empty() && g.process.chroot.empty() && pidfile_is_ours(pidfile))
    unlink(pidfile.c_str());
  fprintf(stderr, "hearth: stopped\n");
  return 0;
}

}  // namespace hearth::app
