#include "app/idle_handover.h"

#include <unistd.h>

#include "app/worker.h"
#include "backend/backend.h"
#include "backend/conn_pool.h"
#include "backend/handover_inbox.h"
#include "backend/handover_wire.h"
#include "backend/server.h"
#include "backend/server_list_lock.h"
#include "core/clock.h"
#include "mux/mux.h"
#include "net/connection.h"
#include "net/transport.h"

namespace hearth::app {
namespace {

// One metadata line: two names, an address, four numbers and separators.
constexpr size_t kMaxLine = 2 * 256 + 64;

// Sends `text` with `conns`' descriptors, then closes the connections here.
int flush(int channel, std::string* text, std::vector<net::Connection*>* conns) {
  if (conns->empty()) return 0;
  std::vector<int> fds;
  for (net::Connection* c : *conns) fds.push_back(c->fd());
  const bool sent = net::channel_send(channel, *text, fds.data(), fds.size());
  for (net::Connection* c : *conns) {
    // The message holds the socket: closing our copy neither ends it nor,
    // without SO_LINGER 0 (which would reset it for both), disturbs it.
    c->flags &= ~net::kConnNoLinger;
    c->mux->destroy();
  }
  const int n = sent ? int(conns->size()) : 0;
  conns->clear();
  text->assign(backend::kIdleHandoverHeader);
  return n;
}

struct Adoption {
  backend::Server* server;
  backend::HandoverInbox::Entry entry;
};

// On a worker thread: parks a connection its requests did not take.
void adopt_on_thread(void* arg) {
  std::unique_ptr<Adoption> a(static_cast<Adoption*>(arg));
  backend::ConnPool* pool = a->server->local_pool();
  if (!pool) {
    close(a->entry.fd);
    return;
  }
  pool->adopt(a->entry, EventLoop::current()->now_ms());
}

}  // namespace

bool is_idle_handover(std::string_view msg) {
  return msg.substr(0, backend::kIdleHandoverHeader.size()) == backend::kIdleHandoverHeader;
}

int hand_over_idle(const std::vector<std::unique_ptr<backend::Backend>>& backends, int thread,
                   int channel, int64_t now_ms, size_t keep) {
  int sent = 0;
  std::string text(backend::kIdleHandoverHeader);
  std::vector<net::Connection*> conns;
  for (const auto& be : backends)
    for (const auto& s : be->servers()) {
      if (thread >= int(s->pools.size()) || !s->pools[size_t(thread)]) continue;
      for (net::Connection* c : s->pools[size_t(thread)]->take_all_idle(now_ms, keep)) {
        char ip[64];
        const std::string line =
            backend::format_idle_item({be->name(), s->name, c->peer().ip_str(ip, sizeof ip),
                                       c->peer().port(), now_ms - c->idle_since_ms, c->exchanges});
        if (conns.size() == net::kChannelMaxFds ||
            text.size() + line.size() > net::kChannelMaxMessage)
          sent += flush(channel, &text, &conns);
        // A transport with state in this process (TLS) cannot travel, nor a
        // connection keyed to a client (the PROXY header it sent, a
        // destination taken from a client); a line that long cannot be a
        // name of ours.
        if (c->xprt != net::raw_transport() || c->client_key || line.size() > kMaxLine) {
          c->mux->destroy();
          continue;
        }
        text += line;
        conns.push_back(c);
      }
    }
  return sent + flush(channel, &text, &conns);
}

int adopt_idle(const std::vector<std::unique_ptr<backend::Backend>>& backends,
               net::ChannelMessage& m) {
  // Not a worker: the server lists may change meanwhile (backend/server_list_lock.h).
  std::shared_lock<std::shared_mutex> list_lock(backend::server_list_mutex());
  std::vector<backend::IdleHandoverItem> items;
  if (!backend::parse_idle_handover(m.text, m.fds.size(), &items)) {
    for (int fd : m.fds) close(fd);
    m.fds.clear();
    return 0;
  }
  const int64_t now_ms = MonotonicClock::instance()->now_ms();
  int taken = 0;
  for (size_t i = 0; i < items.size(); ++i) {
    const backend::IdleHandoverItem& it = items[i];
    const backend::Backend* be = nullptr;
    for (const auto& b : backends)
      if (b->name() == it.backend) be = b.get();
    // Only where a new connection would be pooled, and to the same place.
    backend::Server* s = be && be->settings.mode == config::Mode::kHttp &&
                                 be->settings.conn_mode == config::HttpConnMode::kKeepAlive
                             ? be->server_named(it.server)
                             : nullptr;
    char ip[64];
    const net::Address cur = s ? s->address() : net::Address{};
    if (!s || s->client_dependent() || !s->serving() || it.ip != cur.ip_str(ip, sizeof ip) ||
        it.port != cur.port()) {
      close(m.fds[i]);
      continue;
    }
    const uint32_t flags = net::kConnOutgoing | net::kConnConnected |
                           (be->settings.srv_sock.nolinger ? net::kConnNoLinger : 0u);
    s->handover.push({m.fds[i], it.idle_ms, now_ms, it.exchanges, flags});
    ++taken;
  }
  m.fds.clear();
  return taken;
}

void sweep_handed_over(const std::vector<std::unique_ptr<backend::Backend>>& backends,
                       const std::vector<std::unique_ptr<Worker>>& workers, int64_t now_ms) {
  // Not a worker: the server lists may change meanwhile (backend/server_list_lock.h).
  std::shared_lock<std::shared_mutex> list_lock(backend::server_list_mutex());
  static size_t next_worker = 0;  // the main thread's
  for (const auto& be : backends)
    for (const auto& s : be->servers()) {
      if (!s->handover.pending()) continue;
      for (const backend::HandoverInbox::Entry& e :
           s->handover.take_arrived_before(now_ms - kInboxWaitMs)) {
        Worker* w = workers[next_worker++ % workers.size()].get();
        w->loop()->post(&adopt_on_thread, new Adoption{s.get(), e});
      }
    }
}

}  // namespace hearth::app
