#include "app/worker.h"

#include <unistd.h>

#include "app/idle_handover.h"
#include "core/clock.h"
#include "core/pool.h"
#include "mux/mux_h1.h"
#include "net/adopted_sockets.h"
#include "net/pipe_pool.h"
#include "net/socket.h"
#include "stick/registry.h"
#include "stream/frontend.h"
#include "stream/http_stream.h"
#include "stream/stream.h"

namespace hearth::app {
namespace {
constexpr int64_t kHousekeepingMs = 100;
}  // namespace

Worker::Worker(int index, Runtime* rt)
    : index_(index), rt_(rt), housekeeping_(&Worker::housekeeping_cb, this) {}

Worker::~Worker() { join(); }

bool Worker::open_listeners(std::string* err) {
  loop_.set_limits(rt_->tuning.maxpollevents, rt_->tuning.runqueue_depth);
  for (FrontendRuntime& fr : rt_->frontends) {
    if (int(fr.fe->listeners_by_thread.size()) < rt_->nbthread)
      fr.fe->listeners_by_thread.resize(rt_->nbthread);
    for (const BindSpec& b : fr.binds) {
      if (!listens_on(b.threads, index_)) continue;  // "thread": not this one
      int fd = b.inherited_fd;
      bool owns = false;
      const bool shared_open =
          b.shared && b.shared->fd >= 0;  // a UNIX socket another thread opened
      if (shared_open) fd = b.shared->fd;
      // A UNIX socket has one slot: the master holds it under thread 0.
      const int slot = b.shared ? 0 : index_;
      if (fd < 0 && rt_->listen_set) {
        // The master's socket: this process's copy is ours to close.
        fd = rt_->listen_set->find(b.addr, b.listen, slot);
        if (fd < 0) {
          *err = b.loc.file + ":" + std::to_string(b.loc.line) + ": 'bind': the master holds no " +
                 "socket for " + b.text;
          return false;
        }
        owns = true;
      } else if (fd < 0 && rt_->adopted && (fd = rt_->adopted->take(b.addr, b.listen)) >= 0) {
        owns = true;  // the old process's socket (-x): it keeps its own copy
      } else if (fd < 0) {
        std::string e;
        fd = net::make_listener(b.addr, b.listen, &e);
        if (fd < 0) {
          *err = b.loc.file + ":" + std::to_string(b.loc.line) + ": 'bind': " + e;
          return false;
        }
        owns = true;
      }
      if (b.shared && !shared_open) {
        b.shared->fd = fd;  // closed with the runtime, after every thread's listener
        owns = false;
      }
      // TLS binds also wait for the SSL rate limit (maxsslrate).
      const bool tls = b.xprt && b.xprt != net::raw_transport();
      auto l = std::make_unique<net::Listener>(
          &loop_, fd, owns, &stream::frontend_accept,
          tls ? &stream::frontend_tls_gate : &stream::frontend_gate, fr.fe.get());
      l->set_transport(b.xprt);
      l->set_bind(b.info);
      l->set_listen_options(b.listen);
      l->set_max_accept(rt_->tuning.maxaccept);
      l->set_accept_delay(tls ? &stream::frontend_tls_accept_delay
                              : &stream::frontend_accept_delay);
      l->set_buffers(rt_->tuning.sndbuf_client, rt_->tuning.rcvbuf_client);
      l->set_exhausted_hook(&stream::frontend_accept_exhausted);
      // A shared inherited socket is polled by every worker: wake only one.
      if (!l->start(/*exclusive=*/(b.inherited_fd >= 0 || b.shared) && rt_->nbthread > 1)) {
        *err = b.loc.file + ":" + std::to_string(b.loc.line) + ": 'bind': cannot poll " + b.text;
        return false;
      }
      fr.fe->listeners_by_thread[index_].push_back(l.get());
      if (!shared_open) exported_.push_back({fd, "", b.listen.interface});
      listeners_.push_back(std::move(l));
    }
  }
  return true;
}

void Worker::start() {
  thread_ = std::thread([this] {
    set_thread_index(index_);
    loop_.make_current();
    loop_.update_time();
    loop_.timers().arm(&housekeeping_, loop_.now_ms() + kHousekeepingMs);
    for (auto& hc : rt_->checks)
      if (hc->thread() == index_) hc->start(&loop_);
    for (auto& f : rt_->ring_forwarders)
      if (f->thread() == index_) f->start(&loop_);
    for (auto& r : rt_->resolvers)
      if (r->thread() == index_) r->start(&loop_);
    for (auto& p : rt_->peer_sections)
      if (p->thread() == index_) p->start(&loop_);
    loop_.run();
    for (auto& p : rt_->peer_sections)
      if (p->thread() == index_) p->stop();
    for (auto& r : rt_->resolvers)
      if (r->thread() == index_) r->stop();
    for (auto& hc : rt_->checks)
      if (hc->thread() == index_) hc->stop();
    for (auto& f : rt_->ring_forwarders)
      if (f->thread() == index_) f->stop();
    loop_.timers().cancel(&housekeeping_);
    backend::ConnPool::set_park_hook(nullptr, nullptr);
    mux::MuxH1::close_idle_incoming();  // any that went idle during the drain
    hand_over_idle_pools();
    close_idle_pools();
    net::release_thread_pipes();
    finished_.store(true);
  });
}

void Worker::join() {
  if (thread_.joinable()) thread_.join();
}

void Worker::begin_stop() { loop_.post(&Worker::stop_cb, this); }

void Worker::suspend_listeners(bool suspend) {
  loop_.post(suspend ? &Worker::suspend_cb : &Worker::resume_cb, this);
}

void Worker::suspend_cb(void* ctx) {
  for (auto& l : static_cast<Worker*>(ctx)->listeners_) l->suspend();
}

void Worker::resume_cb(void* ctx) {
  for (auto& l : static_cast<Worker*>(ctx)->listeners_) l->resume();
}

// Idle server connections live on this thread's loop: close them here, before
// the loop goes away.
void Worker::close_idle_pools() {
  for (auto& be : rt_->backends)
    for (const auto* list : {&be->servers(), &be->retired()})
      for (auto& s : *list)
        if (index_ < int(s->pools.size())) s->pools[index_].reset();
}

void Worker::hand_over_idle_pools() {
  const int channel = rt_->handover_channel.load();
  // The clients spared by the soft stop (their request arrived) and the
  // streams that have not asked for a server yet are still to be served here:
  // as many connections stay. (The leave runs after the poller's batch, whose
  // reads may have started streams that ask only later in the same pass.)
  if (channel >= 0)
    hand_over_idle(
        rt_->backends, index_, channel, loop_.now_ms(),
        size_t(mux::MuxH1::idle_incoming_count() + stream::streams_before_server_on_thread()));
}

// A connection was parked while this worker hands its connections over: send
// it now, before the exchange that freed it closes its client (who would come
// back to the new worker and need it).
void Worker::parked_cb(void* ctx) { static_cast<Worker*>(ctx)->hand_over_idle_pools(); }

void Worker::tick_pools() {
  const int64_t now = loop_.now_ms();
  for (auto& be : rt_->backends) {
    for (auto& s : be->servers())
      if (backend::ConnPool* p = s->local_pool()) p->tick(now, s->serving());
    // A deleted server's pools close what a late exchange parked there.
    for (auto& s : be->retired())
      if (backend::ConnPool* p = s->local_pool()) p->tick(now, false);
  }
}

void Worker::stop_cb(void* ctx) {
  auto* w = static_cast<Worker*>(ctx);
  w->stopping_ = true;
  stream::set_soft_stop();
  for (auto& l : w->listeners_) l->stop();
  // The peers sections teach their tables to the process that replaces this one.
  for (auto& p : w->rt_->peer_sections)
    if (p->thread() == w->index_) p->hand_over();
  // Keep-alive clients between requests have nothing in flight: close them
  // now rather than leave them open until the process exits. Those whose
  // next request is already here are served first (with "connection: close").
  mux::MuxH1::close_idle_incoming(/*spare_arrived=*/true);
  // Then the server connections those spared clients do not need, at once
  // (before the closed clients come back to the new worker); then each as
  // its exchange ends.
  if (w->rt_->handover_channel.load() >= 0) {
    w->hand_over_idle_pools();
    backend::ConnPool::set_park_hook(&Worker::parked_cb, w);
  }
  // The next housekeeping tick (at most 100 ms) ends the loop once drained:
  // by then the spared connections have started their streams.
}

void Worker::housekeeping_cb(Timer*, void* ctx) { static_cast<Worker*>(ctx)->housekeeping(); }

// Periodic duties: resume listeners paused by a limit that another thread's
// sessions were holding, and finish the loop once a graceful stop has drained.
void Worker::housekeeping() {
  tick_pools();
  // The first thread frees the stick-table entries that expired.
  if (index_ == 0) {
    const int64_t now = MonotonicClock::instance()->now_ms();
    for (const auto& t : stick::all_tables()) t->purge_expired(now);
    for (const auto& be : rt_->backends) be->tick_slowstart(now);  // slowstart ramps
  }
  if (stopping_) {
    hand_over_idle_pools();             // those kept for spared clients that are served by now
    mux::MuxH1::close_idle_incoming();  // went idle since (served, or spared in vain)
    bool peers_busy = false;            // a lesson to the new process under way
    for (auto& p : rt_->peer_sections) peers_busy |= p->thread() == index_ && p->busy();
    if (!peers_busy && stream::Stream::live_on_thread() + stream::live_streams_on_thread() == 0) {
      loop_.stop();
      return;
    }
  } else {
    for (auto& l : listeners_) l->maybe_resume();
  }
  loop_.timers().arm(&housekeeping_, loop_.now_ms() + kHousekeepingMs);
}

}  // namespace hearth::app
