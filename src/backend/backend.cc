#include "backend/backend.h"

#include "core/clock.h"

namespace hearth::backend {
namespace {

Pool<QueueWaiter>& waiter_pool() {
  static Pool<QueueWaiter> p("queue_waiter");
  return p;
}

// Runs on the waiter's own loop: wakes its tasklet if the owner still waits.
void deliver(void* arg) {
  auto* w = static_cast<QueueWaiter*>(arg);
  if (w->tasklet) w->loop->wake(w->tasklet, kWakeOther);
  w->unref();
}

}  // namespace

QueueWaiter* QueueWaiter::create(EventLoop* loop, Tasklet* t, const LbRequest& req) {
  QueueWaiter* w = waiter_pool().create();
  if (!w) return nullptr;
  w->loop = loop;
  w->tasklet = t;
  w->req = req;
  return w;
}

void QueueWaiter::unref() {
  if (refs.fetch_sub(1, std::memory_order_acq_rel) == 1) waiter_pool().destroy(this);
}

Backend::Backend(std::string name, LbKind kind, int random_draws)
    : name_(std::move(name)), lb_kind_(kind), random_draws_(random_draws) {}

Server* Backend::add_server(std::unique_ptr<Server> s) {
  s->id = int(servers_.size());
  if (s->puid == 0) s->puid = s->id + 1;  // no "id": HAProxy's numbering from 1
  servers_.push_back(std::move(s));
  return servers_.back().get();
}

int Backend::free_puid() const {
  for (int next = 1;; ++next) {  // HAProxy's: the smallest id no server has
    bool taken = false;
    for (const auto& o : servers_) taken |= o->puid == next;
    if (!taken) return next;
  }
}

Server* Backend::add_dynamic_server(std::unique_ptr<Server> s) {
  if (s->puid == 0) s->puid = free_puid();
  s->id = int(servers_.size());
  servers_.push_back(std::move(s));
  Server* added = servers_.back().get();
  std::lock_guard<std::mutex> g(mu_);
  finalize_locked();
  return added;
}

void Backend::retire_server(Server* s) {
  for (size_t k = 0; k < servers_.size(); ++k) {
    if (servers_[k].get() != s) continue;
    retired_.push_back(std::move(servers_[k]));
    servers_.erase(servers_.begin() + long(k));
    break;
  }
  for (size_t k = 0; k < servers_.size(); ++k) servers_[k]->id = int(k);
  std::lock_guard<std::mutex> g(mu_);
  finalize_locked();
}

bool Backend::dynamic_lb() const {
  switch (lb_kind_) {
    case LbKind::kRoundRobin:
    case LbKind::kLeastConn:
    case LbKind::kFirst:
    case LbKind::kRandom:
      return true;
    case LbKind::kStaticRr:
      return false;
    default:  // the hashing ones: only on a consistent ring
      return settings.hash_type.method == config::HashMethod::kConsistent;
  }
}

void Backend::finalize() {
  std::lock_guard<std::mutex> g(mu_);
  finalize_locked();
}

void Backend::finalize_locked() {
  std::vector<Server*> raw;
  for (auto& s : servers_) raw.push_back(s.get());
  LbOptions o;
  o.random_draws = random_draws_;
  o.allbackups = settings.allbackups;
  o.hash_method = settings.hash_type.method;
  o.hash_balance_factor = settings.hash_balance_factor;
  has_slowstart_ = false;
  for (Server* s : raw) has_slowstart_ |= s->slowstart_s > 0;
  lb_ = make_lb(lb_kind_, raw, o);
  history.start(MonotonicClock::instance()->now_ms(), servers_.empty() || has_weight());
}

bool Backend::has_weight() const {
  for (auto& s : servers_)
    if (s->usable() && s->weight.load() > 0) return true;
  return false;
}

void Backend::servers_changed() {
  std::vector<Server*> ended;
  {
    std::lock_guard<std::mutex> g(mu_);
    const int64_t now = MonotonicClock::instance()->now_ms();
    ended = refresh_slowstart_locked(now);
    if (!servers_.empty()) history.note(now, has_weight());
    lb_->rebuild();
    dispatch_locked();
  }
  for (Server* s : ended) log_slowstart_end(*this, *s);
}

Backend::UsableCount Backend::usable_servers() const {
  UsableCount n;
  for (auto& s : servers_)
    if (s->usable()) ++(s->backup ? n.backup : n.active);
  return n;
}

Server* Backend::server_named(std::string_view name) const {
  for (const auto& s : servers_)
    if (s->name == name) return s.get();
  return nullptr;
}

bool Backend::preferable(const LbRequest& r) {
  return r.prefer && r.prefer != r.avoid && r.prefer->usable();
}

Server* Backend::pick_locked(const LbRequest& r) {
  if (r.forced) {
    const bool ok = r.forced->serving() || (r.forced_down_ok && r.forced->has_addr);
    return ok && !r.forced->full() ? r.forced : nullptr;
  }
  return preferable(r) && !r.prefer->full() ? r.prefer : lb_->pick(r);
}

TakeResult Backend::take(const LbRequest& req, Server** out, EventLoop* loop, Tasklet* t,
                         QueueWaiter** waiter) {
  std::lock_guard<std::mutex> g(mu_);
  // Waiters go first: a new session must not overtake queued ones any server
  // would do (use-server waiters hold only their server), unless the
  // client is bound to its server (prefer_strict), which it takes even full.
  Server* s = nullptr;
  // dispatch, option transparent: every session not bound to a server by a
  // rule goes there; the servers serve only use-server rules.
  if (fallback_ && !req.forced) {
    fallback_->cur_sess.fetch_add(1);
    fallback_->counters.note_session(stat_now_ms());
    *out = fallback_.get();
    return TakeResult::kAssigned;
  }
  LbRequest lb = req;
  // A hashing algorithm's key designates one server: when it is full, the
  // session waits for that server (HAProxy queues it there) rather than
  // take the key elsewhere.
  if (!lb.forced && !preferable(lb) && lb.has_key) {
    Server* k = lb_->key_server(lb);
    if (k && k->full()) {
      lb.forced = k;
      lb.forced_by_key = true;
    }
  }
  // maxqueue: a use-server target with that many waiters already takes no
  // more; option redispatch sends the session to the algorithm's choice.
  if (lb.forced && lb.forced->maxqueue > 0 && lb.forced->serving() && lb.forced->full() &&
      server_queue_locked(lb.forced) >= size_t(lb.forced->maxqueue)) {
    if (!settings.redispatch) return TakeResult::kServerQueueFull;
    lb.forced = nullptr;
    lb.forced_by_key = false;
  }
  // The client holds a connection to its last server, full now: it waits
  // for that server, as a use-server would, unless max-keep-alive-queue or
  // the server's maxqueue says enough wait for it already.
  if (!lb.forced && !lb.prefer_strict && preferable(lb) && lb.prefer->full()) {
    const size_t waiting = server_queue_locked(lb.prefer);
    if ((settings.max_ka_queue < 0 || waiting < size_t(settings.max_ka_queue)) &&
        (lb.prefer->maxqueue <= 0 || waiting < size_t(lb.prefer->maxqueue)))
      lb.forced = lb.prefer;
  }
  if (lb.forced)
    s = pick_locked(lb);  // waiters for other servers do not hold it back
  else if (lb.prefer_strict && preferable(lb))
    s = lb.prefer;
  else if (server_queue_locked(nullptr) == 0)  // no waiter any server would do
    s = pick_locked(lb);
  if (s) {
    s->note_sessions(s->cur_sess.fetch_add(1) + 1);
    s->counters.note_session(stat_now_ms());
    *out = s;
    return TakeResult::kAssigned;
  }
  bool any_usable = false;
  for (auto& srv : servers_) any_usable |= srv->usable();
  if (!any_usable) return TakeResult::kNoServer;
  QueueWaiter* w = QueueWaiter::create(loop, t, lb);
  if (!w) return TakeResult::kQueueFull;
  enqueue_locked(w);
  raise_max(counters.max_queue, ++queue_len_);
  if (lb.forced) raise_max(lb.forced->counters.max_queue, server_queue_locked(lb.forced));
  *waiter = w;
  return TakeResult::kQueued;
}

// By priority (LbRequest::prio_class, prio_key), after its equals. Without
// priorities every key grows with time: the new waiter goes at the back
// without a walk.
void Backend::enqueue_locked(QueueWaiter* w) {
  auto before = [](const LbRequest& a, const LbRequest& b) {
    return a.prio_class < b.prio_class || (a.prio_class == b.prio_class && a.prio_key < b.prio_key);
  };
  ListHook* back = queue_.back();
  if (!back || !before(w->req, container_of<QueueWaiter, &QueueWaiter::hook>(back)->req)) {
    queue_.push_back(&w->hook);
    return;
  }
  for (ListHook* h = queue_.front(); h && h != queue_.end_marker(); h = h->next) {
    if (before(w->req, container_of<QueueWaiter, &QueueWaiter::hook>(h)->req)) {
      List::insert_before(h, &w->hook);
      return;
    }
  }
  queue_.push_back(&w->hook);
}

size_t Backend::server_queue_locked(const Server* s) {
  size_t n = 0;
  for (ListHook* h = queue_.front(); h && h != queue_.end_marker(); h = h->next)
    n += container_of<QueueWaiter, &QueueWaiter::hook>(h)->req.forced == s;
  return n;
}

size_t Backend::server_queue_length(const Server* s) {
  std::lock_guard<std::mutex> g(mu_);
  return server_queue_locked(s);
}

void Backend::grant_locked(Server* s, QueueWaiter* w) {
  w->hook.unlink();
  --queue_len_;
  w->assigned.store(s);
  s->note_sessions(s->cur_sess.fetch_add(1) + 1);
  s->counters.note_session(stat_now_ms());
  s->counters.local().queued.add();
  w->refs.fetch_add(1, std::memory_order_relaxed);
  w->loop->post(&deliver, w);
}

void Backend::release(Server* s) {
  std::lock_guard<std::mutex> g(mu_);
  s->cur_sess.fetch_sub(1);
  dispatch_locked();
}

void Backend::dispatch_locked() {
  // Serve waiters in order while some server (not only a released one) has
  // room. A waiter for one server (use-server) that is still full does not
  // hold back those behind it; one that any server would do stops the others
  // of its kind, which no server has room for either.
  bool any_full = false;
  for (ListHook* h = queue_.front(); h && h != queue_.end_marker();) {
    ListHook* next_hook = h->next;
    QueueWaiter* w = container_of<QueueWaiter, &QueueWaiter::hook>(h);
    // The server a key waits for went down: the key goes where it now
    // leads, like any waiter's.
    if (w->req.forced_by_key && !w->req.forced->usable()) {
      w->req.forced = nullptr;
      w->req.forced_by_key = false;
    }
    if (!w->req.forced && any_full) {
      h = next_hook;
      continue;
    }
    if (Server* next = pick_locked(w->req))
      grant_locked(next, w);
    else if (!w->req.forced)
      any_full = true;
    h = next_hook;
  }
  if (queue_.empty()) return;
  UsableCount n = usable_servers();
  if (n.active + n.backup > 0) return;
  while (!queue_.empty()) {
    QueueWaiter* w = container_of<QueueWaiter, &QueueWaiter::hook>(queue_.front());
    w->hook.unlink();
    --queue_len_;
    w->rejected.store(true);
    w->refs.fetch_add(1, std::memory_order_relaxed);
    w->loop->post(&deliver, w);
  }
}

Server* Backend::cancel_wait(QueueWaiter* w) {
  Server* granted;
  {
    std::lock_guard<std::mutex> g(mu_);
    if (w->hook.linked()) {
      w->hook.unlink();
      --queue_len_;
    }
    granted = w->assigned.exchange(nullptr);
    w->tasklet = nullptr;
  }
  w->unref();
  return granted;
}

size_t Backend::queue_length() {
  std::lock_guard<std::mutex> g(mu_);
  return queue_len_;
}

}  // namespace hearth::backend
