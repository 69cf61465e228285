// hearth: entry point. Parses flags and configuration, builds the runtime, runs
// one worker per thread, and handles signals for a graceful stop.
#include <signal.h>
#include <time.h>
#include <unistd.h>

#include <condition_variable>
#include <cstdio>
#include <fstream>
#include <functional>
#include <memory>
#include <mutex>
#include <vector>

#include "admin/runtime_api.h"
#include "admin/stats_socket.h"
#include "app/options.h"
#include "app/runtime.h"
#include "app/worker.h"
#include "config/parser.h"
#include "config/validate.h"
#include "core/buffer.h"
#include "core/clock.h"
#include "expr/sample.h"
#include "mux/mux.h"
#include "stream/stream.h"

namespace hearth::app {
namespace {

constexpr const char* kVersion = "hearth 0.1.0";

int check_or_load(const Options& o, config::ParseResult* r) {
  *r = config::parse_files(o.config_files);
  config::validate(*r);
  for (const auto& w : r->warnings) fprintf(stderr, "[WARNING] %s\n", w.str().c_str());
  for (const auto& e : r->errors) fprintf(stderr, "[ALERT] %s\n", e.str().c_str());
  if (!r->ok()) {
    fprintf(stderr, "[ALERT] configuration is invalid: %zu error(s)\n", r->errors.size());
    return 1;
  }
  return 0;
}

void write_pidfile(const std::string& path) {
  if (path.empty()) return;
  std::ofstream f(path);
  f << getpid() << "\n";
}

// Blocks the stop signals in every thread; the main thread waits for them.
sigset_t block_signals() {
  sigset_t set;
  sigemptyset(&set);
  sigaddset(&set, SIGTERM);
  sigaddset(&set, SIGINT);
  sigaddset(&set, SIGUSR1);
  pthread_sigmask(SIG_BLOCK, &set, nullptr);
  signal(SIGPIPE, SIG_IGN);
  return set;
}

bool all_finished(const std::vector<std::unique_ptr<Worker>>& ws) {
  for (auto& w : ws)
    if (!w->finished()) return false;
  return true;
}

// Waits for a stop signal, then for the workers to drain (up to hard-stop-after).
void supervise(const sigset_t& set, std::vector<std::unique_ptr<Worker>>& workers,
               int64_t hard_stop_ms) {
  timespec tick{0, 100 * 1000 * 1000};
  int64_t deadline = kNever;
  bool stopping = false;
  for (;;) {
    int sig = sigtimedwait(&set, nullptr, &tick);
    if ((sig == SIGTERM || sig == SIGINT || sig == SIGUSR1) && !stopping) {
      stopping = true;
      fprintf(stderr, "hearth: received %s, stopping listeners and draining sessions\n",
              sig == SIGTERM  ? "SIGTERM"
              : sig == SIGINT ? "SIGINT"
                              : "SIGUSR1");
      for (auto& w : workers) w->begin_stop();
      if (hard_stop_ms > 0) deadline = MonotonicClock::instance()->now_ms() + hard_stop_ms;
    }
    if (all_finished(workers)) return;
    if (stopping && MonotonicClock::instance()->now_ms() >= deadline) {
      fprintf(stderr, "hearth: hard-stop-after expired, closing remaining sessions\n");
      fflush(stderr);
      _exit(0);
    }
  }
}

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

}  // namespace

int run(int argc, char** argv) {
  Options o;
  std::string err;
  if (!parse_options(argc, argv, &o, &err)) {
    fprintf(stderr, "hearth: %s\n%s", err.c_str(), usage());
    return 1;
  }
  if (o.help) return printf("%s", usage()), 0;
  if (o.version) return printf("%s\n", kVersion), 0;

  config::ParseResult parsed;
  if (check_or_load(o, &parsed) != 0) return 1;
  Runtime rt;
  std::vector<std::string> errors;
  if (!rt.build(parsed.config, &errors)) {
    for (auto& e : errors) fprintf(stderr, "[ALERT] %s\n", e.c_str());
    return 1;
  }
  if (o.debug)  // -d: a log line for every session, whatever the log settings say
    for (auto& fr : rt.frontends) {
      if (fr.fe->logs.sinks.empty()) {  // raw lines on stdout
        config::LogTarget t;
        t.format_set = true;
        t.format = config::SyslogFormat::kRaw;
        std::string err;
        stream::set_log_sinks(&fr.fe->logs, {stream::LogSink::open(t, false, &err)});
      }
      fr.fe->log = true;
      stream::debug_log_format(&fr.fe->logs);  // the tcplog line when no format is set
    }
  if (o.check_only) {
    printf("Configuration file is valid\n");
    return 0;
  }
  Buffer::configure(size_t(parsed.config.global.tune_bufsize));
  expr::set_chunk_size(size_t(parsed.config.global.tune_bufsize));  // converter scratch
  Buffer::pool();                                                   // fixes the block size now
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
              b.inherited_fd >= 0 ? b.text.c_str() : b.addr.str().c_str(), rt.nbthread,
              be ? be->name().c_str() : "(none: 503)");
  }
  std::vector<backend::Backend*> bes;
  for (auto& b : rt.backends) bes.push_back(b.get());
  std::vector<stream::Frontend*> fes;
  for (auto& f : rt.frontends) fes.push_back(f.fe.get());
  admin::RuntimeApi api(bes, fes, rt.nbthread, make_on_threads(&workers));
  std::vector<std::unique_ptr<admin::StatsSocket>> sockets;
  for (const auto& sc : parsed.config.global.stats_sockets) {
    auto sock = std::make_unique<admin::StatsSocket>(&api, sc.level_admin);
    if (!sock->open(sc.path, sc.mode, &err)) {
      fprintf(stderr, "[ALERT] %s:%d: 'stats': %s\n", sc.loc.file.c_str(), sc.loc.line,
              err.c_str());
      return 1;
    }
    fprintf(stderr, "hearth: stats socket on %s (level %s)\n", sc.path.c_str(),
            sc.level_admin ? "admin" : "operator");
    sockets.push_back(std::move(sock));
  }
  if (o.pidfile.empty()) o.pidfile = parsed.config.global.pidfile;
  write_pidfile(o.pidfile);
  for (auto& w : workers) w->start();
  for (auto& s : sockets) s->start();
  supervise(set, workers, rt.hard_stop_after_ms);
  for (auto& w : workers) w->join();
  for (auto& s : sockets) s->stop();
  if (!o.pidfile.empty()) unlink(o.pidfile.c_str());
  fprintf(stderr, "hearth: stopped\n");
  return 0;
}

}  // namespace hearth::app

int main(int argc, char** argv) { return hearth::app::run(argc, argv); }
